/*
 * canned.h - the bodies of the admins' POST /api/v1/chat/canned-responses
 * and PATCH /api/v1/chat/canned-responses/:id.
 *
 * Read and checked here, apart from the database and FastCGI, so that the
 * handlers in cgi/canned.c and the fuzz target tests/fuzz/fuzz_bodies.c
 * run the same code.  content borrows from the body: keep it until done.
 */
#ifndef CHAT_CANNED_H
#define CHAT_CANNED_H

#include <json-c/json.h>

#include "apierr.h"
#include "config.h"

#define CANNED_CODE_MAX		32	/* bytes of a shortCode */
#define CANNED_CODE_CHARS	"abcdefghijklmnopqrstuvwxyz0123456789_-"

/* A canned response as sent: what it holds, and what was given. */
struct canned_body {
	int		 has_code, has_content;
	char		 code[CANNED_CODE_MAX + 1];	/* CANNED_CODE_CHARS */
	const char	*content;	/* not blank, within the message cap */
};

/* POST: both fields; 0, or -1 with err (API_VALIDATION naming the field). */
int	canned_create_parse(const struct config *cfg, json_object *body,
	    struct canned_body *out, struct api_error *err);
/* PATCH: either or both, at least one. */
int	canned_change_parse(const struct config *cfg, json_object *body,
	    struct canned_body *out, struct api_error *err);
/* 1 if s is a shortCode: 1-CANNED_CODE_MAX of CANNED_CODE_CHARS. */
int	canned_code_ok(const char *s);

#endif
