/*
 * jsonio.c - JSON in and out, over json-c only.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonio.h"

json_object *
jsonio_parse_object(const char *buf, size_t len, struct api_error *err)
{
	struct json_tokener *tok;
	json_object *o;
	enum json_tokener_error jerr;

	if (len == 0 || len > INT_MAX) {
		api_fail(err, API_INVALID_JSON, "a JSON object body is required");
		return NULL;
	}
	if (!utf8_valid(buf, len)) {
		api_fail(err, API_INVALID_JSON, "body is not valid UTF-8");
		return NULL;
	}
	if ((tok = json_tokener_new_ex(JSONIO_MAX_DEPTH)) == NULL) {
		api_fail(err, API_INTERNAL, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	/* Anything after the object (other than nothing) is an error too. */
	if (o != NULL && jerr == json_tokener_success &&
	    json_tokener_get_parse_end(tok) != len) {
		json_object_put(o);
		o = NULL;
		jerr = json_tokener_error_parse_unexpected;
	}
	json_tokener_free(tok);
	if (o == NULL || jerr != json_tokener_success) {
		if (o != NULL)
			json_object_put(o);
		api_fail(err, API_INVALID_JSON, "body is not valid JSON: %s",
		    jerr == json_tokener_continue ? "unexpected end" :
		    json_tokener_error_desc(jerr));
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		api_fail(err, API_INVALID_JSON, "body must be a JSON object");
		return NULL;
	}
	return o;
}

int
jsonio_string(json_object *o, const char *key, int required, size_t maxlen,
    const char **out, struct api_error *err)
{
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (required)
			return api_fail(err, API_VALIDATION, "%s is required",
			    key);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return api_fail(err, API_VALIDATION, "%s must be a string", key);
	if ((size_t)json_object_get_string_len(v) > maxlen)
		return api_fail(err, API_VALIDATION,
		    "%s is longer than %zu bytes", key, maxlen);
	/* "\u0000" is valid JSON, but C strings would end there. */
	if (memchr(json_object_get_string(v), '\0',
	    (size_t)json_object_get_string_len(v)) != NULL)
		return api_fail(err, API_VALIDATION,
		    "%s must not contain NUL characters", key);
	*out = json_object_get_string(v);
	return 0;
}

int
jsonio_bool(json_object *o, const char *key, int *out, struct api_error *err)
{
	json_object *v;

	*out = 0;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return api_fail(err, API_VALIDATION, "%s must be true or false",
		    key);
	*out = json_object_get_boolean(v);
	return 0;
}

int
id_parse(const char *s, long long *out)
{
	unsigned long long v = 0;
	const char *p;

	if (s == NULL || *s == '\0' || strlen(s) > 19)
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v == 0 || v > (unsigned long long)LLONG_MAX)
		return -1;
	*out = (long long)v;
	return 0;
}

int
jsonio_id(json_object *o, const char *key, int required, long long *out,
    struct api_error *err)
{
	json_object *v;
	int64_t n;

	*out = 0;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL) {
		if (required)
			return api_fail(err, API_VALIDATION, "%s is required",
			    key);
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		/* "1\u0000abc" is not 1. */
		if (strlen(json_object_get_string(v)) !=
		    (size_t)json_object_get_string_len(v) ||
		    id_parse(json_object_get_string(v), out) == -1)
			return api_fail(err, API_VALIDATION,
			    "%s is not a valid id", key);
		return 0;
	}
	if (json_object_is_type(v, json_type_int)) {
		/* json-c clamps larger numbers to INT64_MAX silently. */
		errno = 0;
		n = json_object_get_int64(v);
		if (errno == 0 && n > 0 && (n != INT64_MAX ||
		    json_object_get_uint64(v) == (uint64_t)INT64_MAX)) {
			*out = n;
			return 0;
		}
	}
	return api_fail(err, API_VALIDATION, "%s is not a valid id", key);
}

json_object *
jsonio_id_new(long long id)
{
	char buf[24];

	/* 20 digits fit; the check keeps the rule "every snprintf checked". */
	if ((size_t)snprintf(buf, sizeof(buf), "%lld", id) >= sizeof(buf))
		return NULL;
	return json_object_new_string(buf);
}

/* n as exactly width decimal digits at p (n >= 0 and fits). */
static char *
put_digits(char *p, int n, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--, n /= 10)
		p[i] = (char)('0' + n % 10);
	return p + width;
}

json_object *
jsonio_time_new(long long ms)
{
	char buf[sizeof("YYYY-MM-DDTHH:MM:SS.mmmZ")], *p = buf;
	struct tm tm;
	time_t t;

	if (ms < 0)
		return NULL;
	t = (time_t)(ms / 1000);
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return NULL;
	/* By hand: lists render thousands of these, and printf is slow. */
	p = put_digits(p, tm.tm_year + 1900, 4);
	*p++ = '-';
	p = put_digits(p, tm.tm_mon + 1, 2);
	*p++ = '-';
	p = put_digits(p, tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_sec, 2);
	*p++ = '.';
	p = put_digits(p, (int)(ms % 1000), 3);
	*p++ = 'Z';
	return json_object_new_string_len(buf, (int)(p - buf));
}

const char *
jsonio_text(json_object *o, size_t *len)
{
	const char *s;

	s = json_object_to_json_string_length(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
	return s;
}

int
utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 1;
			cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 2;
			cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* n digits at s as a number, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
jsonio_time_parse(const char *s, long long *ms)
{
	struct tm tm;
	int frac = 0, scale = 1000, off = 0, hh, mm, i;
	const char *p;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' ||
	    (tm.tm_year = digits(s, 4)) < 0 || (tm.tm_mon = digits(s + 5, 2)) < 1 ||
	    tm.tm_mon > 12 || (tm.tm_mday = digits(s + 8, 2)) < 1 ||
	    tm.tm_mday > 31 || (tm.tm_hour = digits(s + 11, 2)) < 0 ||
	    tm.tm_hour > 23 || (tm.tm_min = digits(s + 14, 2)) < 0 ||
	    tm.tm_min > 59 || (tm.tm_sec = digits(s + 17, 2)) < 0 ||
	    tm.tm_sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		for (i = 0, p++; *p >= '0' && *p <= '9'; p++, i++)
			if (i < 3) {
				frac = frac * 10 + (*p - '0');
				scale /= 10;
			}
		if (i == 0)
			return -1;
		frac *= scale;
	}
	if (*p == 'Z')
		p++;
	else if ((*p == '+' || *p == '-') && (hh = digits(p + 1, 2)) >= 0 &&
	    hh < 24 && p[3] == ':' && (mm = digits(p + 4, 2)) >= 0 && mm < 60) {
		off = (hh * 60 + mm) * (*p == '+' ? 1 : -1);
		p += 6;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*ms = ((long long)t - (long long)off * 60) * 1000 + frac;
	return 0;
}
