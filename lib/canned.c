/*
 * canned.c - the bodies of the canned-response endpoints, without the
 * database.
 */
#include <string.h>

#include "canned.h"
#include "jsonio.h"
#include "text.h"

int
canned_code_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= CANNED_CODE_MAX &&
	    strspn(s, CANNED_CODE_CHARS) == n;
}

/* The fields that are there, each checked; which ones in has_*. */
static int
canned_fields(const struct config *cfg, json_object *body, int required,
    struct canned_body *out, struct api_error *err)
{
	const char *code;

	memset(out, 0, sizeof(*out));
	if (jsonio_string(body, "shortCode", required, CANNED_CODE_MAX, &code,
	    err) == -1 ||
	    jsonio_string(body, "content", required,
	    (size_t)cfg->limits_max_message_length, &out->content, err) == -1)
		return -1;
	if ((out->has_code = code != NULL)) {
		if (!canned_code_ok(code))
			return api_fail(err, API_VALIDATION, "shortCode must be"
			    " 1-%d characters of a-z, 0-9, _ and -",
			    CANNED_CODE_MAX);
		memcpy(out->code, code, strlen(code) + 1);
	}
	if ((out->has_content = out->content != NULL) &&
	    text_blank(out->content, strlen(out->content)))
		return api_fail(err, API_VALIDATION,
		    "content must not be blank");
	return 0;
}

int
canned_create_parse(const struct config *cfg, json_object *body,
    struct canned_body *out, struct api_error *err)
{
	return canned_fields(cfg, body, 1, out, err);
}

int
canned_change_parse(const struct config *cfg, json_object *body,
    struct canned_body *out, struct api_error *err)
{
	if (canned_fields(cfg, body, 0, out, err) == -1)
		return -1;
	if (!out->has_code && !out->has_content)
		return api_fail(err, API_VALIDATION,
		    "give shortCode, content or both");
	return 0;
}
