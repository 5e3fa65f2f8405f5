/*
 * wheel.c - the timing wheel (wheel.h says why).
 *
 * A timer at time t sits in slot ceil(t / tick) mod WHEEL_SLOTS; one turn
 * visits every slot up to now and fires what is due in it.  A timer more
 * than a whole wheel away waits in its slot through the earlier turns.
 */
#include <string.h>

#include "wheel.h"

void
wheel_init(struct wheel *w, lws_usec_t tick)
{
	memset(w, 0, sizeof(*w));
	w->tick = tick > 0 ? tick : 1;
	w->done = -1;
}

void
wheel_add(struct wheel *w, lws_sorted_usec_list_t *sul, sul_cb_t cb,
    lws_usec_t due, lws_usec_t now)
{
	int64_t tick;

	if (w->done < 0)
		w->done = now / w->tick;
	wheel_cancel(w, sul);
	sul->cb = cb;
	sul->us = due;
	/* Rounded up, and never into a slot this turn has already run. */
	tick = (due + w->tick - 1) / w->tick;
	if (tick <= w->done)
		tick = w->done + 1;
	lws_dll2_add_tail(&sul->list, &w->slot[tick & (WHEEL_SLOTS - 1)]);
	w->n++;
}

void
wheel_cancel(struct wheel *w, lws_sorted_usec_list_t *sul)
{
	lws_dll2_owner_t *o = sul->list.owner;

	if (o == NULL)
		return;
	if ((o >= &w->slot[0] && o < &w->slot[WHEEL_SLOTS]) || o == &w->later)
		w->n--;
	lws_dll2_remove(&sul->list);
}

/* Fire what is due in one slot; later turns' timers stay in it. */
static void
wheel_slot(struct wheel *w, lws_dll2_owner_t *slot, lws_usec_t now)
{
	lws_sorted_usec_list_t *sul;
	lws_dll2_t *d;

	/* A callback may cancel or move any timer: always take the head. */
	while ((d = lws_dll2_get_head(slot)) != NULL) {
		sul = lws_container_of(d, lws_sorted_usec_list_t, list);
		lws_dll2_remove(d);
		if (sul->us > now) {
			lws_dll2_add_tail(d, &w->later);
			continue;
		}
		w->n--;
		sul->us = 0;
		sul->cb(sul);
	}
	while ((d = lws_dll2_get_head(&w->later)) != NULL) {
		lws_dll2_remove(d);
		lws_dll2_add_tail(d, slot);
	}
}

void
wheel_turn(struct wheel *w, lws_usec_t now)
{
	int64_t tick = now / w->tick;

	if (w->done < 0)
		w->done = tick;
	/* After a stall, one turn visits every slot. */
	if (tick - w->done > WHEEL_SLOTS)
		w->done = tick - WHEEL_SLOTS;
	while (w->done < tick) {
		w->done++;
		wheel_slot(w, &w->slot[w->done & (WHEEL_SLOTS - 1)], now);
	}
}

lws_usec_t
wheel_next(const struct wheel *w)
{
	if (w->n == 0)
		return -1;
	return (w->done + 1) * w->tick;
}
