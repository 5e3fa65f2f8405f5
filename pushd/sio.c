/*
 * sio.c - Socket.IO v5 on top of Engine.IO: CONNECT with its token check,
 * the event table, acks, and emitting to one session.
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "jsonio.h"
#include "log.h"
#include "pushd.h"
#include "session.h"

static const struct {
	const char	*name;
	event_fn	*fn;
} sio_events[] = {
	{ "conversation:join", ev_conversation_join },
	{ "conversation:leave", ev_conversation_leave },
	{ "conversation:mark-all-read", ev_conversation_mark_all_read },
	{ "typing:start", ev_typing_start },
	{ "typing:stop", ev_typing_stop },
	{ "message:send", ev_message_send },
	{ "message:read", ev_message_read },
};
_Static_assert(sizeof(sio_events) / sizeof(sio_events[0]) ==
    METRICS_EVENTS_IN, "metrics.c counts each client event");

static void
sio_send_packet(struct session *s, char *text, size_t len)
{
	struct pmsg *m = pmsg_take(text, len);

	if (m == NULL) {
		eio_close(s, "out of memory");
		return;
	}
	eio_send(s, m);
	pmsg_unref(m);
}

const char *
sio_event_name(unsigned i)
{
	return i < sizeof(sio_events) / sizeof(sio_events[0]) ?
	    sio_events[i].name : "?";
}

void
sio_emit(struct session *s, const char *event, json_object *arg)
{
	size_t len;
	char *text = sio_encode_event(event, arg, &len);

	metrics_event_out(event, 1);
	sio_send_packet(s, text, len);
}

void
sio_ack(struct session *s, long long ack, json_object *arg)
{
	size_t len;
	char *text;

	if (ack < 0)
		return;
	text = sio_encode_ack(ack, arg, &len);
	sio_send_packet(s, text, len);
}

void
sio_ack_error(struct session *s, long long ack, const struct api_error *err)
{
	json_object *o;

	metrics_error(err->code);
	if (ack < 0)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "ok", json_object_new_boolean(0));
	json_object_object_add(o, "error", api_error_object(err));
	sio_ack(s, ack, o);
	json_object_put(o);
}

void
sio_ack_ok(struct session *s, long long ack)
{
	json_object *o;

	if (ack < 0)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	sio_ack(s, ack, o);
	json_object_put(o);
}

void
sio_fail(struct session *s, long long ack, const char *event,
    const struct api_error *err)
{
	json_object *o;

	if (ack >= 0) {
		sio_ack_error(s, ack, err);
		return;
	}
	metrics_error(err->code);
	o = api_error_object(err);
	json_object_object_add(o, "event", json_object_new_string(event));
	sio_emit(s, "error", o);
	json_object_put(o);
}

void
session_job_submit(struct session_job *sj, struct session *s, long long ack,
    void (*run)(struct dbq_job *, struct db *), void (*done)(struct dbq_job *))
{
	sj->sid = s->id;
	sj->ack = ack;
	sj->user = s->user;
	sj->job.run = run;
	sj->job.done = done;
	dbq_submit(pd.dbq, &sj->job);
}

/* --- CONNECT -------------------------------------------------------------- */

struct auth_job {
	struct session_job	 sj;
	char			 token[TOKEN_MAX + 1];
	char			 jti[TOKEN_JTI_LEN + 1];
	long long		 iat_ms, exp;
};

static void
sio_auth_run(struct dbq_job *j, struct db *db)
{
	struct auth_job *a = (struct auth_job *)j;
	struct token_claims claims;

	a->sj.ok = session_authenticate(db, &pd.cfg, a->token, &a->sj.user,
	    &claims, &a->sj.err) == 0;
	if (a->sj.ok) {
		memcpy(a->jti, claims.jti, sizeof(a->jti));
		a->iat_ms = claims.iat_ms;
		a->exp = claims.exp;
	}
}

static void
sio_connect_error(struct session *s, const struct api_error *err)
{
	size_t len;
	char *text;

	text = sio_encode_connect_error(err->message,
	    err->code == API_UNAVAILABLE ? "E_UNAVAILABLE" :
	    err->code == API_TOO_MANY ? "E_LIMIT" : "E_AUTH", &len);
	sio_send_packet(s, text, len);
}

static void
sio_auth_done(struct dbq_job *j)
{
	struct auth_job *a = (struct auth_job *)j;
	struct session *s = eio_find(a->sj.sid);
	size_t len;
	char *text;

	if (s == NULL || s->state != SESS_AUTH) {
		free(a);
		return;
	}
	s->user = a->sj.user;
	if (!a->sj.ok || limits_connect(s, &a->sj.err) == -1) {
		sio_connect_error(s, &a->sj.err);
		/*
		 * One attempt per session (clients open a new one to retry), so
		 * a peer cannot turn one socket into a stream of database
		 * look-ups; the next timer tick closes a session still OPEN.
		 */
		s->state = SESS_OPEN;
		s->refused = 1;
		free(a);
		return;
	}
	memcpy(s->jti, a->jti, sizeof(s->jti));
	s->iat_ms = a->iat_ms;
	s->state = SESS_CONNECTED;
	addr_connected(s);
	/* The socket lasts as long as its token, not longer. */
	eio_set_deadline(s, (lws_usec_t)a->exp * LWS_US_PER_SEC);
	free(a);
	text = sio_encode_connect(s->sio_sid, &len);
	sio_send_packet(s, text, len);
	rooms_user_add(s);
	if (s->user.role != CHAT_ROLE_USER)
		(void)rooms_join(s, ROOMS_AGENTS);
	presence_connected(s);
}

static void
sio_on_connect(struct session *s, struct sio_packet *p)
{
	struct api_error err;
	struct auth_job *a;
	json_object *t;
	const char *token = s->auth_token ? s->auth_token : "";

	if (strcmp(p->nsp, "/") != 0) {
		api_fail(&err, API_NOT_FOUND, "Invalid namespace");
		sio_connect_error(s, &err);
		return;
	}
	if (p->data != NULL && json_object_object_get_ex(p->data, "token", &t) &&
	    json_object_is_type(t, json_type_string))
		token = json_object_get_string(t);
	/* {include: "activity"}: this client shows activity entries. */
	if (p->data != NULL &&
	    json_object_object_get_ex(p->data, "include", &t) &&
	    json_object_is_type(t, json_type_string) &&
	    strcmp(json_object_get_string(t), "activity") == 0)
		s->activity = 1;
	if (*token == '\0' || strlen(token) > TOKEN_MAX) {
		api_fail(&err, API_UNAUTHORIZED, "unauthorized");
		sio_connect_error(s, &err);
		return;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		eio_close(s, "out of memory");
		return;
	}
	memcpy(a->token, token, strlen(token) + 1);
	free(s->auth_token);
	s->auth_token = NULL;
	s->state = SESS_AUTH;
	session_job_submit(&a->sj, s, -1, sio_auth_run, sio_auth_done);
}

/* --- events --------------------------------------------------------------- */

static void
sio_on_event(struct session *s, struct sio_packet *p)
{
	struct api_error err;
	size_t i;

	for (i = 0; i < sizeof(sio_events) / sizeof(sio_events[0]); i++)
		if (strcmp(sio_events[i].name, p->event) == 0)
			break;
	if (i == sizeof(sio_events) / sizeof(sio_events[0])) {
		api_fail(&err, API_NOT_FOUND, "unknown event %s", p->event);
		sio_fail(s, p->ack_id, p->event, &err);
		return;
	}
	if (p->arg == NULL || !json_object_is_type(p->arg, json_type_object)) {
		api_fail(&err, API_VALIDATION, "%s takes an object", p->event);
		sio_fail(s, p->ack_id, p->event, &err);
		return;
	}
	if (limits_event(s, p->event, p->ack_id) == -1)
		return;
	metrics_event_in((unsigned)i);
	sio_events[i].fn(s, p->arg, p->ack_id);
}

static void
sio_on_binary(struct session *s, struct sio_packet *p)
{
	struct api_error err;

	/* Refused, but politely: drop the attachments, answer the ack. */
	s->discard_binary = p->attachments;
	api_fail(&err, API_BAD_REQUEST, "binary packets are not supported");
	err.code = API_BAD_REQUEST;
	if (p->ack_id >= 0) {
		json_object *o = json_object_new_object(), *e;

		json_object_object_add(o, "ok", json_object_new_boolean(0));
		e = api_error_object(&err);
		json_object_object_add(e, "code",
		    json_object_new_string("binary_unsupported"));
		json_object_object_add(o, "error", e);
		sio_ack(s, p->ack_id, o);
		json_object_put(o);
	}
}

void
sio_on_message(struct session *s, const char *buf, size_t len)
{
	struct sio_packet p;
	const char *why;

	if (sio_decode(buf, len, &p, &why) == -1) {
		log_debug("session %s: %s", s->sid, why);
		eio_close(s, "parse error");
		return;
	}
	switch (p.type) {
	case SIO_CONNECT:
		if (s->state != SESS_OPEN || s->refused)
			eio_close(s, "second CONNECT");
		else
			sio_on_connect(s, &p);
		break;
	case SIO_DISCONNECT:
		eio_close(s, "client disconnect");
		break;
	case SIO_EVENT:
		if (s->refused)
			break;	/* being kicked or refused: let the queue drain */
		if (s->state != SESS_CONNECTED)
			eio_close(s, "event before CONNECT");
		else if (strcmp(p.nsp, "/") == 0)
			sio_on_event(s, &p);
		break;
	case SIO_BINARY_EVENT:
	case SIO_BINARY_ACK:
		sio_on_binary(s, &p);
		break;
	case SIO_ACK:
		break;	/* the server never asks for acks */
	default:
		eio_close(s, "unexpected Socket.IO packet");
		break;
	}
	sio_packet_clear(&p);
}

void
sio_on_close(struct session *s)
{
	if (s->state != SESS_CONNECTED)
		return;
	typing_clear(s);
	rooms_leave_all(s);
	if (rooms_user_del(s))
		presence_disconnected(s);
}

/* --- server-side disconnect ----------------------------------------------- */

/*
 * The kick travels through the db queue behind the session's jobs in flight
 * (the queue is FIFO both ways), so every event that passed before it is
 * answered first; events after it are dropped unanswered.
 */
static void
sio_kick_run(struct dbq_job *j, struct db *db)
{
	(void)j;
	(void)db;
}

static void
sio_kick_done(struct dbq_job *j)
{
	struct session_job *sj = (struct session_job *)j;
	struct session *s = eio_find(sj->sid);
	size_t len;
	char *text;

	free(sj);
	if (s == NULL || s->state != SESS_CONNECTED)
		return;
	text = sio_encode_disconnect(&len);
	sio_send_packet(s, text, len);
	sio_on_close(s);
	/* No second CONNECT; the ping timer closes the transport if need be. */
	s->state = SESS_OPEN;
}

void
sio_expired(struct session *s)
{
	sio_kick(s, "token expired");
}

void
sio_kick(struct session *s, const char *why)
{
	struct session_job *sj;

	if (s->state != SESS_CONNECTED || s->refused)
		return;
	log_debug("session %s disconnected: %s", s->sid, why);
	s->refused = 1;
	if ((sj = calloc(1, sizeof(*sj))) == NULL) {
		eio_close(s, why);
		return;
	}
	session_job_submit(sj, s, -1, sio_kick_run, sio_kick_done);
}

struct logout_job {
	struct dbq_job	 job;
	uint64_t	 uid;
	char		 jti[TOKEN_JTI_LEN + 1];	/* "": by time */
	long long	 before_ms;
};

static void
sio_logout_done(struct dbq_job *j)
{
	struct logout_job *lj = (struct logout_job *)j;
	struct session *s, *next;

	for (s = rooms_user_sessions(lj->uid); s != NULL; s = next) {
		next = s->unext;	/* sio_kick may close s at once */
		if (lj->jti[0] != '\0' ? strcmp(s->jti, lj->jti) == 0 :
		    s->iat_ms < lj->before_ms)
			sio_kick(s, lj->jti[0] != '\0' ? "logged out" :
			    "token revoked");
	}
	free(lj);
}

struct dbq_job *
sio_logout_job(uint64_t uid, const char *jti, long long before_ms)
{
	struct logout_job *lj;

	if ((jti != NULL && strlen(jti) > TOKEN_JTI_LEN) ||
	    (lj = calloc(1, sizeof(*lj))) == NULL)
		return NULL;
	lj->uid = uid;
	if (jti != NULL)
		memcpy(lj->jti, jti, strlen(jti) + 1);
	lj->before_ms = before_ms;
	lj->job.done = sio_logout_done;
	return &lj->job;
}
