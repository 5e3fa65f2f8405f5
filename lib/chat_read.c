/*
 * chat_read.c - read receipts: marking the other party's messages read.
 *
 * Shared by pushd (message:read, conversation:mark-all-read) and the REST
 * API (POST /api/v1/chat/conversations/:id/read).  The reader's side
 * decides which messages: the conversation's user reads what the agent
 * side sent, an agent (or admin) what the user sent.  One transaction
 * marks them with one readAt and recounts the reader's unread count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "jsonio.h"
#include "model.h"

/* (Notes are the team's: never unread, never marked read.) */
#define READ_WHERE " WHERE conversationId = ? AND isRead = 0" \
	" AND isPrivate = 0 AND (senderId = ?) = ?"
#define READ_IDS " AND id IN (SELECT j.id FROM JSON_TABLE(?, '$[*]'" \
	" COLUMNS (id BIGINT UNSIGNED PATH '$')) AS j)"

char *
chat_read_ids(json_object *body, struct api_error *err)
{
	json_object *ids, *out, *v;
	const char *text;
	size_t i, n, len;
	long long id;
	char *copy;

	if (!json_object_object_get_ex(body, "messageIds", &ids) ||
	    !json_object_is_type(ids, json_type_array) ||
	    (n = json_object_array_length(ids)) == 0 || n > CHAT_READ_IDS_MAX) {
		api_fail(err, API_VALIDATION, "messageIds must be an array of "
		    "1 to %d ids", CHAT_READ_IDS_MAX);
		return NULL;
	}
	out = json_object_new_array();
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(ids, i);
		if (!json_object_is_type(v, json_type_string) ||
		    id_parse(json_object_get_string(v), &id) == -1) {
			json_object_put(out);
			api_fail(err, API_VALIDATION, "messageIds must be ids");
			return NULL;
		}
		json_object_array_add(out, json_object_new_int64(id));
	}
	text = jsonio_text(out, &len);
	copy = text ? strndup(text, len) : NULL;
	json_object_put(out);
	if (copy == NULL)
		api_fail(err, API_INTERNAL, "out of memory");
	return copy;
}

/* The ids and distinct senders of the rows (id, senderId) into r. */
static void
chat_read_collect(struct chat_read *r, const struct db_res *res)
{
	unsigned i, k;
	long long sender;

	r->marked = json_object_new_array();
	r->senders = calloc(res->nrows ? res->nrows : 1, sizeof(long long));
	for (i = 0; i < res->nrows; i++) {
		json_object_array_add(r->marked,
		    jsonio_id_new(db_cell_ll(res, i, 0, 0)));
		sender = db_cell_ll(res, i, 1, 0);
		for (k = 0; k < r->nsenders && r->senders[k] != sender; k++)
			;
		if (r->senders != NULL && k == r->nsenders)
			r->senders[r->nsenders++] = sender;
	}
}

static int
chat_read_select(struct db *db, long long conv, long long user_id,
    int agent_side, const char *ids, struct db_res **res)
{
	static const char all[] = "SELECT id, senderId FROM messages"
	    READ_WHERE " ORDER BY id FOR UPDATE";
	static const char some[] = "SELECT id, senderId FROM messages"
	    READ_WHERE READ_IDS " ORDER BY id FOR UPDATE";

	if (ids == NULL)
		return db_exec(db, res, all, "iii", conv, user_id,
		    (long long)agent_side);
	return db_exec(db, res, some, "iiis", conv, user_id,
	    (long long)agent_side, ids);
}

static int
chat_read_update(struct db *db, long long conv, long long user_id,
    int agent_side, const char *ids, const char *read_at)
{
	static const char all[] = "UPDATE messages SET isRead = 1,"
	    " readAt = ?" READ_WHERE;
	static const char some[] = "UPDATE messages SET isRead = 1,"
	    " readAt = ?" READ_WHERE READ_IDS;
	static const char user_count[] = "UPDATE conversations SET"
	    " userUnreadCount = (SELECT COUNT(*) FROM messages WHERE"
	    " conversationId = ? AND isRead = 0 AND isPrivate = 0"
	    " AND senderId <> ?) WHERE id = ?";
	static const char agent_count[] = "UPDATE conversations SET"
	    " supportUnreadCount = (SELECT COUNT(*) FROM messages WHERE"
	    " conversationId = ? AND isRead = 0 AND senderId = ?) WHERE id = ?";
	int st;

	if (ids == NULL)
		st = db_exec(db, NULL, all, "siii", read_at, conv, user_id,
		    (long long)agent_side);
	else
		st = db_exec(db, NULL, some, "siiis", read_at, conv, user_id,
		    (long long)agent_side, ids);
	if (st != DB_OK)
		return st;
	return db_exec(db, NULL, agent_side ? agent_count : user_count, "iii",
	    conv, user_id, conv);
}

int
chat_mark_read(struct db *db, const struct chat_user *u, long long conv,
    const char *ids, struct chat_read *r, struct api_error *err)
{
	/* One instant for every row, and its wire form, in one statement. */
	static const char now[] = "SELECT CAST(CURRENT_TIMESTAMP(3) AS CHAR),"
	    " ROUND(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) * 1000)";
	struct chat_conv c;
	struct db_res *res = NULL, *t = NULL;
	int st, agent_side;

	memset(r, 0, sizeof(*r));
	r->conversation_id = conv;
	r->reader_id = u->id;
	if (chat_conversation_act(db, u, conv, &c, err) == -1)
		return -1;
	r->other_id = u->id == c.user_id ? c.support_id : c.user_id;
	agent_side = u->id != c.user_id;
	if ((st = db_begin(db)) != DB_OK ||
	    (st = db_exec(db, &t, now, "")) != DB_OK ||
	    (st = chat_read_select(db, conv, c.user_id, agent_side, ids,
	    &res)) != DB_OK)
		goto fail;
	chat_read_collect(r, res);
	if ((size_t)snprintf(r->read_at_sql, sizeof(r->read_at_sql), "%s",
	    db_cell(t, 0, 0)) >= sizeof(r->read_at_sql)) {
		st = DB_ERR;
		goto fail;
	}
	r->read_at = db_cell_ll(t, 0, 1, 0);
	if ((st = chat_read_update(db, conv, c.user_id, agent_side, ids,
	    r->read_at_sql)) != DB_OK || (st = db_commit(db)) != DB_OK)
		goto fail;
	db_res_free(res);
	db_res_free(t);
	return 0;
fail:
	db_res_free(res);
	db_res_free(t);
	db_rollback(db);
	chat_read_clear(r);
	return chat_db_fail(err, st);
}

int
chat_read_reload(struct db *db, long long conv, long long reader,
    const char *read_at_sql, struct chat_read *r)
{
	static const char sql[] = "SELECT m.id, m.senderId,"
	    " ROUND(UNIX_TIMESTAMP(m.readAt) * 1000),"
	    " IF(c.userId = ?, c.assignedSupportId, c.userId)"
	    " FROM messages m JOIN conversations c ON c.id = m.conversationId"
	    " WHERE m.conversationId = ? AND m.isRead = 1 AND m.readAt = ?"
	    " AND m.senderId <> ? ORDER BY m.id";
	struct db_res *res;

	memset(r, 0, sizeof(*r));
	if (db_exec(db, &res, sql, "iisi", reader, conv, read_at_sql,
	    reader) != DB_OK)
		return -1;
	if (res->nrows == 0) {
		db_res_free(res);
		return -1;
	}
	r->conversation_id = conv;
	r->reader_id = reader;
	r->read_at = db_cell_ll(res, 0, 2, 0);
	r->other_id = db_cell_ll(res, 0, 3, 0);
	chat_read_collect(r, res);
	db_res_free(res);
	return 0;
}

json_object *
chat_read_event(const struct chat_read *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "conversationId",
	    jsonio_id_new(r->conversation_id));
	json_object_object_add(o, "messageIds", json_object_get(r->marked));
	json_object_object_add(o, "readBy", jsonio_id_new(r->reader_id));
	json_object_object_add(o, "readAt", jsonio_time_new(r->read_at));
	return o;
}

void
chat_read_clear(struct chat_read *r)
{
	json_object_put(r->marked);
	free(r->senders);
	r->marked = NULL;
	r->senders = NULL;
	r->nsenders = 0;
}
