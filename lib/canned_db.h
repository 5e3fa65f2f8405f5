/*
 * canned_db.h - the statements about canned responses: the list agents
 * pick from, and the admins' add, change and delete.  cgi/canned.c calls
 * these; SQL about canned responses lives here.
 */
#ifndef CHAT_CANNED_DB_H
#define CHAT_CANNED_DB_H

#include <json-c/json.h>

#include "apierr.h"
#include "canned.h"
#include "config.h"
#include "db.h"

/* The most a list returns: narrow it with q. */
#define CANNED_LIST_MAX		100

/*
 * The canned responses whose shortCode starts with q or whose content
 * holds it (both in any case; "": all), by shortCode, at most
 * CANNED_LIST_MAX (model_canned objects).  NULL with err.
 */
json_object *canned_db_list(struct db *db, const char *q,
	    struct api_error *err);
/* Canned response id (model_canned); NULL with err (404, 503). */
json_object *canned_db_get(struct db *db, const struct config *cfg,
	    long long id, struct api_error *err);
/* A new one by created_by; its id, or -1 with err (409 taken code, 503). */
long long canned_db_insert(struct db *db, const struct canned_body *in,
	    long long created_by, struct api_error *err);
/* What c gives, to canned response id (none: nothing); 0 or -1 (409). */
int	canned_db_change(struct db *db, long long id,
	    const struct canned_body *c, struct api_error *err);
/* Delete canned response id; 0, or -1 with err (404, 503). */
int	canned_db_delete(struct db *db, long long id, struct api_error *err);

#endif
