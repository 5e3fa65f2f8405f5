/*
 * conversations.c - /api/v1/chat/conversations: list, start, show.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "jsonio.h"
#include "model.h"
#include "notify.h"

#define LIST_ORDER	" ORDER BY c.updatedAt DESC, c.id DESC LIMIT ? OFFSET ?"

/*
 * The list query and its count for each role, over the same rows (the one
 * access rule, chat.h's CHAT_SCOPED).  The list carries the count as a
 * last column (a constant subquery, computed once), which saves a round
 * trip; the count alone serves a page past the end, which has no row to
 * carry it.
 */
#define LIST_COUNT(scope) \
	"(SELECT COUNT(*) FROM conversations c WHERE " scope ")"
static const char *const conv_list[CHAT_NROLES] = {
	[CHAT_ROLE_USER] = "SELECT " MODEL_CONVERSATION_COLUMNS ", "
	    LIST_COUNT(CHAT_SCOPE_USER) MODEL_CONVERSATION_FROM
	    " WHERE " CHAT_SCOPE_USER LIST_ORDER,
	[CHAT_ROLE_SUPPORT] = "SELECT " MODEL_CONVERSATION_COLUMNS ", "
	    LIST_COUNT(CHAT_SCOPE_SUPPORT) MODEL_CONVERSATION_FROM
	    " WHERE " CHAT_SCOPE_SUPPORT LIST_ORDER,
	[CHAT_ROLE_ADMIN] = "SELECT " MODEL_CONVERSATION_COLUMNS ", "
	    LIST_COUNT(CHAT_SCOPE_ADMIN) MODEL_CONVERSATION_FROM
	    " WHERE " CHAT_SCOPE_ADMIN LIST_ORDER,
};
static const char *const conv_count[CHAT_NROLES] =
    CHAT_SCOPED("SELECT COUNT(*) FROM conversations c WHERE ", "");

/* The total: from the first row, or counted when the page is empty. */
static int
conversations_total(struct request *r, long pg, const struct db_res *res,
    long long *total)
{
	struct db_res *cnt;
	int st;

	if (res->nrows > 0) {
		*total = db_cell_ll(res, 0, MODEL_CONVERSATION_NCOLS, 0);
		return DB_OK;
	}
	*total = 0;
	if (pg == 1)
		return DB_OK;
	if ((st = db_exec(r->db, &cnt, conv_count[r->user.role], "i",
	    CHAT_SCOPE_ARG(&r->user))) != DB_OK)
		return st;
	*total = db_cell_ll(cnt, 0, 0, 0);
	db_res_free(cnt);
	return DB_OK;
}

int
conversations_list(struct request *r, struct response *resp,
    struct api_error *err)
{
	struct db_res *res = NULL;
	json_object *data, *page;
	long pg, limit;
	long long total;
	unsigned row;
	int st;

	if (http_query_long(r, "page", 1, 1, 100000, &pg, err) == -1 ||
	    http_query_long(r, "limit", 20, 1, 100, &limit, err) == -1)
		return -1;
	if ((st = db_exec(r->db, &res, conv_list[r->user.role], "iiii",
	    CHAT_SCOPE_ARG(&r->user), CHAT_SCOPE_ARG(&r->user),
	    (long long)limit, (long long)(pg - 1) * limit)) != DB_OK)
		return chat_db_fail(err, st);
	if ((st = conversations_total(r, pg, res, &total)) != DB_OK) {
		db_res_free(res);
		return chat_db_fail(err, st);
	}
	data = json_object_new_array();
	for (row = 0; row < res->nrows; row++)
		json_object_array_add(data,
		    model_conversation(res, row, r->user.id));
	db_res_free(res);
	http_data(resp, 200, data);
	page = json_object_new_object();
	json_object_object_add(page, "page", json_object_new_int64(pg));
	json_object_object_add(page, "limit", json_object_new_int64(limit));
	json_object_object_add(page, "total", json_object_new_int64(total));
	json_object_object_add(page, "hasMore",
	    json_object_new_boolean((long long)pg * limit < total));
	json_object_object_add(resp->body, "pagination", page);
	return 0;
}

/*
 * Inside a transaction holding the user's row lock: the open conversation's
 * id, or a new one assigned to the online agent with the fewest open
 * conversations (any agent if none is online; none if there is no agent).
 */
static int
conversations_find_or_open(struct request *r, long long *id, int *created)
{
	static const char find[] = "SELECT id FROM conversations"
	    " WHERE userId = ? AND status <> 'resolved'"
	    " ORDER BY updatedAt DESC LIMIT 1";
	static const char pick[] = "SELECT u.id FROM users u"
	    " LEFT JOIN conversations c ON c.assignedSupportId = u.id"
	    "  AND c.status <> 'resolved'"
	    " WHERE u.role = 'Support'"
	    " GROUP BY u.id, u.isOnline"
	    " ORDER BY u.isOnline DESC, COUNT(c.id) ASC, u.id ASC LIMIT 1";
	static const char ins[] = "INSERT INTO conversations (userId,"
	    " assignedSupportId, status) VALUES (?, NULLIF(?, 0), ?)";
	struct db_res *res;
	long long agent;
	int st;

	*created = 0;
	if ((st = db_exec(r->db, &res, find, "i", r->user.id)) != DB_OK)
		return st;
	*id = db_cell_ll(res, 0, 0, 0);
	db_res_free(res);
	if (*id > 0)
		return DB_OK;
	if ((st = db_exec(r->db, &res, pick, "")) != DB_OK)
		return st;
	agent = db_cell_ll(res, 0, 0, 0);
	db_res_free(res);
	if ((st = db_exec(r->db, &res, ins, "iis", r->user.id, agent,
	    agent > 0 ? "open" : "pending")) != DB_OK)
		return st;
	*id = (long long)res->insert_id;
	db_res_free(res);
	*created = 1;
	return DB_OK;
}

int
conversations_create(struct request *r, struct response *resp,
    struct api_error *err)
{
	static const char lock[] = "SELECT id FROM users WHERE id = ? FOR UPDATE";
	json_object *conv;
	long long id = 0;
	int st, created = 0;

	if (r->user.role != CHAT_ROLE_USER)
		return api_fail(err, API_FORBIDDEN,
		    "only users start conversations");
	/* The user's row lock makes two concurrent starts open one. */
	if ((st = db_begin(r->db)) != DB_OK ||
	    (st = db_exec(r->db, NULL, lock, "i", r->user.id)) != DB_OK ||
	    (st = conversations_find_or_open(r, &id, &created)) != DB_OK ||
	    (st = db_commit(r->db)) != DB_OK) {
		db_rollback(r->db);
		return chat_db_fail(err, st);
	}
	if (created)
		(void)notify_conversation(r->cfg, id);
	if ((conv = chat_conversation_load(r->db, &r->user, id, err)) == NULL)
		return -1;
	http_data(resp, created ? 201 : 200, conv);
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
