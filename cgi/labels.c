/*
 * labels.c - /api/v1/chat/labels (admins manage them, agents read them)
 * and /api/v1/chat/conversations/:id/labels (put on, take off).
 */
#include "handlers.h"
#include "jsonio.h"
#include "labels_db.h"
#include "notify.h"

int
labels_list(struct request *r, struct response *resp, struct api_error *err)
{
	json_object *data;

	if (labels_may_use(&r->user, err) == -1 ||
	    (data = labels_db_list(r->db, err)) == NULL)
		return -1;
	http_data(resp, 200, data);
	return 0;
}

/* 200 (or 201) with label id. */
static int
labels_reply(struct request *r, struct response *resp, int status,
    long long id, struct api_error *err)
{
	json_object *label;

	if ((label = labels_db_get(r->db, id, err)) == NULL)
		return -1;
	http_data(resp, status, label);
	return 0;
}

int
labels_create(struct request *r, struct response *resp,
    struct api_error *err)
{
	struct label_in in;
	long long id;

	if (labels_may_manage(&r->user, err) == -1 ||
	    label_parse(r->body, 0, &in, err) == -1 ||
	    labels_db_create(r->db, &in, &id, err) == -1)
		return -1;
	return labels_reply(r, resp, 201, id, err);
}

/*
 * Renaming, recolouring and deleting tell nobody: the conversations that
 * carry the label may be many; clients read GET /labels again (docs).
 */
int
labels_patch(struct request *r, struct response *resp, struct api_error *err)
{
	struct label_in in;

	if (labels_may_manage(&r->user, err) == -1 ||
	    label_parse(r->body, 1, &in, err) == -1 ||
	    labels_db_update(r->db, r->id, &in, err) == -1)
		return -1;
	return labels_reply(r, resp, 200, r->id, err);
}

int
labels_delete(struct request *r, struct response *resp, struct api_error *err)
{
	json_object *o;

	if (labels_may_manage(&r->user, err) == -1 ||
	    labels_db_delete(r->db, r->id, err) == -1)
		return -1;
	o = json_object_new_object();
	json_object_object_add(o, "_id", jsonio_id_new(r->id));
	http_data(resp, 200, o);
	return 0;
}

/* After a change (if any): its parties hear it; the caller gets it. */
static int
labels_changed(struct request *r, struct response *resp, int changed,
    struct api_error *err)
{
	if (changed)
		(void)notify_updated(r->cfg, r->id, 0, 0);
	return conversations_get(r, resp, err);
}

/* POST /conversations/:id/labels {labelId}: adding it twice changes nothing. */
int
labels_conversation_add(struct request *r, struct response *resp,
    struct api_error *err)
{
	long long label;
	int changed;

	if (labels_may_use(&r->user, err) == -1 ||
	    jsonio_id(r->body, "labelId", 1, &label, err) == -1 ||
	    labels_db_add(r->db, &r->user, r->id, label, &changed, err) == -1)
		return -1;
	return labels_changed(r, resp, changed, err);
}

/* DELETE /conversations/:id/labels/:labelId */
int
labels_conversation_remove(struct request *r, struct response *resp,
    struct api_error *err)
{
	int changed;

	if (labels_db_remove(r->db, &r->user, r->id, r->id2, &changed,
	    err) == -1)
		return -1;
	return labels_changed(r, resp, changed, err);
}
