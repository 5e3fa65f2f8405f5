/*
 * jsonio.h - JSON in and out, over json-c only.
 *
 * Request bodies are parsed with a depth cap and UTF-8 validation; fields are
 * read with type and length checks that fill an api_error naming the field.
 * IDs travel as decimal strings ("_id": "42"); times as ISO 8601 UTC with
 * milliseconds, as JavaScript clients expect.
 */
#ifndef CHAT_JSONIO_H
#define CHAT_JSONIO_H

#include <stddef.h>

#include <json-c/json.h>

#include "apierr.h"

#define JSONIO_MAX_DEPTH	16

/* One JSON object from buf; NULL with err set otherwise. Caller puts it. */
json_object	*jsonio_parse_object(const char *buf, size_t len,
		    struct api_error *err);

/*
 * A string field of at most maxlen bytes.  Absent or null: *out = NULL and
 * 0 when !required, -1 when required.  Wrong type or too long: -1.
 */
int		 jsonio_string(json_object *o, const char *key, int required,
		    size_t maxlen, const char **out, struct api_error *err);

/* An id field, given as "123" or 123; absent and !required: *out = 0. */
int		 jsonio_id(json_object *o, const char *key, int required,
		    long long *out, struct api_error *err);

/* A boolean field; absent or null: *out = 0.  Any other type: -1. */
int		 jsonio_bool(json_object *o, const char *key, int *out,
		    struct api_error *err);

/* Parse a decimal id in [1, 2^63-1] with no sign or spaces; 0 or -1. */
int		 id_parse(const char *s, long long *out);

json_object	*jsonio_id_new(long long id);
/* ISO 8601 with milliseconds in UTC, or JSON null when ms < 0. */
json_object	*jsonio_time_new(long long ms);
/*
 * An ISO 8601 time as the API writes it ("2026-12-02T09:30:00.000Z"; the
 * fraction is optional, and an offset "+05:30" may stand for "Z") into
 * epoch milliseconds.  0, or -1 if it is not one.
 */
int		 jsonio_time_parse(const char *s, long long *ms);
/* Serialise compactly; the string lives as long as o. */
const char	*jsonio_text(json_object *o, size_t *len);

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int		 utf8_valid(const char *s, size_t len);

#endif
