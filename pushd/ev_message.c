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

#include "args.h"
#include "jsonio.h"
#include "log.h"
#include "model.h"
#include "pushd.h"


/* --- broadcasting a stored message ------------------------------------------ */

struct new_message {
	json_object	*message;	/* populated wire object */
	uint64_t	 conv;
	uint64_t	 sender;
	char		 sender_name[CHAT_NAME_MAX * 4 + 1];
	uint64_t	 recipient;	/* 0: nobody assigned yet */
	long long	 unread;	/* the recipient's count after it */
	int		 is_private;	/* a note: the team alone hears */
};

/*
 * A private note: to the team in the room and to the conversation's agent
 * wherever they are; never to the user, and no notification (nothing is
 * unread).
 */
static void
note_broadcast(const struct new_message *nm)
{
	fan_begin();
	fan_room_staff(nm->conv);
	if (nm->recipient != 0)
		fan_user(nm->recipient);
	fan_emit("message:new", nm->message);
}

static void
message_broadcast(const struct new_message *nm)
{
	json_object *n, *from;

	fan_begin();
	fan_user(nm->sender);
	fan_emit("message:sent", nm->message);
	if (nm->is_private) {
		note_broadcast(nm);
		return;
	}
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

/*
 * Group commit: concurrent sends share one transaction (one durable commit
 * instead of one per message), each inside its own savepoint so that a
 * refused one leaves the others alone.  If the transaction itself is lost,
 * nothing of it was stored: each send runs again on its own, so every ack
 * tells the truth.
 */
static void
send_run_batch(struct dbq_job **jobs, unsigned n, struct db *db)
{
	struct send_job *sj;
	int r[DBQ_BATCH_MAX];
	unsigned i;
	int lost = 0;

	if (n == 1 || db_begin(db) != DB_OK) {
		for (i = 0; i < n; i++)
			send_run(jobs[i], db);
		return;
	}
	log_debug("%u sends under one commit", n);
	for (i = 0; i < n && !lost; i++) {
		sj = (struct send_job *)jobs[i];
		if (db_savepoint(db) != DB_OK) {
			lost = 1;
			break;
		}
		r[i] = chat_send_tx(db, &pd.cfg, &sj->sj.user, &sj->req,
		    &sj->sent, &sj->sj.err);
		if (r[i] == CHAT_TX_FAILED &&
		    sj->sj.err.code == API_UNAVAILABLE)
			lost = 1;
		else if ((r[i] == CHAT_TX_FAILED || r[i] == CHAT_TX_RETRY) &&
		    db_rollback_savepoint(db) != DB_OK)
			lost = 1;
	}
	if (lost || db_commit(db) != DB_OK) {
		db_rollback(db);
		for (i = 0; i < n; i++) {
			/* Rendered rows that were never stored. */
			sj = (struct send_job *)jobs[i];
			json_object_put(sj->sent.message);
			sj->sent.message = NULL;
			send_run(jobs[i], db);
		}
		return;
	}
	for (i = 0; i < n; i++) {
		sj = (struct send_job *)jobs[i];
		if (r[i] == CHAT_TX_STORED)
			sj->sj.ok = chat_send_load(db, &pd.cfg, &sj->sent,
			    &sj->sj.err) == 0;
		else if (r[i] == CHAT_TX_RETRY)
			sj->sj.ok = chat_send_raced(db, &pd.cfg, &sj->sj.user,
			    &sj->req, &sj->sent, &sj->sj.err) == 0;
	}
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
		nm.is_private = sj->sent.is_private;
		message_broadcast(&nm);
	}
	if (sj->sent.reopened)
		workflow_reopened((uint64_t)sj->sent.conversation_id,
		    sj->sent.activity);
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
	sj->sj.job.run_batch = send_run_batch;
	session_job_submit(&sj->sj, s, ack, send_run, send_done);
}

/* --- message:read / conversation:mark-all-read ---------------------------------- */

struct read_job {
	struct session_job	 sj;
	const char		*event;
	uint64_t		 conv;
	char			*ids_json;	/* NULL: all of them */
	struct chat_read	 r;
};

/* The double check: the room, and each sender wherever they are. */
static void
read_broadcast(const struct chat_read *r, json_object *ev)
{
	unsigned i;

	if (r->marked == NULL || json_object_array_length(r->marked) == 0)
		return;
	fan_begin();
	fan_room((uint64_t)r->conversation_id, 0);
	for (i = 0; i < r->nsenders; i++)
		fan_user((uint64_t)r->senders[i]);
	fan_emit("message:read", ev);
}

static void
read_run(struct dbq_job *j, struct db *db)
{
	struct read_job *rj = (struct read_job *)j;

	rj->sj.ok = chat_mark_read(db, &rj->sj.user, (long long)rj->conv,
	    rj->ids_json, &rj->r, &rj->sj.err) == 0;
}

static void
read_done(struct dbq_job *j)
{
	struct read_job *rj = (struct read_job *)j;
	struct session *s = eio_find(rj->sj.sid);
	json_object *o;

	if (!rj->sj.ok) {
		if (s != NULL && s->state == SESS_CONNECTED)
			sio_fail(s, rj->sj.ack, rj->event, &rj->sj.err);
		goto out;
	}
	o = chat_read_event(&rj->r);
	read_broadcast(&rj->r, o);
	if (s != NULL && s->state == SESS_CONNECTED) {
		json_object_object_add(o, "ok", json_object_new_boolean(1));
		sio_ack(s, rj->sj.ack, o);
	}
	json_object_put(o);
out:
	chat_read_clear(&rj->r);
	free(rj->ids_json);
	free(rj);
}

static void
read_submit(struct session *s, json_object *arg, long long ack,
    const char *event, int all)
{
	struct read_job *rj;
	struct api_error err;
	uint64_t conv;
	char *ids = NULL;

	if ((all ? args_conversation(arg, &conv, &err) :
	    args_read(arg, &conv, &ids, &err)) == -1) {
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
	struct chat_read	 read;		/* read over REST */
};

static void
rest_done(struct dbq_job *j)
{
	struct rest_job *rj = (struct rest_job *)j;
	json_object *o;

	if (rj->nm.message != NULL)
		message_broadcast(&rj->nm);
	if (rj->read.marked != NULL) {
		o = chat_read_event(&rj->read);
		read_broadcast(&rj->read, o);
		json_object_put(o);
	}
	if (rj->conversation != NULL && rj->agent != 0) {
		o = json_object_new_object();
		json_object_object_add(o, "conversation",
		    json_object_get(rj->conversation));
		emit_user(rj->agent, "conversation:new", o);
		json_object_put(o);
	}
	if (rj->conversation != NULL)
		queue_touch();		/* a new one may wait in the queue */
	json_object_put(rj->nm.message);
	json_object_put(rj->conversation);
	chat_read_clear(&rj->read);
	free(rj);
}

/* Messages marked read over REST: find them again by their readAt. */
static int
rest_read(struct db *db, const struct args_notify *n, struct rest_job *rj)
{
	return chat_read_reload(db, n->conversation_id, n->read_by,
	    n->read_at, &rj->read);
}

/* A message stored over REST: load it and who gets told. */
static int
rest_message(struct db *db, long long id, struct rest_job *rj)
{
	struct api_error err;
	struct chat_news n;

	if (chat_message_news(db, id, &n, &err) == -1)
		return -1;
	rj->nm.sender = (uint64_t)n.sender;
	memcpy(rj->nm.sender_name, n.sender_name, sizeof(rj->nm.sender_name));
	rj->nm.recipient = (uint64_t)n.recipient;
	rj->nm.unread = n.unread;
	rj->nm.conv = (uint64_t)n.conversation;
	rj->nm.is_private = n.is_private;
	if ((rj->nm.message = chat_message_load(db, &pd.cfg, id, &err)) == NULL)
		return -1;
	return 0;
}

/* A conversation started or assigned over REST: tell its agent. */
static int
rest_conversation(struct db *db, long long id, struct rest_job *rj)
{
	struct api_error err;
	long long agent;

	if ((rj->conversation = chat_conversation_for_agent(db, id, &agent,
	    &err)) == NULL)
		return -1;
	rj->agent = (uint64_t)agent;
	return 0;
}

int
ev_notify_datagram(struct db *db, json_object *o, struct dbq_job **out)
{
	struct rest_job *rj;
	struct args_notify n;
	struct api_error err;
	int rc = -1;

	*out = NULL;
	if (args_notify(o, &n, &err) == -1)
		return 0;
	if (n.type == ARGS_NOTIFY_LOGOUT) {
		*out = sio_logout_job((uint64_t)n.user_id, n.jti, 0);
		return 0;
	}
	if (n.type == ARGS_NOTIFY_REVOKE) {
		*out = sio_logout_job((uint64_t)n.user_id, NULL, n.before_ms);
		return 0;
	}
	if (n.type == ARGS_NOTIFY_AVAILABILITY) {
		*out = workflow_availability_job(n.user_id, n.availability);
		return 0;
	}
	if (n.type == ARGS_NOTIFY_UPDATED) {
		*out = workflow_updated_job(db, n.conversation_id, n.previous,
		    n.activity);
		return 0;
	}
	if ((rj = calloc(1, sizeof(*rj))) == NULL)
		return 0;
	switch (n.type) {
	case ARGS_NOTIFY_MESSAGE:
		rc = rest_message(db, n.message_id, rj);
		break;
	case ARGS_NOTIFY_CONVERSATION:
		rc = rest_conversation(db, n.conversation_id, rj);
		break;
	case ARGS_NOTIFY_READ:
		rc = rest_read(db, &n, rj);
		break;
	case ARGS_NOTIFY_LOGOUT:
	case ARGS_NOTIFY_REVOKE:
	case ARGS_NOTIFY_UPDATED:
	case ARGS_NOTIFY_AVAILABILITY:
		break;
	}
	if (rc == -1) {
		json_object_put(rj->nm.message);
		json_object_put(rj->conversation);
		chat_read_clear(&rj->read);
		free(rj);
		/* The row is stored; while the database is away, try later. */
		return db_probe(db) == DB_OK ? 0 : -1;
	}
	rj->job.done = rest_done;
	*out = &rj->job;
	return 0;
}
