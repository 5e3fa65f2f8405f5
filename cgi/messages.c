/*
 * messages.c - /api/v1/chat/messages: history pages and sending.
 */
#include <limits.h>
#include <stdio.h>

#include "handlers.h"
#include "jsonio.h"
#include "model.h"
#include "notify.h"

#define HISTORY_DEFAULT	50
#define HISTORY_MAX	100

/*
 * ?after=<id>: the messages after it, oldest first (the catch-up of a client
 * that was away); pagination.after names the next page's starting point.
 */
static int
messages_after(struct request *r, struct response *resp, long long after,
    long limit, struct api_error *err)
{
	static const char sql[] = "SELECT " MODEL_MESSAGE_COLUMNS
	    " FROM messages m FORCE INDEX (messages_conversation_id)"
	    " LEFT JOIN media md ON md.id = m.mediaId"
	    " WHERE m.conversationId = ? AND m.id > ?"
	    " ORDER BY m.id ASC LIMIT ?";
	struct db_res *res;
	json_object *data, *page;
	unsigned i, n;
	int st, more;

	if ((st = db_exec(r->db, &res, sql, "iii", r->id, after,
	    (long long)limit + 1)) != DB_OK)
		return chat_db_fail(err, st);
	more = res->nrows > (unsigned)limit;
	n = more ? (unsigned)limit : res->nrows;
	data = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(data, model_message(r->cfg, res, i));
	http_data(resp, 200, data);
	page = json_object_new_object();
	json_object_object_add(page, "hasMore", json_object_new_boolean(more));
	json_object_object_add(page, "after", n > 0 ?
	    jsonio_id_new(db_cell_ll(res, n - 1, 0, 0)) :
	    jsonio_id_new(after));
	json_object_object_add(page, "limit", json_object_new_int64(limit));
	json_object_object_add(resp->body, "pagination", page);
	db_res_free(res);
	return 0;
}

int
messages_history(struct request *r, struct response *resp,
    struct api_error *err)
{
	/* Keyset on (conversationId, id); the index is forced, see docs. */
	static const char sql[] = "SELECT " MODEL_MESSAGE_COLUMNS
	    " FROM messages m FORCE INDEX (messages_conversation_id)"
	    " LEFT JOIN media md ON md.id = m.mediaId"
	    " WHERE m.conversationId = ? AND m.id < ?"
	    " ORDER BY m.id DESC LIMIT ?";
	struct chat_conv conv;
	struct db_res *res;
	json_object *data, *page;
	char buf[24];
	long long before = LLONG_MAX, after = 0;
	long limit;
	unsigned i, n;
	int st, more;

	if (http_query_long(r, "limit", HISTORY_DEFAULT, 1, HISTORY_MAX,
	    &limit, err) == -1)
		return -1;
	if ((st = http_query(r, "before", buf, sizeof(buf))) == -1 ||
	    (st == 1 && buf[0] != '\0' && id_parse(buf, &before) == -1))
		return api_fail(err, API_VALIDATION,
		    "before must be a message id");
	if ((st = http_query(r, "after", buf, sizeof(buf))) == -1 ||
	    (st == 1 && id_parse(buf, &after) == -1))
		return api_fail(err, API_VALIDATION,
		    "after must be a message id");
	if (after > 0 && before != LLONG_MAX)
		return api_fail(err, API_VALIDATION,
		    "give before or after, not both");
	if (chat_conversation_access(r->db, &r->user, r->id, &conv, err) == -1)
		return -1;
	if (after > 0)
		return messages_after(r, resp, after, limit, err);
	/* One row more than asked tells whether there is an older page. */
	if ((st = db_exec(r->db, &res, sql, "iii", r->id, before,
	    (long long)limit + 1)) != DB_OK)
		return chat_db_fail(err, st);
	more = res->nrows > (unsigned)limit;
	n = more ? (unsigned)limit : res->nrows;
	data = json_object_new_array();
	for (i = n; i > 0; i--)
		json_object_array_add(data, model_message(r->cfg, res, i - 1));
	http_data(resp, 200, data);
	page = json_object_new_object();
	json_object_object_add(page, "hasMore", json_object_new_boolean(more));
	json_object_object_add(page, "before", n > 0 ?
	    jsonio_id_new(db_cell_ll(res, n - 1, 0, 0)) : NULL);
	json_object_object_add(page, "limit", json_object_new_int64(limit));
	json_object_object_add(resp->body, "pagination", page);
	db_res_free(res);
	return 0;
}

int
messages_send(struct request *r, struct response *resp, struct api_error *err)
{
	struct chat_send req;
	struct chat_sent sent;

	if (chat_send_parse(r->cfg, r->body, &req, err) == -1 ||
	    chat_send_store(r->db, r->cfg, &r->user, &req, &sent, err) == -1)
		return -1;
	/* Only a new row is news; a retry was announced the first time. */
	if (!sent.duplicate)
		(void)notify_message(r->cfg, sent.message_id,
		    sent.conversation_id);
	http_data(resp, sent.duplicate ? 200 : 201, sent.message);
	return 0;
}
