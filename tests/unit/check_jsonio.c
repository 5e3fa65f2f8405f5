/*
 * check_jsonio.c - unit tests for lib/jsonio.c and lib/apierr.c.
 *
 * Request bodies (one JSON object, depth-capped, UTF-8 checked), typed
 * field readers, ids as decimal strings, ISO 8601 times, and the error
 * table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"
#include <json-c/json.h>

#include "apierr.h"
#include "jsonio.h"

/* A byte-string literal and its length, NULs included. */
#define B(lit)	(lit), sizeof(lit) - 1

static json_object *
parse_str(const char *s, struct api_error *err)
{
	return jsonio_parse_object(s, strlen(s), err);
}

/* An object from trusted text, for the field readers. */
static json_object *
obj(const char *text)
{
	json_object *o;

	o = json_tokener_parse(text);
	ck_assert_msg(o != NULL && json_object_is_type(o, json_type_object),
	    "test JSON %s", text);
	return o;
}

/* d objects nested in each other: {"a":{"a":...{}...}}. */
static char *
nested(int d)
{
	char *buf, *p;
	int i;

	buf = malloc((size_t)d * 6 + 8);
	ck_assert_ptr_nonnull(buf);
	p = buf;
	for (i = 0; i < d - 1; i++) {
		memcpy(p, "{\"a\":", 5);
		p += 5;
	}
	memcpy(p, "{}", 2);
	p += 2;
	for (i = 0; i < d - 1; i++)
		*p++ = '}';
	*p = '\0';
	return buf;
}

/* --- jsonio_parse_object ------------------------------------------------ */

START_TEST(parse_valid)
{
	struct api_error err = { API_OK, "", 0 };
	json_object *o, *v;

	o = parse_str("{\"a\":1,\"b\":\"x\",\"c\":[1,2],\"d\":{\"e\":null}}",
	    &err);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_is_type(o, json_type_object));
	ck_assert(json_object_object_get_ex(o, "a", &v));
	ck_assert_int_eq(json_object_get_int(v), 1);
	ck_assert(json_object_object_get_ex(o, "b", &v));
	ck_assert_str_eq(json_object_get_string(v), "x");
	json_object_put(o);

	/* Empty object, surrounding whitespace, UTF-8 in strings. */
	o = parse_str("{}", &err);
	ck_assert_ptr_nonnull(o);
	json_object_put(o);
	o = parse_str(" \n{\"a\" : 1}\n", &err);
	ck_assert_ptr_nonnull(o);
	json_object_put(o);
	o = parse_str("{\"t\":\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\"}",
	    &err);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "t", &v));
	ck_assert_str_eq(json_object_get_string(v),
	    "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
	json_object_put(o);
}
END_TEST

START_TEST(parse_uses_len)
{
	struct api_error err;
	json_object *o;
	const char *buf = "{\"a\":1}GARBAGE";

	/* Only len bytes are read: the rest of the buffer does not count. */
	o = jsonio_parse_object(buf, 7, &err);
	ck_assert_ptr_nonnull(o);
	json_object_put(o);
	o = jsonio_parse_object(buf, 8, &err);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(err.code, API_INVALID_JSON);
	/* Not NUL-terminated at all. */
	{
		char raw[7];

		memcpy(raw, "{\"a\":1}", 7);
		o = jsonio_parse_object(raw, sizeof(raw), &err);
		ck_assert_ptr_nonnull(o);
		json_object_put(o);
	}
}
END_TEST

struct bad_body {
	const char	*label;
	const char	*buf;
	size_t		 len;
};

static const struct bad_body bad_bodies[] = {
	{ "array", B("[1,2]") },
	{ "empty array", B("[]") },
	{ "string", B("\"x\"") },
	{ "number", B("42") },
	{ "number with newline", B("42\n") },
	{ "true", B("true") },
	{ "null", B("null") },
	{ "trailing garbage", B("{\"a\":1} x") },
	{ "two objects", B("{\"a\":1}{\"b\":2}") },
	{ "trailing comma in object", B("{\"a\":1,}") },
	{ "truncated", B("{\"a\":") },
	{ "truncated string", B("{\"a\":\"x") },
	{ "unclosed", B("{\"a\":1") },
	{ "open brace only", B("{") },
	{ "bare key", B("{a:1}") },
	{ "comment", B("{\"a\":1 /* c */}") },
	{ "leading zero", B("{\"a\":01}") },
	{ "blank", B("   ") },
	{ "invalid UTF-8 in a string", B("{\"a\":\"\xff\"}") },
	{ "overlong in a string", B("{\"a\":\"\xc0\xaf\"}") },
	{ "surrogate in a string", B("{\"a\":\"\xed\xa0\x80\"}") },
	{ "truncated UTF-8 at end", B("{\"a\":1}\xe2\x82") },
	{ "NUL inside", B("{\"a\":\0 1}") },
	{ "empty", "", 0 },
	{ "empty, len 0 on text", "{\"a\":1}", 0 },
};

#define NBAD	(sizeof(bad_bodies) / sizeof(bad_bodies[0]))

START_TEST(parse_refused)
{
	const struct bad_body *c = &bad_bodies[_i];
	struct api_error err = { API_OK, "", 0 };
	json_object *o;

	o = jsonio_parse_object(c->buf, c->len, &err);
	ck_assert_msg(o == NULL, "%s: accepted", c->label);
	ck_assert_msg(err.code == API_INVALID_JSON, "%s: code %d", c->label,
	    err.code);
	ck_assert_msg(err.message[0] != '\0', "%s: no message", c->label);
	ck_assert_int_eq(api_status(err.code), 400);
}
END_TEST

START_TEST(parse_depth)
{
	struct api_error err = { API_OK, "", 0 };
	json_object *o;
	char *buf;

	buf = nested(10);
	o = parse_str(buf, &err);
	ck_assert_ptr_nonnull(o);
	json_object_put(o);
	free(buf);

	buf = nested(JSONIO_MAX_DEPTH);
	o = parse_str(buf, &err);
	ck_assert_msg(o != NULL, "%d levels refused: %s", JSONIO_MAX_DEPTH,
	    err.message);
	json_object_put(o);
	free(buf);

	buf = nested(JSONIO_MAX_DEPTH + 1);
	o = parse_str(buf, &err);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(err.code, API_INVALID_JSON);
	free(buf);

	buf = nested(1000);
	o = parse_str(buf, &err);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(err.code, API_INVALID_JSON);
	free(buf);

	/* Arrays count too. */
	o = parse_str("{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}", &err);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(err.code, API_INVALID_JSON);
}
END_TEST

/* --- jsonio_string ------------------------------------------------------ */

START_TEST(string_field)
{
	struct api_error err = { API_OK, "", 0 };
	json_object *o;
	const char *s;

	o = obj("{\"name\":\"alice\",\"n\":5,\"nul\":null,\"arr\":[\"x\"],"
	    "\"empty\":\"\",\"o\":{}}");

	s = NULL;
	ck_assert_int_eq(jsonio_string(o, "name", 1, 5, &s, &err), 0);
	ck_assert_str_eq(s, "alice");
	ck_assert_int_eq(jsonio_string(o, "empty", 1, 5, &s, &err), 0);
	ck_assert_str_eq(s, "");

	/* Too long by one byte. */
	s = "sentinel";
	ck_assert_int_eq(jsonio_string(o, "name", 1, 4, &s, &err), -1);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(err.code, API_VALIDATION);
	ck_assert_ptr_nonnull(strstr(err.message, "name"));

	/* Absent: fine when optional, an error when required. */
	s = "sentinel";
	ck_assert_int_eq(jsonio_string(o, "missing", 0, 10, &s, &err), 0);
	ck_assert_ptr_null(s);
	err.code = API_OK;
	ck_assert_int_eq(jsonio_string(o, "missing", 1, 10, &s, &err), -1);
	ck_assert_int_eq(err.code, API_VALIDATION);
	ck_assert_ptr_nonnull(strstr(err.message, "missing"));

	/* null counts as absent. */
	s = "sentinel";
	ck_assert_int_eq(jsonio_string(o, "nul", 0, 10, &s, &err), 0);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(jsonio_string(o, "nul", 1, 10, &s, &err), -1);
	ck_assert_int_eq(err.code, API_VALIDATION);

	/* Wrong types. */
	err.code = API_OK;
	ck_assert_int_eq(jsonio_string(o, "n", 0, 10, &s, &err), -1);
	ck_assert_int_eq(err.code, API_VALIDATION);
	ck_assert_ptr_nonnull(strstr(err.message, "n "));
	ck_assert_int_eq(jsonio_string(o, "arr", 0, 10, &s, &err), -1);
	ck_assert_int_eq(jsonio_string(o, "o", 1, 10, &s, &err), -1);
	ck_assert_ptr_null(s);
	json_object_put(o);

	/* An escaped NUL would cut the string short in C: refused. */
	o = obj("{\"content\":\"hi\\u0000rest\"}");
	err.code = API_OK;
	s = "sentinel";
	ck_assert_int_eq(jsonio_string(o, "content", 1, 100, &s, &err), -1);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(err.code, API_VALIDATION);
	ck_assert_ptr_nonnull(strstr(err.message, "NUL"));
	json_object_put(o);
}
END_TEST

START_TEST(string_length_in_bytes)
{
	struct api_error err;
	json_object *o;
	const char *s;

	/* "é" is 2 bytes: maxlen counts bytes. */
	o = obj("{\"t\":\"\xc3\xa9\xc3\xa9\"}");
	ck_assert_int_eq(jsonio_string(o, "t", 1, 4, &s, &err), 0);
	ck_assert_str_eq(s, "\xc3\xa9\xc3\xa9");
	ck_assert_int_eq(jsonio_string(o, "t", 1, 3, &s, &err), -1);
	json_object_put(o);
}
END_TEST

/* --- jsonio_id / id_parse ----------------------------------------------- */

struct id_case {
	const char	*json;	/* the object, field "id" */
	int		 rc;
	long long	 want;
};

static const struct id_case id_cases[] = {
	{ "{\"id\":\"42\"}", 0, 42 },
	{ "{\"id\":42}", 0, 42 },
	{ "{\"id\":\"1\"}", 0, 1 },
	{ "{\"id\":1}", 0, 1 },
	{ "{\"id\":\"9223372036854775807\"}", 0, 9223372036854775807LL },
	{ "{\"id\":9223372036854775807}", 0, 9223372036854775807LL },
	{ "{\"id\":\"0\"}", -1, 0 },
	{ "{\"id\":0}", -1, 0 },
	{ "{\"id\":-1}", -1, 0 },
	{ "{\"id\":\"-1\"}", -1, 0 },
	{ "{\"id\":\"abc\"}", -1, 0 },
	{ "{\"id\":\"\"}", -1, 0 },
	{ "{\"id\":\"4 2\"}", -1, 0 },
	{ "{\"id\":\"42 \"}", -1, 0 },
	{ "{\"id\":\"1e3\"}", -1, 0 },
	{ "{\"id\":\"9223372036854775808\"}", -1, 0 },
	{ "{\"id\":\"99999999999999999999\"}", -1, 0 },
	{ "{\"id\":-9223372036854775808}", -1, 0 },
	{ "{\"id\":1.5}", -1, 0 },
	{ "{\"id\":1.0}", -1, 0 },
	{ "{\"id\":1e3}", -1, 0 },
	{ "{\"id\":true}", -1, 0 },
	{ "{\"id\":[1]}", -1, 0 },
	{ "{\"id\":{}}", -1, 0 },
};

#define NIDS	(sizeof(id_cases) / sizeof(id_cases[0]))

START_TEST(id_loop)
{
	const struct id_case *c = &id_cases[_i];
	struct api_error err = { API_OK, "", 0 };
	json_object *o;
	long long id = -7;
	int rc;

	o = obj(c->json);
	rc = jsonio_id(o, "id", 1, &id, &err);
	ck_assert_msg(rc == c->rc, "%s: rc %d, id %lld", c->json, rc, id);
	ck_assert_msg(id == c->want, "%s: id %lld, want %lld", c->json, id,
	    c->want);
	if (rc == -1) {
		ck_assert_int_eq(err.code, API_VALIDATION);
		ck_assert_ptr_nonnull(strstr(err.message, "id"));
	}
	json_object_put(o);
}
END_TEST

/*
 * Regression: json-c stores numbers above 2^63-1 as uint64 (saturating at
 * UINT64_MAX) and json_object_get_int64() clamps them to INT64_MAX without
 * errno; jsonio_id must refuse them like the same value given as a string.
 */
START_TEST(id_number_out_of_range)
{
	static const char *cases[] = {
		"{\"id\":9223372036854775808}",
		"{\"id\":18446744073709551615}",
		"{\"id\":99999999999999999999}",
	};
	struct api_error err = { API_OK, "", 0 };
	json_object *o;
	long long id;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = obj(cases[i]);
		id = -7;
		rc = jsonio_id(o, "id", 1, &id, &err);
		ck_assert_msg(rc == -1, "%s: accepted as id %lld", cases[i], id);
		ck_assert_int_eq(id, 0);
		json_object_put(o);
	}
}
END_TEST

START_TEST(id_absent)
{
	struct api_error err = { API_OK, "", 0 };
	json_object *o;
	long long id;

	o = obj("{\"other\":\"5\",\"nul\":null}");
	id = -7;
	ck_assert_int_eq(jsonio_id(o, "id", 0, &id, &err), 0);
	ck_assert_int_eq(id, 0);
	id = -7;
	ck_assert_int_eq(jsonio_id(o, "nul", 0, &id, &err), 0);
	ck_assert_int_eq(id, 0);
	ck_assert_int_eq(jsonio_id(o, "id", 1, &id, &err), -1);
	ck_assert_int_eq(err.code, API_VALIDATION);
	ck_assert_ptr_nonnull(strstr(err.message, "id"));
	err.code = API_OK;
	ck_assert_int_eq(jsonio_id(o, "nul", 1, &id, &err), -1);
	ck_assert_int_eq(err.code, API_VALIDATION);
	json_object_put(o);
}
END_TEST

struct parse_case {
	const char	*s;
	int		 rc;
	long long	 want;
};

static const struct parse_case parse_cases[] = {
	{ "1", 0, 1 },
	{ "42", 0, 42 },
	{ "9223372036854775807", 0, 9223372036854775807LL },
	{ "1000000000000000000", 0, 1000000000000000000LL },
	/*
	 * Leading zeros: jsonio.h only rules out signs and spaces, and the
	 * code reads every digit, so "01" is 1 (within the 19-byte cap).
	 */
	{ "01", 0, 1 },
	{ "0000000000000000042", 0, 42 },
	{ "00000000000000000042", -1, 0 },	/* 20 bytes */
	{ "", -1, 0 },
	{ "0", -1, 0 },
	{ "00", -1, 0 },
	{ "+1", -1, 0 },
	{ "-1", -1, 0 },
	{ " 1", -1, 0 },
	{ "1 ", -1, 0 },
	{ "1\n", -1, 0 },
	{ "0x10", -1, 0 },
	{ "1.0", -1, 0 },
	{ "1e3", -1, 0 },
	{ "abc", -1, 0 },
	{ "12a", -1, 0 },
	{ "9223372036854775808", -1, 0 },
	{ "9999999999999999999", -1, 0 },
	{ "10000000000000000000", -1, 0 },
	{ "18446744073709551617", -1, 0 },
	{ "\xd9\xa1", -1, 0 },			/* Arabic-Indic one */
};

#define NPARSE	(sizeof(parse_cases) / sizeof(parse_cases[0]))

START_TEST(id_parse_loop)
{
	const struct parse_case *c = &parse_cases[_i];
	long long v = -7;
	int rc;

	rc = id_parse(c->s, &v);
	ck_assert_msg(rc == c->rc, "\"%s\": rc %d (v %lld)", c->s, rc, v);
	if (rc == 0)
		ck_assert_msg(v == c->want, "\"%s\": %lld", c->s, v);
	else
		ck_assert_msg(v == -7, "\"%s\": out written on failure", c->s);
}
END_TEST

START_TEST(id_parse_null)
{
	long long v = -7;

	ck_assert_int_eq(id_parse(NULL, &v), -1);
	ck_assert_int_eq(v, -7);
}
END_TEST

START_TEST(id_new)
{
	json_object *o;

	o = jsonio_id_new(42);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_is_type(o, json_type_string));
	ck_assert_str_eq(json_object_get_string(o), "42");
	json_object_put(o);
	o = jsonio_id_new(9223372036854775807LL);
	ck_assert_str_eq(json_object_get_string(o), "9223372036854775807");
	json_object_put(o);
}
END_TEST

/* --- times and text ----------------------------------------------------- */

struct time_case {
	long long	 ms;
	const char	*want;
};

static const struct time_case time_cases[] = {
	{ 0, "1970-01-01T00:00:00.000Z" },
	{ 1, "1970-01-01T00:00:00.001Z" },
	{ 999, "1970-01-01T00:00:00.999Z" },
	{ 1000, "1970-01-01T00:00:01.000Z" },
	{ 1764000000123LL, "2025-11-24T16:00:00.123Z" },
	{ 951782400000LL, "2000-02-29T00:00:00.000Z" },	/* leap day */
	{ 1704067199999LL, "2023-12-31T23:59:59.999Z" },
	{ 1704067200000LL, "2024-01-01T00:00:00.000Z" },
	{ 4102444800005LL, "2100-01-01T00:00:00.005Z" },
};

#define NTIMES	(sizeof(time_cases) / sizeof(time_cases[0]))

START_TEST(time_loop)
{
	const struct time_case *c = &time_cases[_i];
	json_object *o;

	o = jsonio_time_new(c->ms);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_is_type(o, json_type_string));
	ck_assert_str_eq(json_object_get_string(o), c->want);
	json_object_put(o);
}
END_TEST

START_TEST(time_negative)
{
	json_object *o, *wrap;
	size_t len;

	ck_assert_ptr_null(jsonio_time_new(-1));
	/* Year 10000 does not fit the four-digit form: null, not garbage. */
	ck_assert_ptr_null(jsonio_time_new(253402300800000LL));
	ck_assert_ptr_null(jsonio_time_new(-1000));
	/* NULL is JSON null once added to an object. */
	wrap = json_object_new_object();
	json_object_object_add(wrap, "t", jsonio_time_new(-1));
	ck_assert_str_eq(jsonio_text(wrap, &len), "{\"t\":null}");
	ck_assert_uint_eq(len, 10);
	o = NULL;
	ck_assert(json_object_object_get_ex(wrap, "t", &o));
	ck_assert_ptr_null(o);
	json_object_put(wrap);
}
END_TEST

START_TEST(text_compact)
{
	json_object *o;
	const char *s;
	size_t len = 0;

	o = json_object_new_object();
	json_object_object_add(o, "a", json_object_new_int(1));
	json_object_object_add(o, "url", json_object_new_string("http://x/y"));
	json_object_object_add(o, "e", json_object_new_string("h\xc3\xa9"));
	s = jsonio_text(o, &len);
	ck_assert_str_eq(s, "{\"a\":1,\"url\":\"http://x/y\",\"e\":\"h\xc3\xa9\"}");
	ck_assert_uint_eq(len, strlen(s));
	json_object_put(o);
}
END_TEST

/* --- utf8_valid --------------------------------------------------------- */

struct utf8_case {
	const char	*label;
	const char	*s;
	size_t		 len;
	int		 ok;
};

static const struct utf8_case utf8_cases[] = {
	{ "empty", B(""), 1 },
	{ "ascii", B("hello, world"), 1 },
	{ "NUL is ASCII", B("a\0b"), 1 },
	{ "2-byte", B("\xc3\xa9"), 1 },
	{ "2-byte lowest", B("\xc2\x80"), 1 },
	{ "3-byte", B("\xe2\x82\xac"), 1 },
	{ "3-byte lowest", B("\xe0\xa0\x80"), 1 },
	{ "3-byte before surrogates", B("\xed\x9f\xbf"), 1 },
	{ "3-byte after surrogates", B("\xee\x80\x80"), 1 },
	{ "U+FFFF", B("\xef\xbf\xbf"), 1 },
	{ "4-byte", B("\xf0\x9f\x98\x80"), 1 },
	{ "4-byte lowest", B("\xf0\x90\x80\x80"), 1 },
	{ "U+10FFFF", B("\xf4\x8f\xbf\xbf"), 1 },
	{ "mixed", B("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z"), 1 },
	{ "overlong C0 80", B("\xc0\x80"), 0 },
	{ "overlong C1 BF", B("\xc1\xbf"), 0 },
	{ "overlong 3-byte", B("\xe0\x80\xaf"), 0 },
	{ "overlong 3-byte max", B("\xe0\x9f\xbf"), 0 },
	{ "overlong 4-byte", B("\xf0\x80\x80\xaf"), 0 },
	{ "overlong 4-byte max", B("\xf0\x8f\xbf\xbf"), 0 },
	{ "surrogate ED A0 80", B("\xed\xa0\x80"), 0 },
	{ "surrogate ED BF BF", B("\xed\xbf\xbf"), 0 },
	{ "above U+10FFFF", B("\xf4\x90\x80\x80"), 0 },
	{ "F5", B("\xf5\x80\x80\x80"), 0 },
	{ "F8", B("\xf8\x88\x80\x80\x80"), 0 },
	{ "FF", B("\xff"), 0 },
	{ "FE", B("\xfe"), 0 },
	{ "lone continuation", B("\x80"), 0 },
	{ "continuation after ascii", B("a\xbf"), 0 },
	{ "truncated 2-byte", B("\xc3"), 0 },
	{ "truncated 3-byte", B("\xe2\x82"), 0 },
	{ "truncated 4-byte", B("\xf0\x9f\x98"), 0 },
	{ "truncated at end", B("abc\xe2\x82"), 0 },
	{ "bad continuation", B("\xc3\x28"), 0 },
	{ "bad 3rd byte", B("\xe2\x82\x28"), 0 },
	{ "bad 4th byte", B("\xf0\x9f\x98\x28"), 0 },
	{ "lead then lead", B("\xc3\xc3\xa9"), 0 },
};

#define NUTF8	(sizeof(utf8_cases) / sizeof(utf8_cases[0]))

START_TEST(utf8_loop)
{
	const struct utf8_case *c = &utf8_cases[_i];

	ck_assert_msg(utf8_valid(c->s, c->len) == c->ok, "%s: got %d",
	    c->label, !c->ok);
}
END_TEST

START_TEST(utf8_len_bounds)
{
	/* Only len bytes are looked at. */
	ck_assert_int_eq(utf8_valid("\xc3\xa9", 1), 0);
	ck_assert_int_eq(utf8_valid("ab\xff", 2), 1);
	ck_assert_int_eq(utf8_valid("\xff", 0), 1);
}
END_TEST

START_TEST(utf8_truncated_heap)
{
	/* A lead byte last in an exact-size buffer: no read past it. */
	char *p;

	p = malloc(3);
	ck_assert_ptr_nonnull(p);
	memcpy(p, "ab\xf0", 3);
	ck_assert_int_eq(utf8_valid(p, 3), 0);
	memcpy(p, "a\xe2\x82", 3);
	ck_assert_int_eq(utf8_valid(p, 3), 0);
	free(p);
}
END_TEST

/* --- apierr ------------------------------------------------------------- */

START_TEST(api_not_found)
{
	struct api_error err = { API_OK, "", 0 };
	json_object *o, *v;

	ck_assert_int_eq(api_fail(&err, API_NOT_FOUND, "conversation %d", 7),
	    -1);
	ck_assert_int_eq(err.code, API_NOT_FOUND);
	ck_assert_str_eq(err.message, "conversation 7");
	ck_assert_int_eq(api_status(API_NOT_FOUND), 404);
	ck_assert_str_eq(api_code_name(API_NOT_FOUND), "not_found");
	ck_assert_str_eq(api_status_text(404), "Not Found");

	o = api_error_object(&err);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "code", &v));
	ck_assert_str_eq(json_object_get_string(v), "not_found");
	ck_assert(json_object_object_get_ex(o, "message", &v));
	ck_assert_str_eq(json_object_get_string(v), "conversation 7");
	ck_assert_int_eq(json_object_object_length(o), 2);
	json_object_put(o);
}
END_TEST

struct code_case {
	enum api_code	 code;
	int		 status;
	const char	*name;
};

static const struct code_case code_cases[] = {
	{ API_OK, 200, "ok" },
	{ API_BAD_REQUEST, 400, "bad_request" },
	{ API_INVALID_JSON, 400, "invalid_json" },
	{ API_VALIDATION, 400, "validation_failed" },
	{ API_UNAUTHORIZED, 401, "unauthorized" },
	{ API_INVALID_CREDENTIALS, 401, "invalid_credentials" },
	{ API_FORBIDDEN, 403, "forbidden" },
	{ API_NOT_FOUND, 404, "not_found" },
	{ API_METHOD, 405, "method_not_allowed" },
	{ API_CONFLICT, 409, "conflict" },
	{ API_PHONE_TAKEN, 409, "phone_taken" },
	{ API_TOO_LARGE, 413, "payload_too_large" },
	{ API_UNSUPPORTED_MEDIA, 415, "unsupported_media_type" },
	{ API_TOO_MANY, 429, "too_many_requests" },
	{ API_INTERNAL, 500, "internal_error" },
	{ API_UNAVAILABLE, 503, "service_unavailable" },
};

#define NCODES	(sizeof(code_cases) / sizeof(code_cases[0]))

START_TEST(api_codes_loop)
{
	const struct code_case *c = &code_cases[_i];
	struct api_error err;
	json_object *o, *v;

	ck_assert_int_eq(api_status(c->code), c->status);
	ck_assert_str_eq(api_code_name(c->code), c->name);
	ck_assert_str_ne(api_status_text(c->status), "");
	err.code = c->code;
	strcpy(err.message, "m");
	o = api_error_object(&err);
	ck_assert(json_object_object_get_ex(o, "code", &v));
	ck_assert_str_eq(json_object_get_string(v), c->name);
	json_object_put(o);
}
END_TEST

START_TEST(api_out_of_range)
{
	ck_assert_int_eq(api_status((enum api_code)(API_UNAVAILABLE + 1)),
	    500);
	ck_assert_int_eq(api_status((enum api_code)-1), 500);
	ck_assert_str_eq(api_code_name((enum api_code)(API_UNAVAILABLE + 1)),
	    "internal_error");
	ck_assert_str_eq(api_status_text(418), "Internal Server Error");
	ck_assert_str_eq(api_status_text(201), "Created");
}
END_TEST

START_TEST(api_message_cut)
{
	struct api_error err;
	char longmsg[600];

	memset(longmsg, 'm', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	ck_assert_int_eq(api_fail(&err, API_VALIDATION, "%s", longmsg), -1);
	ck_assert_uint_eq(strlen(err.message), sizeof(err.message) - 1);
}
END_TEST

static Suite *
jsonio_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("jsonio");
	tc = tcase_create("parse");
	tcase_add_test(tc, parse_valid);
	tcase_add_test(tc, parse_uses_len);
	tcase_add_loop_test(tc, parse_refused, 0, (int)NBAD);
	tcase_add_test(tc, parse_depth);
	suite_add_tcase(s, tc);
	tc = tcase_create("fields");
	tcase_add_test(tc, string_field);
	tcase_add_test(tc, string_length_in_bytes);
	tcase_add_loop_test(tc, id_loop, 0, (int)NIDS);
	tcase_add_test(tc, id_number_out_of_range);
	tcase_add_test(tc, id_absent);
	tcase_add_loop_test(tc, id_parse_loop, 0, (int)NPARSE);
	tcase_add_test(tc, id_parse_null);
	tcase_add_test(tc, id_new);
	suite_add_tcase(s, tc);
	tc = tcase_create("output");
	tcase_add_loop_test(tc, time_loop, 0, (int)NTIMES);
	tcase_add_test(tc, time_negative);
	tcase_add_test(tc, text_compact);
	suite_add_tcase(s, tc);
	tc = tcase_create("utf8");
	tcase_add_loop_test(tc, utf8_loop, 0, (int)NUTF8);
	tcase_add_test(tc, utf8_len_bounds);
	tcase_add_test(tc, utf8_truncated_heap);
	suite_add_tcase(s, tc);
	tc = tcase_create("apierr");
	tcase_add_test(tc, api_not_found);
	tcase_add_loop_test(tc, api_codes_loop, 0, (int)NCODES);
	tcase_add_test(tc, api_out_of_range);
	tcase_add_test(tc, api_message_cut);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(jsonio_suite());
}
