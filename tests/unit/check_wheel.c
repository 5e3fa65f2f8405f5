/*
 * check_wheel.c - unit tests for pushd/wheel.c, the timing wheel of the
 * heartbeat timers: never early, late by at most one tick, cancel and
 * re-arm from inside a callback, timers further away than one turn of the
 * wheel, a stall that skips many turns, and the count of armed timers.
 * Time is made up: the wheel has no clock of its own.
 */
#include <string.h>

#include <check.h>

#include "unit.h"
#include "wheel.h"

#define TICK	100		/* microseconds a slot, for the tests */
#define NT	8

struct timer {
	lws_sorted_usec_list_t	 sul;
	lws_usec_t		 fired;		/* the "now" it ran at, or 0 */
	int			 runs;
};

static struct wheel	w;
static struct timer	t[NT];
static lws_usec_t	clock_now;
static struct timer	*victim;	/* cancelled by the callback */
static lws_usec_t	rearm_at;	/* re-armed by the callback */

static void
fire(lws_sorted_usec_list_t *sul)
{
	struct timer *x = lws_container_of(sul, struct timer, sul);

	x->fired = clock_now;
	x->runs++;
	if (victim != NULL) {
		wheel_cancel(&w, &victim->sul);
		victim = NULL;
	}
	if (rearm_at > 0) {
		lws_usec_t at = rearm_at;

		rearm_at = 0;
		wheel_add(&w, sul, fire, at, clock_now);
	}
}

/* Advance to `to` one tick at a time, as the lws timer would. */
static void
run_to(lws_usec_t to)
{
	while (clock_now < to) {
		clock_now += TICK;
		if (clock_now > to)
			clock_now = to;
		wheel_turn(&w, clock_now);
	}
}

static void
setup(void)
{
	memset(t, 0, sizeof(t));
	victim = NULL;
	rearm_at = 0;
	clock_now = 1000000;
	wheel_init(&w, TICK);
}

START_TEST(fires_on_time_never_early)
{
	lws_usec_t due[] = { 1000001, 1000100, 1000150, 1000999, 1012345 };
	unsigned i;

	for (i = 0; i < 5; i++)
		wheel_add(&w, &t[i].sul, fire, due[i], clock_now);
	ck_assert_uint_eq(w.n, 5);
	run_to(1020000);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(t[i].runs, 1);
		ck_assert_int_ge(t[i].fired, due[i]);
		ck_assert_int_lt(t[i].fired, due[i] + TICK);
	}
	ck_assert_uint_eq(w.n, 0);
	ck_assert_int_eq(wheel_next(&w), -1);
}
END_TEST

START_TEST(due_now_or_past_fires_next_tick)
{
	wheel_add(&w, &t[0].sul, fire, clock_now - 5000, clock_now);
	wheel_add(&w, &t[1].sul, fire, clock_now, clock_now);
	ck_assert_int_eq(wheel_next(&w), clock_now + TICK);
	run_to(clock_now + TICK);
	ck_assert_int_eq(t[0].runs, 1);
	ck_assert_int_eq(t[1].runs, 1);
}
END_TEST

START_TEST(beyond_one_turn_waits)
{
	/* Three turns of the wheel away: its slot comes by twice before. */
	lws_usec_t due = clock_now + 3 * WHEEL_SLOTS * TICK + 7;

	wheel_add(&w, &t[0].sul, fire, due, clock_now);
	run_to(due - 1);
	ck_assert_int_eq(t[0].runs, 0);
	ck_assert_uint_eq(w.n, 1);
	run_to(due + TICK);
	ck_assert_int_eq(t[0].runs, 1);
	ck_assert_int_ge(t[0].fired, due);
}
END_TEST

START_TEST(cancel_and_move)
{
	wheel_add(&w, &t[0].sul, fire, clock_now + 500, clock_now);
	wheel_add(&w, &t[1].sul, fire, clock_now + 500, clock_now);
	wheel_cancel(&w, &t[0].sul);
	wheel_cancel(&w, &t[0].sul);		/* twice: harmless */
	ck_assert_uint_eq(w.n, 1);
	/* Moving an armed timer re-arms it, once. */
	wheel_add(&w, &t[1].sul, fire, clock_now + 2000, clock_now);
	ck_assert_uint_eq(w.n, 1);
	run_to(clock_now + 1000);
	ck_assert_int_eq(t[0].runs, 0);
	ck_assert_int_eq(t[1].runs, 0);
	run_to(clock_now + 1100);
	ck_assert_int_eq(t[1].runs, 1);
}
END_TEST

START_TEST(callback_cancels_another_and_rearms_itself)
{
	lws_usec_t start = clock_now;

	/* Same slot: the first to fire cancels the second. */
	wheel_add(&w, &t[0].sul, fire, start + 300, clock_now);
	wheel_add(&w, &t[1].sul, fire, start + 300, clock_now);
	/* A later one, in the "not yet" list of the same slot. */
	wheel_add(&w, &t[2].sul, fire,
	    start + 300 + WHEEL_SLOTS * TICK, clock_now);
	victim = &t[1];
	rearm_at = start + 900;
	run_to(start + 400);
	ck_assert_int_eq(t[0].runs, 1);
	ck_assert_int_eq(t[1].runs, 0);
	ck_assert_int_eq(t[2].runs, 0);
	ck_assert_uint_eq(w.n, 2);	/* t[0] again, and t[2] */
	run_to(start + 1000);
	ck_assert_int_eq(t[0].runs, 2);
	ck_assert_int_ge(t[0].fired, start + 900);
	run_to(start + 300 + WHEEL_SLOTS * TICK + TICK);
	ck_assert_int_eq(t[2].runs, 1);
	ck_assert_uint_eq(w.n, 0);
}
END_TEST

START_TEST(a_stall_fires_everything_due_once)
{
	unsigned i;

	for (i = 0; i < NT; i++)
		wheel_add(&w, &t[i].sul, fire,
		    clock_now + (lws_usec_t)i * 7 * WHEEL_SLOTS * TICK / NT,
		    clock_now);
	/* One turn, long after all of them were due. */
	clock_now += 10 * WHEEL_SLOTS * TICK;
	wheel_turn(&w, clock_now);
	for (i = 0; i < NT; i++)
		ck_assert_int_eq(t[i].runs, 1);
	ck_assert_uint_eq(w.n, 0);
}
END_TEST

static Suite *
wheel_suite(void)
{
	Suite *s = suite_create("wheel");
	TCase *tc = tcase_create("wheel");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, fires_on_time_never_early);
	tcase_add_test(tc, due_now_or_past_fires_next_tick);
	tcase_add_test(tc, beyond_one_turn_waits);
	tcase_add_test(tc, cancel_and_move);
	tcase_add_test(tc, callback_cancels_another_and_rearms_itself);
	tcase_add_test(tc, a_stall_fires_everything_due_once);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(wheel_suite());
}
