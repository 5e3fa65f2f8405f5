/*
 * conversations.c - /api/v1/chat/conversations: list, start, show.
 */
#include <string.h>

#include "conversations_db.h"
#include "handlers.h"
#include "jsonio.h"
#include "labels_db.h"
#include "notify.h"

int
conversations_list(struct request *r, struct response *resp,
    struct api_error *err)
{
	char assignee[24], status[16], user[24], since[40], label[24];
	struct conv_filter f;
	json_object *data;
	long pg, limit;
	long long total;
	int ha, hs, hu;

	if (http_query_long(r, "page", 1, 1, 100000, &pg, err) == -1 ||
	    http_query_long(r, "limit", 20, 1, 100, &limit, err) == -1)
		return -1;
	if ((ha = http_query(r, "assignee", assignee, sizeof(assignee))) == -1 ||
	    (hs = http_query(r, "status", status, sizeof(status))) == -1)
		return api_fail(err, API_VALIDATION,
		    "assignee or status is not one of the values");
	if (conv_filter_parse(&r->user, ha == 1 ? assignee : NULL,
	    hs == 1 ? status : NULL, &f, err) == -1)
		return -1;
	/* ?userId=: one user's, within what the caller may see anyway. */
	if ((hu = http_query(r, "userId", user, sizeof(user))) == -1 ||
	    (hu == 1 && id_parse(user, &f.user) == -1))
		return api_fail(err, API_VALIDATION, "userId must be a user's id");
	/* ?updatedAfter=: what changed since a client last looked (polling). */
	if ((hu = http_query(r, "updatedAfter", since, sizeof(since))) == -1 ||
	    (hu == 1 && (jsonio_time_parse(since, &f.updated_after) == -1 ||
	    f.updated_after <= 0)))
		return api_fail(err, API_VALIDATION,
		    "updatedAfter must be an ISO 8601 time");
	/* ?label=: those carrying a label (labels are the support side's). */
	if ((hu = http_query(r, "label", label, sizeof(label))) == -1 ||
	    (hu == 1 && id_parse(label, &f.label) == -1))
		return api_fail(err, API_VALIDATION, "label must be a label's id");
	if (hu == 1 && labels_may_use(&r->user, err) == -1)
		return -1;
	if ((data = conv_db_list(r->db, &r->user, &f, pg, limit, &total,
	    err)) == NULL)
		return -1;
	http_page(resp, data, pg, limit, total);
	return 0;
}

int
conversations_create(struct request *r, struct response *resp,
    struct api_error *err)
{
	json_object *conv;
	long long id;
	int created;

	if (r->user.role != CHAT_ROLE_USER)
		return api_fail(err, API_FORBIDDEN,
		    "only users start conversations");
	if (conv_db_open(r->db, r->cfg, &r->user, &id, &created, err) == -1)
		return -1;
	if (created)
		(void)notify_conversation(r->cfg, id);
	if ((conv = chat_conversation_load(r->db, &r->user, id, err)) == NULL)
		return -1;
	http_data(resp, created ? 201 : 200, conv);
	return 0;
}

/*
 * PATCH /api/v1/chat/conversations/:id {status, snoozedUntil?} by the
 * assigned agent or an admin: resolve, reopen, snooze.
 */
int
conversations_patch(struct request *r, struct response *resp,
    struct api_error *err)
{
	const char *status, *until;
	struct chat_conv conv;
	long long until_ms = 0, activity;

	if (jsonio_string(r->body, "status", 1, 16, &status, err) == -1 ||
	    jsonio_string(r->body, "snoozedUntil", 0, 64, &until, err) == -1)
		return -1;
	if (until != NULL && jsonio_time_parse(until, &until_ms) == -1)
		return api_fail(err, API_VALIDATION,
		    "snoozedUntil must be an ISO 8601 time");
	if (conv_db_set_status(r->db, &r->user, r->id, status, until_ms,
	    &activity, err) == -1)
		return -1;
	(void)notify_updated(r->cfg, r->id, 0, activity);
	if (chat_conversation_access(r->db, &r->user, r->id, &conv, err) == -1)
		return -1;
	/* Done with it: its agent may take the next; open again: route it. */
	if (strcmp(status, "resolved") == 0 || strcmp(status, "snoozed") == 0)
		routing_drain(r, conv.support_id);
	else if (conv.support_id == 0)
		routing_settle(r, r->id, 0);
	return conversations_get(r, resp, err);
}

/*
 * POST /api/v1/chat/conversations/:id/assign {supportId: id | null}: take,
 * transfer, or put back in the queue.  The previous agent loses it at once
 * (404 from then on; pushd takes their sockets out of its room).
 */
int
conversations_assign(struct request *r, struct response *resp,
    struct api_error *err)
{
	long long agent, previous, activity, uid, aid;
	json_object *v, *conv;

	if (!json_object_object_get_ex(r->body, "supportId", &v))
		return api_fail(err, API_VALIDATION, "supportId is required "
		    "(an agent's id, or null for the queue)");
	if (jsonio_id(r->body, "supportId", 0, &agent, err) == -1)
		return -1;
	if (conv_db_assign(r->db, &r->user, r->id, agent, &previous,
	    &activity, err) == -1)
		return -1;
	(void)notify_updated(r->cfg, r->id, previous, activity);
	if (agent != 0 && agent != previous)
		(void)notify_conversation(r->cfg, r->id);
	/*
	 * Put back: another agent who can take it gets it (not the one who
	 * gave it back, whose freed place would only hand it back).  Passed
	 * on: the one who passed it may take the next in the queue.
	 */
	if (agent == 0)
		routing_settle(r, r->id, previous);
	else if (previous != 0 && previous != agent)
		routing_drain(r, previous);
	if ((conv = chat_conversation_load(r->db, &r->user, r->id, err)) ==
	    NULL) {
		/* An agent who passed it on no longer sees it: show it once. */
		if (err->code != API_NOT_FOUND || (conv = chat_conversation_view(
		    r->db, r->id, 0, &uid, &aid, err)) == NULL)
			return -1;
	}
	http_data(resp, 200, conv);
	return 0;
}

int
conversations_get(struct request *r, struct response *resp,
    struct api_error *err)
{
	json_object *conv;

	if ((conv = chat_conversation_load(r->db, &r->user, r->id, err)) ==
	    NULL)
		return -1;
	http_data(resp, 200, conv);
	return 0;
}

/*
 * POST /conversations/:id/read [{messageIds}]: the REST twin of
 * message:read / conversation:mark-all-read, for clients without a socket.
 */
int
conversations_read(struct request *r, struct response *resp,
    struct api_error *err)
{
	struct chat_read rd;
	char *ids = NULL;
	json_object *ev;

	if (r->body != NULL && json_object_object_get_ex(r->body, "messageIds",
	    NULL) && (ids = chat_read_ids(r->body, err)) == NULL)
		return -1;
	if (chat_mark_read(r->db, &r->user, r->id, ids, &rd, err) == -1) {
		free(ids);
		return -1;
	}
	free(ids);
	if (json_object_array_length(rd.marked) > 0)
		(void)notify_read(r->cfg, r->id, r->user.id, rd.read_at_sql);
	ev = chat_read_event(&rd);
	chat_read_clear(&rd);
	http_data(resp, 200, ev);
	return 0;
}
