/*
 * apierr.c - error codes, their HTTP status and wire names.
 */
#include <stdarg.h>
#include <stdio.h>

#include "apierr.h"

static const struct {
	int		 status;
	const char	*name;
} api_codes[] = {
	[API_OK]		  = { 200, "ok" },
	[API_BAD_REQUEST]	  = { 400, "bad_request" },
	[API_INVALID_JSON]	  = { 400, "invalid_json" },
	[API_VALIDATION]	  = { 400, "validation_failed" },
	[API_UNAUTHORIZED]	  = { 401, "unauthorized" },
	[API_INVALID_CREDENTIALS] = { 401, "invalid_credentials" },
	[API_FORBIDDEN]		  = { 403, "forbidden" },
	[API_NOT_FOUND]		  = { 404, "not_found" },
	[API_METHOD]		  = { 405, "method_not_allowed" },
	[API_CONFLICT]		  = { 409, "conflict" },
	[API_PHONE_TAKEN]	  = { 409, "phone_taken" },
	[API_TOO_LARGE]		  = { 413, "payload_too_large" },
	[API_UNSUPPORTED_MEDIA]	  = { 415, "unsupported_media_type" },
	[API_TOO_MANY]		  = { 429, "too_many_requests" },
	[API_INTERNAL]		  = { 500, "internal_error" },
	[API_UNAVAILABLE]	  = { 503, "service_unavailable" },
};

int
api_fail(struct api_error *err, enum api_code code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	err->retry_after = 0;
	va_start(ap, fmt);
	/* Messages are ours and short; a cut one is still a message. */
	(void)vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

int
api_status(enum api_code code)
{
	if ((unsigned)code >= sizeof(api_codes) / sizeof(api_codes[0]))
		return 500;
	return api_codes[code].status;
}

const char *
api_code_name(enum api_code code)
{
	if ((unsigned)code >= sizeof(api_codes) / sizeof(api_codes[0]))
		return "internal_error";
	return api_codes[code].name;
}

const char *
api_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

json_object *
api_error_object(const struct api_error *err)
{
	json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "code",
	    json_object_new_string(api_code_name(err->code)));
	json_object_object_add(o, "message",
	    json_object_new_string(err->message));
	if (err->retry_after > 0)
		json_object_object_add(o, "retryAfter",
		    json_object_new_int64(err->retry_after));
	return o;
}
