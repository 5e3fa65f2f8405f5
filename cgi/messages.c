/*
 * messages.c - /api/v1/chat/messages: history pages and sending.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "jsonio.h"
#include "messages_db.h"
#include "notify.h"

#define HISTORY_DEFAULT	50
#define HISTORY_MAX	100

/*
 * One page of history: ?before=<id> (or nothing), oldest first on the
 * wire; or ?after=<id>, the catch-up of a client that was away.
 */
static int
messages_page(struct request *r, struct response *resp, long long before,
    long long after, long limit, struct api_error *err)
{
	struct msg_page pg;
	json_object *page;
	char include[16];
	int st;

	/* ?include=activity: a user's client that shows activity entries. */
	if ((st = http_query(r, "include", include, sizeof(include))) == -1 ||
	    (st == 1 && strcmp(include, "activity") != 0))
		return api_fail(err, API_VALIDATION,
		    "include must be activity");
	if (msg_db_page(r->db, r->cfg, &r->user, r->id, before, after, limit,
	    st == 1, &pg, err) == -1)
		return -1;
	http_data(resp, 200, pg.messages);
	page = json_object_new_object();
	json_object_object_add(page, "hasMore",
	    json_object_new_boolean(pg.more));
	if (after > 0)
		json_object_object_add(page, "after", jsonio_id_new(pg.edge));
	else
		json_object_object_add(page, "before",
		    pg.edge > 0 ? jsonio_id_new(pg.edge) : NULL);
	json_object_object_add(page, "limit", json_object_new_int64(limit));
	json_object_object_add(resp->body, "pagination", page);
	return 0;
}

int
messages_history(struct request *r, struct response *resp,
    struct api_error *err)
{
	char buf[24];
	long long before = LLONG_MAX, after = 0;
	long limit;
	int st;

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
	return messages_page(r, resp, before, after, limit, err);
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
	if (sent.reopened) {
		(void)notify_updated(r->cfg, sent.conversation_id, 0,
		    sent.activity);
		routing_settle(r, sent.conversation_id, 0);
	}
	http_data(resp, sent.duplicate ? 200 : 201, sent.message);
	return 0;
}
