/*
 * ev_conversation.c - conversation:join and conversation:leave.
 *
 * A join is checked against the database (the same rule as REST: a user
 * their own, an agent those assigned, an admin all) before the socket
 * enters the room.  With lastMessageId, the messages after it follow the
 * conversation:joined event, so a reconnecting client misses nothing: the
 * db thread runs jobs in order, so a message stored after the catch-up
 * query is broadcast after the join.
 */
#include <stdlib.h>

#include "args.h"
#include "jsonio.h"
#include "log.h"
#include "messages_db.h"
#include "pushd.h"

#define JOIN_CATCHUP_MAX	200

struct join_job {
	struct session_job	 sj;
	uint64_t		 conv;
	long long		 after;		/* 0: no catch-up */
	json_object		*missed;	/* array, oldest first */
	int			 more;
	int			 activity;	/* the socket shows them */
};

static void
join_run(struct dbq_job *j, struct db *db)
{
	struct join_job *jj = (struct join_job *)j;
	struct chat_conv conv;
	struct msg_page pg;

	if (jj->after <= 0) {
		jj->sj.ok = chat_conversation_access(db, &jj->sj.user,
		    (long long)jj->conv, &conv, &jj->sj.err) == 0;
		return;
	}
	/* The page checks access too: only the caller's rows come back. */
	if (msg_db_page(db, &pd.cfg, &jj->sj.user, (long long)jj->conv,
	    0, jj->after, JOIN_CATCHUP_MAX, jj->activity, &pg,
	    &jj->sj.err) == -1)
		return;
	jj->missed = pg.messages;
	jj->more = pg.more;
	jj->sj.ok = 1;
}

static void
join_done(struct dbq_job *j)
{
	struct join_job *jj = (struct join_job *)j;
	struct session *s = eio_find(jj->sj.sid);
	json_object *o;
	size_t i, n;
	int rc;

	if (s == NULL || s->state != SESS_CONNECTED)
		goto out;
	if (!jj->sj.ok) {
		sio_fail(s, jj->sj.ack, "conversation:join", &jj->sj.err);
		goto out;
	}
	if ((rc = rooms_join(s, jj->conv)) != 0) {
		if (rc == ROOMS_FULL)
			api_fail(&jj->sj.err, API_CONFLICT, "too many "
			    "conversations joined on this socket (at most %ld)",
			    pd.cfg.pushd_max_rooms_per_socket);
		else
			api_fail(&jj->sj.err, API_UNAVAILABLE, "out of memory");
		sio_fail(s, jj->sj.ack, "conversation:join", &jj->sj.err);
		goto out;
	}
	o = json_object_new_object();
	json_object_object_add(o, "conversationId",
	    jsonio_id_new((long long)jj->conv));
	sio_emit(s, "conversation:joined", o);
	n = jj->missed ? json_object_array_length(jj->missed) : 0;
	for (i = 0; i < n; i++)
		sio_emit(s, "message:new",
		    json_object_array_get_idx(jj->missed, i));
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "missed", json_object_new_int64((int64_t)n));
	json_object_object_add(o, "hasMore", json_object_new_boolean(jj->more));
	sio_ack(s, jj->sj.ack, o);
	json_object_put(o);
out:
	json_object_put(jj->missed);
	free(jj);
}

void
ev_conversation_join(struct session *s, json_object *arg, long long ack)
{
	struct join_job *jj;
	struct api_error err;
	uint64_t conv;
	long long after;

	if (args_join(arg, &conv, &after, &err) == -1) {
		sio_fail(s, ack, "conversation:join", &err);
		return;
	}
	if ((jj = calloc(1, sizeof(*jj))) == NULL) {
		eio_close(s, "out of memory");
		return;
	}
	jj->conv = conv;
	jj->after = after;
	jj->activity = s->activity;
	session_job_submit(&jj->sj, s, ack, join_run, join_done);
}

void
ev_conversation_leave(struct session *s, json_object *arg, long long ack)
{
	struct api_error err;
	uint64_t conv;

	if (args_conversation(arg, &conv, &err) == -1) {
		sio_fail(s, ack, "conversation:leave", &err);
		return;
	}
	if (s->typing_conv == conv)
		typing_clear(s);
	rooms_leave(s, conv);
	sio_ack_ok(s, ack);
}
