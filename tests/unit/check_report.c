/*
 * check_report.c - unit tests for lib/report.c: the reports' dates, their
 * query (range, defaults, caps), who may read what, and the CSV fields.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "report.h"

/* 2001-03-02 12:00:00 UTC. */
#define NOON_2001_03_02	983534400

START_TEST(days_round_trip)
{
	static const struct { const char *s; long day; } cases[] = {
		{ "1970-01-01", 0 }, { "1970-01-02", 1 },
		{ "2000-02-29", 11016 }, { "2000-03-01", 11017 },
		{ "2001-03-01", 11382 }, { "2024-12-31", 20088 },
		{ "2999-12-31", 376199 },
	};
	char out[REPORT_DATE_LEN + 1];
	size_t i;
	long day, back;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(report_day_parse(cases[i].s, &day), 0);
		ck_assert_int_eq(day, cases[i].day);
		ck_assert_int_eq(report_day_format(day, out, sizeof(out)), 0);
		ck_assert_str_eq(out, cases[i].s);
	}
	/* Every week of the calendar goes there and back. */
	for (day = 0; day < 376200; day += 7) {
		ck_assert_int_eq(report_day_format(day, out, sizeof(out)), 0);
		ck_assert_int_eq(report_day_parse(out, &back), 0);
		ck_assert_int_eq(back, day);
	}
	ck_assert_int_eq(report_day_format(0, out, 10), -1);
	ck_assert_int_eq(report_day_format(-1, out, sizeof(out)), -1);
}
END_TEST

START_TEST(days_refused)
{
	static const char *const bad[] = {
		"", "2001-3-01", "2001-03-1", "01-03-2001", "2001/03/01",
		"2001-03-01T00:00", " 2001-03-01", "2001-13-01", "2001-00-10",
		"2001-02-29", "1900-02-29", "2001-04-31", "2001-03-00",
		"1969-12-31", "3000-01-01", "2001-0a-01", "+001-03-01",
	};
	size_t i;
	long day;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(report_day_parse(bad[i], &day) == -1,
		    "\"%s\" accepted", bad[i]);
	ck_assert_int_eq(report_day_parse("2004-02-29", &day), 0);
}
END_TEST

START_TEST(query_ranges)
{
	struct report_query q;
	struct api_error err;

	ck_assert_int_eq(report_query_parse("2001-03-01", "2001-03-03", NULL,
	    0, &q, &err), 0);
	ck_assert_int_eq(q.ndays, 3);
	ck_assert_str_eq(q.from, "2001-03-01");
	ck_assert_str_eq(q.to, "2001-03-03");
	ck_assert_str_eq(q.end, "2001-03-04");
	ck_assert_int_eq(q.support, 0);
	/* Defaults: the last 7 days up to today, or 7 from either end. */
	ck_assert_int_eq(report_query_parse(NULL, NULL, NULL, NOON_2001_03_02,
	    &q, &err), 0);
	ck_assert_str_eq(q.from, "2001-02-24");
	ck_assert_str_eq(q.to, "2001-03-02");
	ck_assert_int_eq(report_query_parse("", "2001-03-02", "", 0, &q,
	    &err), 0);
	ck_assert_str_eq(q.from, "2001-02-24");
	ck_assert_int_eq(report_query_parse("2001-03-02", NULL, "42", 0, &q,
	    &err), 0);
	ck_assert_str_eq(q.to, "2001-03-08");
	ck_assert_int_eq(q.support, 42);
	/* One day, and the longest range (a leap year). */
	ck_assert_int_eq(report_query_parse("2001-03-02", "2001-03-02", NULL,
	    0, &q, &err), 0);
	ck_assert_int_eq(q.ndays, 1);
	ck_assert_int_eq(report_query_parse("2004-01-01", "2004-12-31", NULL,
	    0, &q, &err), 0);
	ck_assert_int_eq(q.ndays, 366);
	/* Clamped at the ends of the calendar. */
	ck_assert_int_eq(report_query_parse(NULL, "1970-01-02", NULL, 0, &q,
	    &err), 0);
	ck_assert_str_eq(q.from, "1970-01-01");
	ck_assert_int_eq(report_query_parse("2999-12-30", NULL, NULL, 0, &q,
	    &err), 0);
	ck_assert_str_eq(q.to, "2999-12-31");
	ck_assert_str_eq(q.end, "3000-01-01");
}
END_TEST

START_TEST(query_refused)
{
	struct report_query q;
	struct api_error err;

	ck_assert_int_eq(report_query_parse("2001-03-03", "2001-03-01", NULL,
	    0, &q, &err), -1);
	ck_assert_int_eq(err.code, API_VALIDATION);
	ck_assert_ptr_nonnull(strstr(err.message, "after"));
	ck_assert_int_eq(report_query_parse("2004-01-01", "2005-01-01", NULL,
	    0, &q, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "366"));
	ck_assert_int_eq(report_query_parse("yesterday", NULL, NULL, 0, &q,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "from"));
	ck_assert_int_eq(report_query_parse(NULL, "2001-02-30", NULL, 0, &q,
	    &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "to"));
	ck_assert_int_eq(report_query_parse(NULL, NULL, "-1", 0, &q, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "supportId"));
	ck_assert_int_eq(report_query_parse(NULL, NULL, "0", 0, &q, &err), -1);
	ck_assert_int_eq(report_query_parse(NULL, NULL, "1x", 0, &q, &err), -1);
}
END_TEST

START_TEST(scope)
{
	struct chat_user u = { .id = 7, .role = CHAT_ROLE_SUPPORT };
	struct report_query q = { .support = 0 };
	struct api_error err;

	ck_assert_int_eq(report_scope(&u, &q, &err), 0);
	ck_assert_int_eq(q.support, 7);		/* none: their own */
	ck_assert_int_eq(report_scope(&u, &q, &err), 0);
	q.support = 8;
	ck_assert_int_eq(report_scope(&u, &q, &err), -1);
	ck_assert_int_eq(err.code, API_FORBIDDEN);
	u.role = CHAT_ROLE_ADMIN;
	ck_assert_int_eq(report_scope(&u, &q, &err), 0);
	ck_assert_int_eq(q.support, 8);
	q.support = 0;
	ck_assert_int_eq(report_scope(&u, &q, &err), 0);
	ck_assert_int_eq(q.support, 0);		/* everyone */
	u.role = CHAT_ROLE_USER;
	ck_assert_int_eq(report_scope(&u, &q, &err), -1);
	ck_assert_int_eq(err.code, API_FORBIDDEN);
}
END_TEST

START_TEST(csv_fields)
{
	struct report_buf b = { 0 };

	report_buf_field(&b, "plain", 1);
	report_buf_field(&b, NULL, 0);
	report_buf_field(&b, "a,b", 1);
	report_buf_field(&b, "say \"hi\"", 1);
	report_buf_field(&b, "two\nlines", 1);
	report_buf_field(&b, "=SUM(A1)", 1);
	report_buf_field(&b, "-5", 0);		/* a number stays a number */
	report_buf_field(&b, "@x \"y\"", 1);
	report_buf_field(&b, "आशा", 1);
	report_buf_eol(&b);
	report_buf_field(&b, "", 1);
	report_buf_eol(&b);
	ck_assert_int_eq(b.failed, 0);
	ck_assert_str_eq(b.p, "plain,,\"a,b\",\"say \"\"hi\"\"\","
	    "\"two\nlines\",\"'=SUM(A1)\",-5,\"'@x \"\"y\"\"\",आशा\r\n\r\n");
	ck_assert_uint_eq(b.len, strlen(b.p));
	free(b.p);
}
END_TEST

/* A report of two days and an agent, both renderings. */
START_TEST(renderings)
{
	struct report rep;
	struct report_agent *a;
	struct api_error err;
	char *csv;
	size_t len;
	json_object *o;
	const char *s;

	memset(&rep, 0, sizeof(rep));
	ck_assert_int_eq(report_query_parse("2001-03-01", "2001-03-02", NULL,
	    0, &rep.q, &err), 0);
	rep.day = calloc(2, sizeof(rep.day[0]));
	ck_assert_ptr_nonnull(rep.day);
	rep.day[0].started = 2;
	rep.day[0].first_response = (struct report_pct){ 1, 45.5, 57.1 };
	rep.day[0].rated = 3;
	rep.day[0].score_sum = 14;
	a = report_agent_of(&rep, 9);
	ck_assert_ptr_nonnull(a);
	strcpy(a->name, "Lata, \"L\"");
	a->f = rep.day[0];
	rep.total = rep.day[0];
	ck_assert_ptr_eq(report_agent_of(&rep, 9), a);
	o = report_json(&rep);
	ck_assert_ptr_nonnull(o);
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	ck_assert_ptr_nonnull(strstr(s, "\"days\":[{\"date\":\"2001-03-01\","
	    "\"started\":2,\"resolved\":0,\"firstResponse\":{\"median\":45.5,"
	    "\"p90\":57.1},\"resolution\":{\"median\":null,\"p90\":null},"
	    "\"messagesIn\":0,\"messagesOut\":0,\"rating\":{\"average\":4.67,"
	    "\"count\":3}},{\"date\":\"2001-03-02\""));
	ck_assert_ptr_nonnull(strstr(s, "\"supportId\":\"9\",\"name\":"));
	ck_assert_ptr_nonnull(strstr(s, "\"supportId\":null"));
	json_object_put(o);
	ck_assert_int_eq(report_csv(&rep, &csv, &len), 0);
	ck_assert_str_eq(csv, "row,date,supportId,name,started,resolved,"
	    "firstResponseMedian,firstResponseP90,resolutionMedian,"
	    "resolutionP90,messagesIn,messagesOut,ratingAverage,ratingCount\r\n"
	    "day,2001-03-01,,,2,0,45.5,57.1,,,0,0,4.67,3\r\n"
	    "day,2001-03-02,,,0,0,,,,,0,0,,0\r\n"
	    "agent,,9,\"Lata, \"\"L\"\"\",2,0,45.5,57.1,,,0,0,4.67,3\r\n"
	    "total,,,,2,0,45.5,57.1,,,0,0,4.67,3\r\n");
	free(csv);
	report_free(&rep);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("dates");

	tcase_add_test(tc, days_round_trip);
	tcase_add_test(tc, days_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("query");
	tcase_add_test(tc, query_ranges);
	tcase_add_test(tc, query_refused);
	tcase_add_test(tc, scope);
	suite_add_tcase(s, tc);
	tc = tcase_create("render");
	tcase_add_test(tc, csv_fields);
	tcase_add_test(tc, renderings);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(report_suite());
}
