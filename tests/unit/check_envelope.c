/*
 * check_envelope.c - unit tests for pushd/envelope.c, the broadcast the
 * pushd nodes pass on through Redis: a round trip keeps every field and
 * every byte of a binary frame; the limits hold on both sides; anything
 * cut short, longer than it says, or with an unknown target kind is
 * refused whole.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "envelope.h"
#include "unit.h"

static const struct fan_target tg[] = {
	{ FAN_ROOM, 42, 7 },
	{ FAN_USER, UINT64_MAX - 1, 0 },
	{ FAN_ROOM_STAFF, 1, 0 },
	{ FAN_ROOM_ACTIVITY, 0x0102030405060708ULL, 0 },
};
#define NTG	(sizeof(tg) / sizeof(tg[0]))

/* A frame with every byte value, a NUL and the polling separator in it. */
static char frame[300];

static void
setup(void)
{
	size_t i;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (char)(i % 256);
}

START_TEST(round_trip)
{
	struct envelope e;
	struct fan_target t;
	unsigned char *b;
	size_t len, i;

	b = envelope_encode("node-a:8081", "message:new", tg, NTG, frame,
	    sizeof(frame), &len);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(envelope_decode(b, len, &e), 0);
	ck_assert_uint_eq(e.origin_len, 11);
	ck_assert_int_eq(memcmp(e.origin, "node-a:8081", 11), 0);
	ck_assert_uint_eq(e.event_len, 11);
	ck_assert_int_eq(memcmp(e.event, "message:new", 11), 0);
	ck_assert_uint_eq(e.ntargets, NTG);
	for (i = 0; i < NTG; i++) {
		ck_assert_int_eq(envelope_target(&e, i, &t), 0);
		ck_assert_int_eq(t.kind, tg[i].kind);
		ck_assert(t.id == tg[i].id);
		ck_assert(t.except == tg[i].except);
	}
	ck_assert_int_eq(envelope_target(&e, NTG, &t), -1);
	ck_assert_uint_eq(e.frame_len, sizeof(frame));
	ck_assert_int_eq(memcmp(e.frame, frame, sizeof(frame)), 0);
	free(b);
}
END_TEST

START_TEST(empty_parts)
{
	struct envelope e;
	unsigned char *b;
	size_t len;

	b = envelope_encode("n", "", NULL, 0, "", 0, &len);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(len, 4 + 1 + 1 + 1 + 4 + 4);
	ck_assert_int_eq(envelope_decode(b, len, &e), 0);
	ck_assert_uint_eq(e.ntargets, 0);
	ck_assert_uint_eq(e.frame_len, 0);
	ck_assert_uint_eq(e.event_len, 0);
	free(b);
}
END_TEST

START_TEST(encode_limits)
{
	char origin[ENVELOPE_ORIGIN_MAX + 2], event[ENVELOPE_EVENT_MAX + 2];
	struct fan_target bad = { 0, 1, 0 };
	unsigned char *b;
	size_t len;

	memset(origin, 'o', sizeof(origin) - 1);
	origin[sizeof(origin) - 1] = '\0';
	memset(event, 'e', sizeof(event) - 1);
	event[sizeof(event) - 1] = '\0';
	ck_assert_ptr_null(envelope_encode("", "x", NULL, 0, "", 0, &len));
	ck_assert_ptr_null(envelope_encode(origin, "x", NULL, 0, "", 0, &len));
	origin[ENVELOPE_ORIGIN_MAX] = '\0';
	b = envelope_encode(origin, "x", NULL, 0, "", 0, &len);
	ck_assert_ptr_nonnull(b);
	free(b);
	ck_assert_ptr_null(envelope_encode("n", event, NULL, 0, "", 0, &len));
	ck_assert_ptr_null(envelope_encode("n", "x", &bad, 1, "", 0, &len));
	/* The whole envelope, not only the frame, is capped. */
	ck_assert_ptr_null(envelope_encode("n", "x", NULL, 0, frame,
	    ENVELOPE_MAX, &len));
}
END_TEST

START_TEST(every_cut_is_refused)
{
	struct envelope e;
	unsigned char *b, *c;
	size_t len, n;

	b = envelope_encode("node-b", "typing:user-typing", tg, NTG, frame,
	    sizeof(frame), &len);
	ck_assert_ptr_nonnull(b);
	/* Each prefix is refused, and so is one byte more. */
	for (n = 0; n < len; n++)
		ck_assert_int_eq(envelope_decode(b, n, &e), -1);
	ck_assert_ptr_nonnull(c = malloc(len + 1));
	memcpy(c, b, len);
	c[len] = 0;
	ck_assert_int_eq(envelope_decode(c, len + 1, &e), -1);
	free(c);
	free(b);
}
END_TEST

START_TEST(lying_lengths_and_kinds)
{
	struct envelope e;
	unsigned char *b;
	size_t len, at;

	b = envelope_encode("n", "x", tg, 1, "abc", 3, &len);
	ck_assert_ptr_nonnull(b);
	at = 4 + 2 + 2;		/* the target count */
	b[at] = 0xff;
	ck_assert_int_eq(envelope_decode(b, len, &e), -1);
	b[at] = 0;
	b[at + 3] = 2;		/* two targets where there is one */
	ck_assert_int_eq(envelope_decode(b, len, &e), -1);
	b[at + 3] = 1;
	b[at + 4] = 9;		/* an unknown kind */
	ck_assert_int_eq(envelope_decode(b, len, &e), -1);
	b[at + 4] = FAN_USER;
	b[len - 4] = 'Z';	/* a frame length past the end */
	b[at + 4 + ENVELOPE_TARGET_LEN + 3] = 4;
	ck_assert_int_eq(envelope_decode(b, len, &e), -1);
	b[at + 4 + ENVELOPE_TARGET_LEN + 3] = 3;
	ck_assert_int_eq(envelope_decode(b, len, &e), 0);
	b[0] = 'X';		/* another magic */
	ck_assert_int_eq(envelope_decode(b, len, &e), -1);
	free(b);
}
END_TEST

static Suite *
envelope_suite(void)
{
	Suite *s = suite_create("envelope");
	TCase *tc = tcase_create("envelope");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, empty_parts);
	tcase_add_test(tc, encode_limits);
	tcase_add_test(tc, every_cut_is_refused);
	tcase_add_test(tc, lying_lengths_and_kinds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(envelope_suite());
}
