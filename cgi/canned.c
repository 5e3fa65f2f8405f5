/*
 * canned.c - /api/v1/chat/canned-responses: the shared replies every
 * agent and admin may read (and insert in the composer), which only
 * admins add, change and delete.
 */
#include "canned.h"
#include "canned_db.h"
#include "handlers.h"
#include "jsonio.h"

static int
canned_readers(const struct request *r, struct api_error *err)
{
	if (r->user.role == CHAT_ROLE_USER)
		return api_fail(err, API_FORBIDDEN,
		    "only agents and admins read canned responses");
	return 0;
}

static int
canned_admins(const struct request *r, struct api_error *err)
{
	if (r->user.role != CHAT_ROLE_ADMIN)
		return api_fail(err, API_FORBIDDEN,
		    "only admins manage canned responses");
	return 0;
}

/* Answer with canned response id as it now is. */
static int
canned_reply(struct request *r, struct response *resp, int status,
    long long id, struct api_error *err)
{
	json_object *o;

	if ((o = canned_db_get(r->db, r->cfg, id, err)) == NULL)
		return -1;
	http_data(resp, status, o);
	return 0;
}

/* GET /api/v1/chat/canned-responses?q= */
int
canned_list(struct request *r, struct response *resp, struct api_error *err)
{
	char q[128] = "";
	json_object *data;

	if (canned_readers(r, err) == -1)
		return -1;
	if (http_query(r, "q", q, sizeof(q)) == -1)
		return api_fail(err, API_VALIDATION,
		    "q must be at most %zu bytes", sizeof(q) - 1);
	if ((data = canned_db_list(r->db, q, err)) == NULL)
		return -1;
	http_data(resp, 200, data);
	return 0;
}

/* POST /api/v1/chat/canned-responses {shortCode, content} */
int
canned_create(struct request *r, struct response *resp,
    struct api_error *err)
{
	struct canned_body in;
	long long id;

	if (canned_admins(r, err) == -1 ||
	    canned_create_parse(r->cfg, r->body, &in, err) == -1 ||
	    (id = canned_db_insert(r->db, &in, r->user.id, err)) == -1)
		return -1;
	return canned_reply(r, resp, 201, id, err);
}

/* PATCH /api/v1/chat/canned-responses/:id {shortCode?, content?} */
int
canned_patch(struct request *r, struct response *resp, struct api_error *err)
{
	struct canned_body c;

	if (canned_admins(r, err) == -1 ||
	    canned_change_parse(r->cfg, r->body, &c, err) == -1 ||
	    canned_db_change(r->db, r->id, &c, err) == -1)
		return -1;
	/* An id that names nothing changed nothing: this says 404. */
	return canned_reply(r, resp, 200, r->id, err);
}

/* DELETE /api/v1/chat/canned-responses/:id */
int
canned_delete(struct request *r, struct response *resp,
    struct api_error *err)
{
	json_object *o;

	if (canned_admins(r, err) == -1 ||
	    canned_db_delete(r->db, r->id, err) == -1)
		return -1;
	if ((o = json_object_new_object()) == NULL ||
	    json_object_object_add(o, "_id", jsonio_id_new(r->id)) != 0 ||
	    json_object_object_add(o, "deleted",
	    json_object_new_boolean(1)) != 0) {
		json_object_put(o);
		return api_fail(err, API_INTERNAL, "out of memory");
	}
	http_data(resp, 200, o);
	return 0;
}
