/*
 * check_phone.c - unit tests for lib/phone.c.
 *
 * phone_normalize() turns what a user types into E.164 ("+<digits>"), with
 * the configured default country code ("+91") for national numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "phone.h"

#define CC	"+91"

struct ok_case {
	const char	*in;
	const char	*cc;
	const char	*want;
};

static const struct ok_case ok_cases[] = {
	/* Already E.164. */
	{ "+919000000001", CC, "+919000000001" },
	/* National number of 10 digits. */
	{ "9000000001", CC, "+919000000001" },
	/* With the trunk 0. */
	{ "09000000001", CC, "+919000000001" },
	/* Country code digits without the '+'. */
	{ "919000000001", CC, "+919000000001" },
	/* International prefix 00, with spaces. */
	{ "0091 90000 00001", CC, "+919000000001" },
	/* Another country, with punctuation. */
	{ "+1 (415) 555-0100", CC, "+14155550100" },
	/* Spaces, dashes, dots and parentheses are ignored anywhere. */
	{ "90000.00001", CC, "+919000000001" },
	{ "(900) 000-0001", CC, "+919000000001" },
	{ "900-000-0001", CC, "+919000000001" },
	{ "  +91 90000-00001  ", CC, "+919000000001" },
	{ "+91.900.000.0001", CC, "+919000000001" },
	{ "+(91) 9000000001", CC, "+919000000001" },
	/* The default country code may be given without its '+'. */
	{ "9000000001", "91", "+919000000001" },
	{ "919000000001", "91", "+919000000001" },
	/* Another default country code. */
	{ "4155550100", "+1", "+14155550100" },
	{ "14155550100", "+1", "+14155550100" },
	{ "9000000001", "+44", "+449000000001" },
	/* E.164 length bounds: 8 and 15 digits. */
	{ "+12345678", CC, "+12345678" },
	{ "+123456789012345", CC, "+123456789012345" },
	{ "00123456789012345", CC, "+123456789012345" },
};

#define NOK	(sizeof(ok_cases) / sizeof(ok_cases[0]))

START_TEST(normalize_ok)
{
	const struct ok_case *c = &ok_cases[_i];
	char out[PHONE_MAX + 1];

	memset(out, 'X', sizeof(out));
	ck_assert_msg(phone_normalize(c->in, c->cc, out, sizeof(out)) == 0,
	    "\"%s\" (cc %s) refused", c->in, c->cc);
	ck_assert_str_eq(out, c->want);
}
END_TEST

struct bad_case {
	const char	*label;
	const char	*in;
	const char	*cc;
};

static const struct bad_case bad_cases[] = {
	{ "empty", "", CC },
	{ "blank", "   ", CC },
	{ "punctuation only", "-().", CC },
	{ "letters", "abc", CC },
	{ "plus alone", "+", CC },
	{ "too short", "12345", CC },
	{ "plus too short", "+1234567", CC },
	{ "country code 0", "+0123456789", CC },
	{ "00 then country code 0", "000123456789", CC },
	{ "16 digits with plus", "+1234567890123456", CC },
	{ "16 digits bare", "1234567890123456", CC },
	{ "16 digits after 00", "001234567890123456", CC },
	{ "20 digits with plus", "+91900000000190000000", CC },
	{ "trailing letter", "+91900000000x", CC },
	{ "embedded letter", "90000a00001", CC },
	{ "embedded letters with plus", "+91 900 ABC 0001", CC },
	{ "plus in the middle", "91+9000000001", CC },
	{ "two plus signs", "++919000000001", CC },
	{ "slash", "9000/000001", CC },
	{ "tab", "9000\t000001", CC },
	{ "10 digits with a leading 0", "0123456789", CC },
	{ "11 digits, not the cc", "929000000001", CC },
	{ "9 digits", "900000001", CC },
	{ "trunk 0 and 9 digits", "0900000001", CC },
	{ "trunk 0 and 11 digits", "090000000011", CC },
	{ "cc digits then 9", "91900000001", CC },
	/* Valid digits, padded past the 32-byte input cap (40 bytes). */
	{ "over-long input", "+919000000001                           ", CC },
	{ "over-long punctuation", "+91-9-0-0-0-0-0-0-0-0-1-----------------",
	    CC },
	/* Bad default country codes. */
	{ "cc with a letter", "9000000001", "9a" },
	{ "cc with a letter and plus", "9000000001", "+9a" },
	{ "cc empty", "9000000001", "" },
	{ "cc plus alone", "9000000001", "+" },
	{ "cc too long", "9000000001", "+12345678" },
	{ "cc with a space", "9000000001", "+9 1" },
};

#define NBAD	(sizeof(bad_cases) / sizeof(bad_cases[0]))

START_TEST(normalize_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	char out[PHONE_MAX + 1];

	ck_assert_msg(phone_normalize(c->in, c->cc, out, sizeof(out)) == -1,
	    "%s: \"%s\" (cc \"%s\") accepted as \"%s\"", c->label, c->in,
	    c->cc, out);
}
END_TEST

START_TEST(normalize_null)
{
	char out[PHONE_MAX + 1];

	ck_assert_int_eq(phone_normalize(NULL, CC, out, sizeof(out)), -1);
}
END_TEST

START_TEST(input_length_cap)
{
	char out[PHONE_MAX + 1];
	char in[64];

	/* 32 bytes is still read: 13 characters plus 19 spaces. */
	snprintf(in, sizeof(in), "%-32s", "+919000000001");
	ck_assert_uint_eq(strlen(in), 32);
	ck_assert_int_eq(phone_normalize(in, CC, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "+919000000001");
	/* 33 is not. */
	snprintf(in, sizeof(in), "%-33s", "+919000000001");
	ck_assert_int_eq(phone_normalize(in, CC, out, sizeof(out)), -1);
}
END_TEST

START_TEST(small_outsz)
{
	/* "+919000000001" needs 14 bytes with its NUL. */
	char out[32];
	size_t i;

	memset(out, 'X', sizeof(out));
	ck_assert_int_eq(phone_normalize("9000000001", CC, out, 13), -1);
	for (i = 13; i < sizeof(out); i++)
		ck_assert_msg(out[i] == 'X', "byte %zu written", i);
	ck_assert_int_eq(phone_normalize("9000000001", CC, out, 0), -1);
	ck_assert_int_eq(phone_normalize("+123456789012345", CC, out, 16),
	    -1);
	for (i = 16; i < sizeof(out); i++)
		ck_assert_msg(out[i] == 'X', "byte %zu written", i);

	/* Exactly enough room is fine. */
	ck_assert_int_eq(phone_normalize("9000000001", CC, out, 14), 0);
	ck_assert_str_eq(out, "+919000000001");
	ck_assert_int_eq(phone_normalize("+123456789012345", CC, out, 17), 0);
	ck_assert_str_eq(out, "+123456789012345");
}
END_TEST

START_TEST(small_outsz_heap)
{
	/* ASan catches a write past an exact-size heap buffer. */
	char *out;

	out = malloc(13);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(phone_normalize("+919000000001", CC, out, 13), -1);
	free(out);
	out = malloc(14);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(phone_normalize("+919000000001", CC, out, 14), 0);
	ck_assert_str_eq(out, "+919000000001");
	free(out);
}
END_TEST

START_TEST(same_number_same_output)
{
	/* Every way of writing one number gives one string (a unique key). */
	static const char *forms[] = {
		"+919000000001", "9000000001", "09000000001",
		"919000000001", "0091 90000 00001", "+91 (900) 000-0001",
	};
	char first[PHONE_MAX + 1], out[PHONE_MAX + 1];
	size_t i;

	ck_assert_int_eq(phone_normalize(forms[0], CC, first, sizeof(first)),
	    0);
	for (i = 1; i < sizeof(forms) / sizeof(forms[0]); i++) {
		ck_assert_int_eq(phone_normalize(forms[i], CC, out,
		    sizeof(out)), 0);
		ck_assert_str_eq(out, first);
	}
}
END_TEST

static Suite *
phone_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("phone");
	tc = tcase_create("accept");
	tcase_add_loop_test(tc, normalize_ok, 0, (int)NOK);
	tcase_add_test(tc, same_number_same_output);
	suite_add_tcase(s, tc);
	tc = tcase_create("refuse");
	tcase_add_loop_test(tc, normalize_bad, 0, (int)NBAD);
	tcase_add_test(tc, normalize_null);
	tcase_add_test(tc, input_length_cap);
	suite_add_tcase(s, tc);
	tc = tcase_create("outsz");
	tcase_add_test(tc, small_outsz);
	tcase_add_test(tc, small_outsz_heap);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(phone_suite());
}
