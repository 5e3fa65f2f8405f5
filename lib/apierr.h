/*
 * apierr.h - the one error convention of the API.
 *
 * Every failure a client can see is an api_error: a code from the table in
 * apierr.c (which fixes its HTTP status and wire name) and a message in
 * words.  REST turns it into HTTP status + {"error":{"code","message"}};
 * pushd into an ack {ok:false, error:{code,message}}.
 */
#ifndef CHAT_APIERR_H
#define CHAT_APIERR_H

#include <json-c/json.h>

enum api_code {
	API_OK = 0,
	API_BAD_REQUEST,	/* 400 malformed request */
	API_INVALID_JSON,	/* 400 body is not a JSON object */
	API_VALIDATION,		/* 400 a field is missing or wrong */
	API_UNAUTHORIZED,	/* 401 no, bad, expired or revoked token */
	API_INVALID_CREDENTIALS,/* 401 login refused */
	API_FORBIDDEN,		/* 403 the role may not do this */
	API_NOT_FOUND,		/* 404 absent or not yours */
	API_METHOD,		/* 405 */
	API_CONFLICT,		/* 409 */
	API_PHONE_TAKEN,	/* 409 register with a known phone */
	API_TOO_LARGE,		/* 413 */
	API_UNSUPPORTED_MEDIA,	/* 415 upload bytes not an allowed type */
	API_TOO_MANY,		/* 429 throttled */
	API_INTERNAL,		/* 500 */
	API_UNAVAILABLE,	/* 503 database unreachable */
	API_NCODES
};

struct api_error {
	enum api_code	code;
	char		message[256];
	long		retry_after;	/* 429: seconds (Retry-After), or 0 */
};

/* Set err and return -1, so that callers can write "return api_fail(...)". */
int		 api_fail(struct api_error *err, enum api_code code,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int		 api_status(enum api_code code);
const char	*api_code_name(enum api_code code);
const char	*api_status_text(int status);
/* {"code": "...", "message": "..."}; the caller owns the result. */
json_object	*api_error_object(const struct api_error *err);

#endif
