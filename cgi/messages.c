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
 * A page joins its conversation and holds only rows the caller may see (the
 * one access rule, chat.h's CHAT_SCOPED), so access costs no round trip of
 * its own; an empty page needs a look to tell "none yet" from "not yours".
 */
#define HISTORY_SELECT	"SELECT " MODEL_MESSAGE_COLUMNS \
	" FROM messages m FORCE INDEX (messages_conversation_id)" \
	" JOIN conversations c ON c.id = m.conversationId" \
	" LEFT JOIN media md ON md.id = m.mediaId" \
	" WHERE m.conversationId = ? AND "

static int
messages_access(struct request *r, const struct db_res *res,
    struct api_error *err)
{
	struct chat_conv conv;

	if (res->nrows == 0)
		return chat_conversation_access(r->db, &r->user, r->id, &conv,
		    err);
	return 0;
}

/*
 * One page of history: ?before=<id> (or nothing), newest first from the
 * database and oldest first on the wire; or ?after=<id>, the catch-up of a
 * client that was away, oldest first.  One row more than asked tells
 * whether there is another page.
 */
static int
messages_page(struct request *r, struct response *resp, long long before,
    long long after, long limit, struct api_error *err)
{
	/* Keyset on (conversationId, id); the index is forced, see docs. */
	static const char *const older[CHAT_NROLES] = CHAT_SCOPED(
	    HISTORY_SELECT, " AND m.id < ? ORDER BY m.id DESC LIMIT ?");
	static const char *const newer[CHAT_NROLES] = CHAT_SCOPED(
	    HISTORY_SELECT, " AND m.id > ? ORDER BY m.id ASC LIMIT ?");
	struct db_res *res;
	json_object *data, *page;
	unsigned i, n;
	int st, more;

	if ((st = db_exec(r->db, &res, (after > 0 ? newer : older)[r->user.role],
	    "iiii", r->id, CHAT_SCOPE_ARG(&r->user), after > 0 ? after : before,
	    (long long)limit + 1)) != DB_OK)
		return chat_db_fail(err, st);
	if (messages_access(r, res, err) == -1) {
		db_res_free(res);
		return -1;
	}
	more = res->nrows > (unsigned)limit;
	n = more ? (unsigned)limit : res->nrows;
	data = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(data, model_message(r->cfg, res,
		    after > 0 ? i : n - 1 - i));
	http_data(resp, 200, data);
	page = json_object_new_object();
	json_object_object_add(page, "hasMore", json_object_new_boolean(more));
	if (after > 0)
		json_object_object_add(page, "after", n > 0 ?
		    jsonio_id_new(db_cell_ll(res, n - 1, 0, 0)) :
		    jsonio_id_new(after));
	else
		json_object_object_add(page, "before", n > 0 ?
		    jsonio_id_new(db_cell_ll(res, n - 1, 0, 0)) : NULL);
	json_object_object_add(page, "limit", json_object_new_int64(limit));
	json_object_object_add(resp->body, "pagination", page);
	db_res_free(res);
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
	http_data(resp, sent.duplicate ? 200 : 201, sent.message);
	return 0;
}
