/*
 * ev_typing.c - typing:start and typing:stop.
 *
 * Typing lives in pushd: a participant of a conversation may say it is
 * typing there; the others in the room hear typing:user-typing once, and
 * typing:user-stopped when it says stop, goes quiet for PUSHD_TYPING_MS,
 * leaves or disconnects.  A socket need not have joined: the mobile app
 * sends typing for a conversation it never joins.  The first event for a
 * conversation the socket does not know is checked on the db thread (the
 * rule of a send) and the answer kept for that socket.
 */
#include <stdlib.h>

#include "args.h"
#include "jsonio.h"
#include "pushd.h"

static void
typing_emit(struct session *s, uint64_t conv, int typing)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "conversationId",
	    jsonio_id_new((long long)conv));
	json_object_object_add(o, "userId", jsonio_id_new(s->user.id));
	if (typing)
		json_object_object_add(o, "userName",
		    json_object_new_string(s->user.name));
	json_object_object_add(o, "isTyping", json_object_new_boolean(typing));
	emit_room(conv, (uint64_t)s->user.id,
	    typing ? "typing:user-typing" : "typing:user-stopped", o);
	json_object_put(o);
}

void
typing_clear(struct session *s)
{
	uint64_t conv = s->typing_conv;

	if (conv == 0)
		return;
	s->typing_conv = 0;
	lws_sul_schedule(pd.ctx, 0, &s->sul_typing, NULL,
	    LWS_SET_TIMER_USEC_CANCEL);
	typing_emit(s, conv, 0);
}

static void
typing_quiet(lws_sorted_usec_list_t *sul)
{
	struct session *s = lws_container_of(sul, struct session, sul_typing);

	typing_clear(s);
}

/* Start or stop, on a conversation that is known to be s's. */
static void
typing_apply(struct session *s, uint64_t conv, int start, long long ack)
{
	if (!start) {
		if (s->typing_conv == conv)
			typing_clear(s);
		sio_ack_ok(s, ack);
		return;
	}
	if (s->typing_conv != conv) {
		typing_clear(s);
		s->typing_conv = conv;
		typing_emit(s, conv, 1);
	}
	lws_sul_schedule(pd.ctx, 0, &s->sul_typing, typing_quiet,
	    (lws_usec_t)PUSHD_TYPING_MS * LWS_US_PER_MS);
	sio_ack_ok(s, ack);
}

struct typing_job {
	struct session_job	 sj;
	uint64_t		 conv;
	int			 start;
	int			 known;		/* no check: only keeping order */
};

static void
typing_check_run(struct dbq_job *j, struct db *db)
{
	struct typing_job *tj = (struct typing_job *)j;
	struct chat_conv conv;

	if (tj->known) {
		tj->sj.ok = 1;
		return;
	}
	tj->sj.ok = chat_conversation_act(db, &tj->sj.user,
	    (long long)tj->conv, &conv, &tj->sj.err) == 0;
}

static void
typing_check_done(struct dbq_job *j)
{
	struct typing_job *tj = (struct typing_job *)j;
	struct session *s = eio_find(tj->sj.sid);
	const char *event = tj->start ? "typing:start" : "typing:stop";

	if (s != NULL && s->typing_pending > 0)
		s->typing_pending--;
	if (s != NULL && s->state == SESS_CONNECTED) {
		if (!tj->sj.ok)
			sio_fail(s, tj->sj.ack, event, &tj->sj.err);
		else {
			rooms_remember(s, tj->conv);
			typing_apply(s, tj->conv, tj->start, tj->sj.ack);
		}
	}
	free(tj);
}

static void
typing_event(struct session *s, json_object *arg, long long ack, int start)
{
	const char *event = start ? "typing:start" : "typing:stop";
	struct typing_job *tj;
	struct api_error err;
	uint64_t conv;

	if (args_conversation(arg, &conv, &err) == -1) {
		sio_fail(s, ack, event, &err);
		return;
	}
	/* Behind a check in flight, even a known one waits its turn. */
	if (rooms_known(s, conv) && s->typing_pending == 0) {
		typing_apply(s, conv, start, ack);
		return;
	}
	if ((tj = calloc(1, sizeof(*tj))) == NULL) {
		eio_close(s, "out of memory");
		return;
	}
	tj->conv = conv;
	tj->start = start;
	tj->known = rooms_known(s, conv);
	s->typing_pending++;
	session_job_submit(&tj->sj, s, ack, typing_check_run,
	    typing_check_done);
}

void
ev_typing_start(struct session *s, json_object *arg, long long ack)
{
	typing_event(s, arg, ack, 1);
}

void
ev_typing_stop(struct session *s, json_object *arg, long long ack)
{
	typing_event(s, arg, ack, 0);
}
