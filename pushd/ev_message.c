/*
 * ev_message.c - message:send, message:read, conversation:mark-all-read,
 * and the rows the FastCGI side announces (a message sent over REST, a new
 * conversation).
 *
 * A send is stored by chat_send_store() - the very transaction the REST API
 * uses - on the db thread; only after the commit does anything go out: the
 * ack and message:sent to the sender, message:new to the conversation room,
 * notification:new-message to the recipient's personal room.  A retry with
 * a known clientMessageId is acked with the first message and broadcasts
 * nothing again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "log.h"
#include "model.h"
#include "pushd.h"

#define READ_IDS_MAX	500

/* --- broadcasting a stored message ------------------------------------------ */

struct new_message {
	json_object	*message;	/* populated wire object */
	uint64_t	 conv;
	uint64_t	 sender;
	char		 sender_name[CHAT_NAME_MAX * 4 + 1];
	uint64_t	 recipient;	/* 0: nobody assigned yet */
	long long	 unread;	/* the recipient's count after it */
};

static void
message_broadcast(const struct new_message *nm)
{
	json_object *n, *from;

	fan_begin();
	fan_user(nm->sender);
	fan_emit("message:sent", nm->message);
	emit_room(nm->conv, 0, "message:new", nm->message);
	if (nm->recipient == 0)
		return;
	n = json_object_new_object();
	json_object_object_add(n, "conversationId",
	    jsonio_id_new((long long)nm->conv));
	json_object_object_add(n, "message", json_object_get(nm->message));
	from = json_object_new_object();
	json_object_object_add(from, "_id", jsonio_id_new((long long)nm->sender));
	json_object_object_add(from, "name",
	    json_object_new_string(nm->sender_name));
	json_object_object_add(n, "sender", from);
	json_object_object_add(n, "unreadCount",
	    json_object_new_int64(nm->unread));
	emit_user(nm->recipient, "notification:new-message", n);
	json_object_put(n);
}

/* --- message:send -------------------------------------------------------------- */

struct send_job {
	struct session_job	 sj;
	json_object		*arg;	/* holds what req points into */
	struct chat_send	 req;
	struct chat_sent	 sent;
};

static void
send_run(struct dbq_job *j, struct db *db)
{
	struct send_job *sj = (struct send_job *)j;

	sj->sj.ok = chat_send_store(db, &pd.cfg, &sj->sj.user, &sj->req,
	    &sj->sent, &sj->sj.err) == 0;
}

static void
send_error(struct session *s, long long ack, const char *client_id,
    const struct api_error *err)
{
	json_object *o = api_error_object(err);

	json_object_object_add(o, "clientMessageId",
	    client_id ? json_object_new_string(client_id) : NULL);
	sio_ack_error(s, ack, err);
	sio_emit(s, "message:error", o);
	json_object_put(o);
}

static void
send_done(struct dbq_job *j)
{
	struct send_job *sj = (struct send_job *)j;
	struct session *s = eio_find(sj->sj.sid);
	struct new_message nm;
	json_object *o;

	if (!sj->sj.ok) {
		if (s != NULL && s->state == SESS_CONNECTED)
			send_error(s, sj->sj.ack, sj->req.client_message_id,
			    &sj->sj.err);
		goto out;
	}
	/* Stored: the others hear of it even if the sender is gone. */
	if (s != NULL && s->state == SESS_CONNECTED) {
		o = json_object_new_object();
		json_object_object_add(o, "ok", json_object_new_boolean(1));
		json_object_object_add(o, "message",
		    json_object_get(sj->sent.message));
		json_object_object_add(o, "duplicate",
		    json_object_new_boolean(sj->sent.duplicate));
		sio_ack(s, sj->sj.ack, o);
		json_object_put(o);
	}
	if (!sj->sent.duplicate) {
		memset(&nm, 0, sizeof(nm));
		nm.message = sj->sent.message;
		nm.conv = (uint64_t)sj->sent.conversation_id;
		nm.sender = (uint64_t)sj->sj.user.id;
		memcpy(nm.sender_name, sj->sj.user.name, sizeof(nm.sender_name));
		nm.recipient = (uint64_t)sj->sent.recipient_id;
		nm.unread = sj->sent.recipient_unread;
		message_broadcast(&nm);
	}
out:
	json_object_put(sj->sent.message);
	json_object_put(sj->arg);
	free(sj);
}

void
ev_message_send(struct session *s, json_object *arg, long long ack)
{
	struct send_job *sj;
	struct api_error err;
	const char *cid = NULL;
	json_object *v;

	if ((sj = calloc(1, sizeof(*sj))) == NULL) {
		eio_close(s, "out of memory");
		return;
	}
	if (chat_send_parse(&pd.cfg, arg, &sj->req, &err) == -1) {
		if (json_object_object_get_ex(arg, "clientMessageId", &v) &&
		    json_object_is_type(v, json_type_string))
			cid = json_object_get_string(v);
		send_error(s, ack, cid, &err);
		free(sj);
		return;
	}
	sj->arg = json_object_get(arg);
	session_job_submit(&sj->sj, s, ack, send_run, send_done);
}

/* --- message:read / conversation:mark-all-read ---------------------------------- */

struct read_job {
	struct session_job	 sj;
	const char		*event;
	uint64_t		 conv;
	char			*ids_json;	/* NULL: all of them */
	json_object		*marked;	/* ids marked now */
	long long		*senders;
	unsigned		 nsenders;
	long long		 read_at;
};

/*
 * The reader's side decides which messages: the conversation's user reads
 * what the agent side sent, an agent (or admin) what the user sent.
 */
#define READ_WHERE " WHERE conversationId = ? AND isRead = 0" \
	" AND (senderId = ?) = ?"
#define READ_IDS " AND id IN (SELECT j.id FROM JSON_TABLE(?, '$[*]'" \
	" COLUMNS (id BIGINT UNSIGNED PATH '$')) AS j)"

static int
read_select(struct db *db, struct read_job *rj, const struct chat_conv *c,
    int agent_side, struct db_res **res)
{
	static const char all[] = "SELECT id, senderId FROM messages"
	    READ_WHERE " ORDER BY id FOR UPDATE";
	static const char some[] = "SELECT id, senderId FROM messages"
	    READ_WHERE READ_IDS " ORDER BY id FOR UPDATE";

	if (rj->ids_json == NULL)
		return db_exec(db, res, all, "iii", (long long)rj->conv,
		    c->user_id, (long long)agent_side);
	return db_exec(db, res, some, "iiis", (long long)rj->conv, c->user_id,
	    (long long)agent_side, rj->ids_json);
}

static int
read_update(struct db *db, struct read_job *rj, const struct chat_conv *c,
    int agent_side)
{
	static const char all[] = "UPDATE messages SET isRead = 1,"
	    " readAt = CURRENT_TIMESTAMP(3)" READ_WHERE;
	static const char some[] = "UPDATE messages SET isRead = 1,"
	    " readAt = CURRENT_TIMESTAMP(3)" READ_WHERE READ_IDS;
	static const char user_count[] = "UPDATE conversations SET"
	    " userUnreadCount = (SELECT COUNT(*) FROM messages WHERE"
	    " conversationId = ? AND isRead = 0 AND senderId <> ?) WHERE id = ?";
	static const char agent_count[] = "UPDATE conversations SET"
	    " supportUnreadCount = (SELECT COUNT(*) FROM messages WHERE"
	    " conversationId = ? AND isRead = 0 AND senderId = ?) WHERE id = ?";
	long long conv = (long long)rj->conv;
	int st;

	if (rj->ids_json == NULL)
		st = db_exec(db, NULL, all, "iii", conv, c->user_id,
		    (long long)agent_side);
	else
		st = db_exec(db, NULL, some, "iiis", conv, c->user_id,
		    (long long)agent_side, rj->ids_json);
	if (st != DB_OK)
		return st;
	return db_exec(db, NULL, agent_side ? agent_count : user_count, "iii",
	    conv, c->user_id, conv);
}

static void
read_collect(struct read_job *rj, const struct db_res *res)
{
	unsigned i, k;
	long long sender;

	rj->marked = json_object_new_array();
	rj->senders = calloc(res->nrows ? res->nrows : 1, sizeof(long long));
	for (i = 0; i < res->nrows; i++) {
		json_object_array_add(rj->marked,
		    jsonio_id_new(db_cell_ll(res, i, 0, 0)));
		sender = db_cell_ll(res, i, 1, 0);
		for (k = 0; k < rj->nsenders && rj->senders[k] != sender; k++)
			;
		if (rj->senders != NULL && k == rj->nsenders)
			rj->senders[rj->nsenders++] = sender;
	}
}

static void
read_run(struct dbq_job *j, struct db *db)
{
	struct read_job *rj = (struct read_job *)j;
	struct chat_conv c;
	struct db_res *res = NULL;
	int st, agent_side;

	if (chat_conversation_access(db, &rj->sj.user, (long long)rj->conv, &c,
	    &rj->sj.err) == -1)
		return;
	agent_side = rj->sj.user.id != c.user_id;
	if ((st = db_begin(db)) != DB_OK ||
	    (st = read_select(db, rj, &c, agent_side, &res)) != DB_OK)
		goto fail;
	read_collect(rj, res);
	db_res_free(res);
	res = NULL;
	if ((st = read_update(db, rj, &c, agent_side)) != DB_OK ||
	    (st = db_exec(db, &res, "SELECT ROUND(UNIX_TIMESTAMP("
	    "CURRENT_TIMESTAMP(3)) * 1000)", "")) != DB_OK ||
	    (st = db_commit(db)) != DB_OK)
		goto fail;
	rj->read_at = db_cell_ll(res, 0, 0, 0);
	db_res_free(res);
	rj->sj.ok = 1;
	return;
fail:
	db_res_free(res);
	db_rollback(db);
	chat_db_fail(&rj->sj.err, st);
}

static void
read_done(struct dbq_job *j)
{
	struct read_job *rj = (struct read_job *)j;
	struct session *s = eio_find(rj->sj.sid);
	json_object *o;
	unsigned i;

	if (!rj->sj.ok) {
		if (s != NULL && s->state == SESS_CONNECTED)
			sio_fail(s, rj->sj.ack, rj->event, &rj->sj.err);
		goto out;
	}
	o = json_object_new_object();
	json_object_object_add(o, "conversationId",
	    jsonio_id_new((long long)rj->conv));
	json_object_object_add(o, "messageIds", json_object_get(rj->marked));
	json_object_object_add(o, "readBy", jsonio_id_new(rj->sj.user.id));
	json_object_object_add(o, "readAt", jsonio_time_new(rj->read_at));
	if (json_object_array_length(rj->marked) > 0) {
		/* The double check: the room, and each sender wherever they are. */
		fan_begin();
		fan_room(rj->conv, 0);
		for (i = 0; i < rj->nsenders; i++)
			fan_user((uint64_t)rj->senders[i]);
		fan_emit("message:read", o);
	}
	if (s != NULL && s->state == SESS_CONNECTED) {
		json_object_object_add(o, "ok", json_object_new_boolean(1));
		sio_ack(s, rj->sj.ack, o);
	}
	json_object_put(o);
out:
	json_object_put(rj->marked);
	free(rj->senders);
	free(rj->ids_json);
	free(rj);
}

/* messageIds as a JSON array of numbers for JSON_TABLE; NULL with err. */
static char *
read_ids(json_object *arg, struct api_error *err)
{
	json_object *ids, *out, *v;
	const char *text;
	size_t i, n, len;
	long long id;
	char *copy;

	if (!json_object_object_get_ex(arg, "messageIds", &ids) ||
	    !json_object_is_type(ids, json_type_array) ||
	    (n = json_object_array_length(ids)) == 0 || n > READ_IDS_MAX) {
		api_fail(err, API_VALIDATION, "messageIds must be an array of "
		    "1 to %d ids", READ_IDS_MAX);
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

static void
read_submit(struct session *s, json_object *arg, long long ack,
    const char *event, int all)
{
	struct read_job *rj;
	struct api_error err;
	uint64_t conv;
	char *ids = NULL;

	if (sio_conversation_id(arg, &conv, &err) == -1 ||
	    (!all && (ids = read_ids(arg, &err)) == NULL)) {
		sio_fail(s, ack, event, &err);
		return;
	}
	if ((rj = calloc(1, sizeof(*rj))) == NULL) {
		free(ids);
		eio_close(s, "out of memory");
		return;
	}
	rj->event = event;
	rj->conv = conv;
	rj->ids_json = ids;
	session_job_submit(&rj->sj, s, ack, read_run, read_done);
}

void
ev_message_read(struct session *s, json_object *arg, long long ack)
{
	read_submit(s, arg, ack, "message:read", 0);
}

void
ev_conversation_mark_all_read(struct session *s, json_object *arg,
    long long ack)
{
	read_submit(s, arg, ack, "conversation:mark-all-read", 1);
}

/* --- rows written by the FastCGI side ---------------------------------------- */

struct rest_job {
	struct dbq_job		 job;
	struct new_message	 nm;
	json_object		*conversation;	/* conversation:new */
	uint64_t		 agent;
};

static void
rest_done(struct dbq_job *j)
{
	struct rest_job *rj = (struct rest_job *)j;
	json_object *o;

	if (rj->nm.message != NULL)
		message_broadcast(&rj->nm);
	if (rj->conversation != NULL && rj->agent != 0) {
		o = json_object_new_object();
		json_object_object_add(o, "conversation",
		    json_object_get(rj->conversation));
		emit_user(rj->agent, "conversation:new", o);
		json_object_put(o);
	}
	json_object_put(rj->nm.message);
	json_object_put(rj->conversation);
	free(rj);
}

/* A message stored over REST: load it and who gets told. */
static int
rest_message(struct db *db, json_object *o, struct rest_job *rj)
{
	static const char sql[] = "SELECT m.senderId, u.name, c.userId,"
	    " c.assignedSupportId, c.userUnreadCount, c.supportUnreadCount,"
	    " m.conversationId FROM messages m JOIN users u ON u.id = m.senderId"
	    " JOIN conversations c ON c.id = m.conversationId WHERE m.id = ?";
	struct api_error err;
	struct db_res *res;
	long long id, user;
	int to_user;

	if (jsonio_id(o, "messageId", 1, &id, &err) == -1 ||
	    db_exec(db, &res, sql, "i", id) != DB_OK)
		return -1;
	if (res->nrows == 0) {
		db_res_free(res);
		return -1;
	}
	rj->nm.sender = (uint64_t)db_cell_ll(res, 0, 0, 0);
	snprintf(rj->nm.sender_name, sizeof(rj->nm.sender_name), "%s",
	    db_cell(res, 0, 1));
	user = db_cell_ll(res, 0, 2, 0);
	to_user = (long long)rj->nm.sender != user;
	rj->nm.recipient = (uint64_t)(to_user ? user :
	    db_cell_ll(res, 0, 3, 0));
	rj->nm.unread = db_cell_ll(res, 0, to_user ? 4 : 5, 0);
	rj->nm.conv = (uint64_t)db_cell_ll(res, 0, 6, 0);
	db_res_free(res);
	if ((rj->nm.message = chat_message_load(db, &pd.cfg, id, &err)) == NULL)
		return -1;
	return 0;
}

/* A conversation started or assigned over REST: tell its agent. */
static int
rest_conversation(struct db *db, json_object *o, struct rest_job *rj)
{
	struct chat_user agent;
	struct chat_conv c;
	struct api_error err;
	long long id;

	memset(&agent, 0, sizeof(agent));
	memcpy(agent.role, "Admin", sizeof("Admin"));
	if (jsonio_id(o, "conversationId", 1, &id, &err) == -1 ||
	    chat_conversation_access(db, &agent, id, &c, &err) == -1 ||
	    c.support_id == 0)
		return -1;
	agent.id = c.support_id;
	memcpy(agent.role, "Support", sizeof("Support"));
	if ((rj->conversation = chat_conversation_load(db, &agent, id,
	    &err)) == NULL)
		return -1;
	rj->agent = (uint64_t)c.support_id;
	return 0;
}

struct dbq_job *
ev_notify_datagram(struct db *db, json_object *o)
{
	struct rest_job *rj;
	const char *type;
	struct api_error err;
	int rc = -1;

	if (jsonio_string(o, "type", 1, 32, &type, &err) == -1 ||
	    (rj = calloc(1, sizeof(*rj))) == NULL)
		return NULL;
	if (strcmp(type, "message") == 0)
		rc = rest_message(db, o, rj);
	else if (strcmp(type, "conversation") == 0)
		rc = rest_conversation(db, o, rj);
	if (rc == -1) {
		json_object_put(rj->nm.message);
		json_object_put(rj->conversation);
		free(rj);
		return NULL;
	}
	rj->job.done = rest_done;
	return &rj->job;
}
