/*
 * canned_db.c - the statements about canned responses (canned_db.h).
 */
#include "canned_db.h"
#include "chat.h"
#include "model.h"

/*
 * q ('' any): a prefix of the shortCode (stored in lower case, compared
 * byte for byte) or a part of the content (its collation ignores case).
 * LOCATE, not LIKE: "_" is a shortCode character, not a wildcard.  A
 * table of a help desk's replies is small: no index serves a part of the
 * content, and none is needed.
 */
json_object *
canned_db_list(struct db *db, const char *q, struct api_error *err)
{
	static const char sql[] = "SELECT " MODEL_CANNED_COLUMNS
	    " FROM canned_responses cr WHERE ? = ''"
	    " OR LOCATE(LOWER(?), cr.shortCode) = 1"
	    " OR LOCATE(?, cr.content) > 0"
	    " ORDER BY cr.shortCode LIMIT ?";
	struct db_res *res;
	json_object *arr, *o;
	unsigned i;
	int st;

	if ((st = db_exec(db, &res, sql, "sssi", q, q, q,
	    (long long)CANNED_LIST_MAX)) != DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	if ((arr = json_object_new_array()) == NULL)
		api_fail(err, API_INTERNAL, "out of memory");
	for (i = 0; arr != NULL && i < res->nrows; i++)
		if ((o = model_canned(res, i)) == NULL ||
		    json_object_array_add(arr, o) != 0) {
			json_object_put(o);
			json_object_put(arr);
			arr = NULL;
			api_fail(err, API_INTERNAL, "out of memory");
		}
	db_res_free(res);
	return arr;
}

/* model_canned as chat_load_one renders: it needs no config. */
static json_object *
canned_render(const struct config *cfg, const struct db_res *res,
    unsigned row)
{
	(void)cfg;
	return model_canned(res, row);
}

json_object *
canned_db_get(struct db *db, const struct config *cfg, long long id,
    struct api_error *err)
{
	static const char sql[] = "SELECT " MODEL_CANNED_COLUMNS
	    " FROM canned_responses cr WHERE cr.id = ?";

	return chat_load_one(db, cfg, sql, id, canned_render,
	    "canned response", err);
}

/* A duplicate shortCode is the one conflict these statements can meet. */
static int
canned_db_fail(struct api_error *err, int st)
{
	if (st == DB_ERR_DUP)
		return api_fail(err, API_CONFLICT,
		    "a canned response with this shortCode already exists");
	return chat_db_fail(err, st);
}

long long
canned_db_insert(struct db *db, const struct canned_body *in,
    long long created_by, struct api_error *err)
{
	static const char sql[] = "INSERT INTO canned_responses"
	    " (shortCode, content, createdBy) VALUES (?, ?, ?)";
	struct db_res *res;
	long long id;
	int st;

	if ((st = db_exec(db, &res, sql, "ssi", in->code, in->content,
	    created_by)) != DB_OK)
		return canned_db_fail(err, st);
	id = (long long)res->insert_id;
	db_res_free(res);
	return id;
}

int
canned_db_change(struct db *db, long long id, const struct canned_body *c,
    struct api_error *err)
{
	/* Each column only if given (IF(has, new, old)). */
	static const char sql[] = "UPDATE canned_responses SET"
	    " shortCode = IF(?, ?, shortCode), content = IF(?, ?, content)"
	    " WHERE id = ?";
	int st;

	if ((st = db_exec(db, NULL, sql, "isisi", (long long)c->has_code,
	    c->code, (long long)c->has_content, c->content, id)) != DB_OK)
		return canned_db_fail(err, st);
	return 0;
}

int
canned_db_delete(struct db *db, long long id, struct api_error *err)
{
	static const char sql[] = "DELETE FROM canned_responses WHERE id = ?";
	struct db_res *res;
	int st, gone;

	if ((st = db_exec(db, &res, sql, "i", id)) != DB_OK)
		return chat_db_fail(err, st);
	gone = res->affected == 1;
	db_res_free(res);
	return gone ? 0 : api_fail(err, API_NOT_FOUND,
	    "canned response not found");
}
