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
/* ?include=activity: a user's client that shows activity entries. */
static int
messages_include(struct request *r, int *activity, struct api_error *err)
{
	char include[16];
	int st;

	if ((st = http_query(r, "include", include, sizeof(include))) == -1 ||
	    (st == 1 && strcmp(include, "activity") != 0))
		return api_fail(err, API_VALIDATION,
		    "include must be activity");
	*activity = st == 1;
	return 0;
}

/* The id of the last message of a page's array, or 0. */
static long long
messages_last_id(json_object *a)
{
	json_object *m, *v;
	long long id;
	size_t n = json_object_array_length(a);

	if (n == 0 || (m = json_object_array_get_idx(a, n - 1)) == NULL ||
	    !json_object_object_get_ex(m, "_id", &v) ||
	    id_parse(json_object_get_string(v), &id) == -1)
		return 0;
	return id;
}

/*
 * ?around=<messageId>: the page that holds it (a search result opened in
 * context): it and the older ones before it, the newer ones after it.
 */
static int
messages_around(struct request *r, struct response *resp, long long around,
    long limit, struct api_error *err)
{
	struct msg_page older, newer;
	json_object *page;
	size_t i;
	int activity;

	if (around == LLONG_MAX)	/* no message has it: no older page */
		return api_fail(err, API_NOT_FOUND, "message not found");
	if (messages_include(r, &activity, err) == -1 ||
	    msg_db_page(r->db, r->cfg, &r->user, r->id, around + 1, 0,
	    (limit + 1) / 2, activity, &older, err) == -1)
		return -1;
	if (messages_last_id(older.messages) != around) {
		json_object_put(older.messages);
		return api_fail(err, API_NOT_FOUND, "message not found");
	}
	if (msg_db_page(r->db, r->cfg, &r->user, r->id, LLONG_MAX, around,
	    limit / 2 > 0 ? limit / 2 : 1, activity, &newer, err) == -1) {
		json_object_put(older.messages);
		return -1;
	}
	for (i = 0; i < json_object_array_length(newer.messages); i++)
		json_object_array_add(older.messages, json_object_get(
		    json_object_array_get_idx(newer.messages, i)));
	json_object_put(newer.messages);
	http_data(resp, 200, older.messages);
	page = json_object_new_object();
	json_object_object_add(page, "around", jsonio_id_new(around));
	json_object_object_add(page, "hasMoreBefore",
	    json_object_new_boolean(older.more));
	json_object_object_add(page, "before", jsonio_id_new(older.edge));
	json_object_object_add(page, "hasMoreAfter",
	    json_object_new_boolean(newer.more));
	json_object_object_add(page, "after", jsonio_id_new(newer.edge));
	json_object_object_add(page, "limit", json_object_new_int64(limit));
	json_object_object_add(resp->body, "pagination", page);
	return 0;
}

static int
messages_page(struct request *r, struct response *resp, long long before,
    long long after, long limit, struct api_error *err)
{
	struct msg_page pg;
	json_object *page;
	int activity;

	if (messages_include(r, &activity, err) == -1 ||
	    msg_db_page(r->db, r->cfg, &r->user, r->id, before, after, limit,
	    activity, &pg, err) == -1)
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
	long long before = LLONG_MAX, after = 0, around = 0;
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
	if ((st = http_query(r, "around", buf, sizeof(buf))) == -1 ||
	    (st == 1 && id_parse(buf, &around) == -1))
		return api_fail(err, API_VALIDATION,
		    "around must be a message id");
	if ((after > 0) + (before != LLONG_MAX) + (around > 0) > 1)
		return api_fail(err, API_VALIDATION,
		    "give one of before, after and around");
	if (around > 0)
		return messages_around(r, resp, around, limit, err);
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
