/*
 * wheel.h - a timing wheel for the per-session heartbeat timers.
 *
 * lws keeps its timers (lws_sul) in one sorted list and inserts by walking
 * it from the head, so with a heartbeat timer per session every ping and
 * pong cost O(sessions): half of pushd's CPU with 7k idle sockets.  The
 * wheel has one slot per tick: O(1) to arm, to cancel (lws_sul_cancel only
 * unlinks, whichever list the timer is on) and to fire.  A timer fires
 * late by at most one tick, never early.  The wheel knows no clock and no
 * lws context: its owner turns it (wheel_turn) and the unit test drives it
 * with made-up times.
 */
#ifndef PUSHD_WHEEL_H
#define PUSHD_WHEEL_H

#include <stdint.h>

#include <libwebsockets.h>

#define WHEEL_SLOTS	512		/* a power of two */

struct wheel {
	lws_dll2_owner_t	 slot[WHEEL_SLOTS];
	lws_dll2_owner_t	 later;		/* wheel_turn: not yet due */
	lws_usec_t		 tick;		/* microseconds a slot */
	int64_t			 done;		/* last tick run, -1: none */
	unsigned		 n;		/* timers armed */
};

void	wheel_init(struct wheel *w, lws_usec_t tick);
/* Arm (or move) sul to call cb at due (absolute, microseconds). */
void	wheel_add(struct wheel *w, lws_sorted_usec_list_t *sul, sul_cb_t cb,
	    lws_usec_t due, lws_usec_t now);
/* Disarm sul, if armed on w. */
void	wheel_cancel(struct wheel *w, lws_sorted_usec_list_t *sul);
/* Fire every timer due at now; callbacks may arm and cancel timers. */
void	wheel_turn(struct wheel *w, lws_usec_t now);
/* When the next slot is due (absolute), or -1 if no timer is armed. */
lws_usec_t wheel_next(const struct wheel *w);

#endif
