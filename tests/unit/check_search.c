/*
 * check_search.c - unit tests for search_parse() in lib/search_db.c.
 *
 * A query becomes three things: a boolean-mode FULLTEXT query of the words
 * InnoDB indexes ("+word*", all required), a LIKE pattern for names with
 * the wildcards escaped, and the digits of a phone number.
 */
#include <string.h>

#include <check.h>

#include "unit.h"

#include "search_db.h"

struct parsed {
	const char	*q;
	const char	*fulltext;
	const char	*like;
	const char	*digits;
};

static const struct parsed cases[] = {
	{ "wheat rust", "+wheat* +rust*", "%wheat rust%", "" },
	/* Words under 3 characters are not indexed: names only. */
	{ "ab", "", "%ab%", "" },
	{ "is my cow ok", "+cow*", "%is my cow ok%", "" },
	/* Query syntax is only separators. */
	{ "+neem -oil \"(x)\" ~<>@*", "+neem* +oil*", "%+neem -oil \"(x)\" ~<>@*%", "" },
	/* LIKE's wildcards and the escape character are escaped. */
	{ "50% off_x!", "+off_x*", "%50!% off!_x!!%", "" },
	/* Hindi: vowel signs are part of the word; the danda is not. */
	{ "गेहूं के पत्ते।", "+गेहूं* +पत्ते*", "%गेहूं के पत्ते।%", "" },
	/* Curly quotes and dashes of General Punctuation separate. */
	{ "“neem”—oil", "+neem* +oil*", "%“neem”—oil%", "" },
	/* Phone numbers: digits, leading 0s (a national prefix) dropped. */
	{ "+91 90000 00101", "+90000* +00101*", "%+91 90000 00101%", "919000000101" },
	{ "09000000101", "+09000000101*", "%09000000101%", "9000000101" },
	{ "(900) 000-0101", "+900* +000* +0101*", "%(900) 000-0101%", "9000000101" },
	{ "123", "+123*", "%123%", "" },
	/* Trimmed of spaces and tabs. */
	{ "  \tneem\t ", "+neem*", "%neem%", "" },
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

START_TEST(parse_ok)
{
	const struct parsed *c = &cases[_i];
	struct search_query q;
	struct api_error err;

	ck_assert_msg(search_parse(c->q, &q, &err) == 0, "%s: %s", c->q,
	    err.message);
	ck_assert_str_eq(q.fulltext, c->fulltext);
	ck_assert_str_eq(q.like, c->like);
	ck_assert_str_eq(q.digits, c->digits);
}
END_TEST

START_TEST(parse_refused)
{
	static const char *const bad[] = { "", " ", "x", "  y  ", "\xff\xfe",
	    "ab\xc3" };
	char long_q[SEARCH_Q_MAX * 4 + 8];
	struct search_query q;
	struct api_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(search_parse(bad[i], &q, &err), -1);
		ck_assert_int_eq(err.code, API_VALIDATION);
	}
	memset(long_q, 'a', SEARCH_Q_MAX + 1);
	long_q[SEARCH_Q_MAX + 1] = '\0';
	ck_assert_int_eq(search_parse(long_q, &q, &err), -1);
	long_q[SEARCH_Q_MAX] = '\0';
	ck_assert_int_eq(search_parse(long_q, &q, &err), 0);
	/* 200 characters of three bytes each are fine too. */
	for (i = 0; i < SEARCH_Q_MAX; i++)
		memcpy(long_q + 3 * i, "\xe0\xa4\x95", 3);
	long_q[3 * SEARCH_Q_MAX] = '\0';
	ck_assert_int_eq(search_parse(long_q, &q, &err), 0);
	/* At most SEARCH_WORDS_MAX words go to FULLTEXT. */
	ck_assert_int_eq(search_parse("aaa bbb ccc ddd eee fff ggg hhh iii jjj "
	    "kkk lll mmm nnn ooo ppp qqq rrr", &q, &err), 0);
	ck_assert_ptr_null(strstr(q.fulltext, "qqq"));
	ck_assert_ptr_nonnull(strstr(q.fulltext, "+ppp*"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("search");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, parse_ok, 0, (int)NCASES);
	tcase_add_test(tc, parse_refused);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
