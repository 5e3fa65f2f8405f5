/*
 * pushd.h - what flows through pushd: sessions, the messages queued to
 * them, rooms and users, and the handlers of each event group.
 *
 * One Engine.IO session carries one Socket.IO socket on the main namespace.
 * Everything here runs on the lws event loop thread; the database is only
 * touched through dbq jobs (dbq.h), which name sessions by id.
 */
#ifndef PUSHD_PUSHD_H
#define PUSHD_PUSHD_H

#include <stdint.h>
#include <time.h>

#include <json-c/json.h>
#include <libwebsockets.h>

#include "apierr.h"
#include "chat.h"
#include "config.h"
#include "dbq.h"
#include "hmap.h"
#include "token.h"

/*
 * Fixed limits; the ones an operator may tune (heartbeat, rates, rooms
 * per socket, sockets per account) are in the config table (config.c).
 */
#define PUSHD_MAX_PAYLOAD	1000000	/* bytes of a frame or a POST body */
#define PUSHD_MAX_QUEUED	(2 * 1024 * 1024) /* output per session */
#define PUSHD_TYPING_MS		5000	/* typing stops by itself after this */

/*
 * A packet to send, serialised once and shared by every recipient's queue
 * (refcounted).  LWS_PRE bytes of headroom precede the text for lws_write.
 */
struct pmsg {
	unsigned	refs;
	size_t		len;
	unsigned char	buf[];	/* LWS_PRE + len + 1 */
};
#define PMSG_TEXT(m)	((m)->buf + LWS_PRE)

struct pmsg	*pmsg_new(const char *text, size_t len);
/* Wrap a malloc'd encoder result (freed here); NULL if text is NULL. */
struct pmsg	*pmsg_take(char *text, size_t len);
void		 pmsg_unref(struct pmsg *m);

struct qent {
	struct pmsg	*m;
	struct qent	*next;
};

/*
 * A conversation a socket knows: joined (in its room, which an agent may
 * do for one in the queue), and/or checked to be one its user acts in
 * (typing: the user's own, the assigned agent's).
 */
struct sess_conv {
	uint64_t	 id;
	unsigned	 joined:1, acts:1;
};

enum sess_state {
	SESS_OPEN,		/* Engine.IO open, waiting for CONNECT */
	SESS_AUTH,		/* CONNECT received, token being checked */
	SESS_CONNECTED,		/* a Socket.IO socket of user */
	SESS_CLOSED		/* waiting to be freed */
};

struct session {
	struct hmap_node	 node;		/* sessions, key = id */
	uint64_t		 id;
	char			 sid[32];	/* Engine.IO sid */
	char			 sio_sid[32];	/* Socket.IO socket id */
	enum sess_state		 state;
	struct lws		*ws;		/* its WebSocket, if any */
	struct lws		*get;		/* a held polling GET, if any */
	int			 upgraded;	/* WebSocket is the transport */
	int			 noop_pending;	/* answer a held GET with "6" */
	int			 discard_binary; /* binary frames to drop */
	int			 refused;	/* CONNECT refused: no second try */
	struct qent		*qh, *qt;
	size_t			 qbytes;
	lws_sorted_usec_list_t	 sul_ping;
	int			 pong_pending;
	int			 peer_closed;	/* the client sent a close packet */
	lws_usec_t		 ping_sent;	/* the last ping (or the open) */
	lws_usec_t		 connect_by;	/* OPEN: CONNECT deadline */
	const char		*doomed;	/* close at the next timer tick */
	lws_sorted_usec_list_t	 sul_typing;
	uint64_t		 typing_conv;	/* 0: not typing */
	unsigned		 typing_pending; /* typing jobs in flight */
	char			*auth_token;	/* from query/header; freed at CONNECT */
	struct chat_user	 user;		/* SESS_CONNECTED */
	char			 jti[TOKEN_JTI_LEN + 1]; /* its token, for logout */
	long long		 iat_ms;	/* its token's issue time */
	lws_usec_t		 deadline;	/* 0, or kicked then (expiry) */
	lws_usec_t		 rate_tat;	/* limits.c: event rate */
	unsigned		 strikes;	/* events refused in a row */
	struct session		*unext, *uprev;	/* the user's sessions */
	struct sess_conv	*convs;		/* on demand; rooms.c */
	unsigned		 nconvs, capconvs;
	unsigned		 stamp;		/* fan-out de-duplication */
	struct session		*reap_next;
	uint64_t		 addr;		/* addr.c: the client's address */
	unsigned		 addr_counted:1, addr_pending:1;
	unsigned		 activity:1;	/* CONNECT asked for them */
};

/* The daemon's state: one per process, owned by main.c. */
struct pushd {
	struct config		 cfg;
	struct lws_context	*ctx;
	struct dbq		*dbq;
	struct hmap		 sessions;	/* id -> session */
	struct hmap		 users;		/* user id -> struct user_ent */
	struct hmap		 rooms;		/* conversation id -> struct room */
	uint64_t		 next_id;
	struct session		*reap;		/* closed, to free */
	lws_sorted_usec_list_t	 sul_reap;
	unsigned		 stamp;
	volatile int		 stopping;
};

extern struct pushd pd;

/* eio.c: the Engine.IO transports (HTTP long-polling and WebSocket). */
extern const struct lws_protocols eio_protocol;
void	eio_send(struct session *s, struct pmsg *m);
void	eio_close(struct session *s, const char *why);
/* At realtime usec (0: none), sio_expired(s) is called. */
void	eio_set_deadline(struct session *s, lws_usec_t usec);
struct session *eio_find(uint64_t id);

/* sio.c: Socket.IO packets, the event table, emitting. */
void	sio_on_message(struct session *s, const char *buf, size_t len);
void	sio_on_close(struct session *s);
void	sio_emit(struct session *s, const char *event, json_object *arg);
void	sio_ack(struct session *s, long long ack, json_object *arg);
/* {ok:false, error:{code,message}} to ack (when ack >= 0). */
void	sio_ack_error(struct session *s, long long ack,
	    const struct api_error *err);
void	sio_ack_ok(struct session *s, long long ack);
/*
 * Disconnect the Socket.IO socket once the events in flight are answered
 * (the client sees "io server disconnect" and does not reconnect by
 * itself); the client closes the transport, or the next timer tick does.
 */
void	sio_kick(struct session *s, const char *why);
/*
 * A logout or revoke datagram: a job that kicks uid's sockets opened with
 * token jti, or (jti NULL) with tokens issued before before_ms.
 */
struct dbq_job *sio_logout_job(uint64_t uid, const char *jti,
	    long long before_ms);
/* The session's deadline passed (its token expired): kick it. */
void	sio_expired(struct session *s);
/* A refused event: the error ack, or an "error" event when no ack. */
void	sio_fail(struct session *s, long long ack, const char *event,
	    const struct api_error *err);

/* rooms.c: conversation rooms, personal rooms (a user's sessions), fan-out. */
int	rooms_init(void);
void	rooms_user_add(struct session *s);
/* Returns 1 if it was the user's last session. */
int	rooms_user_del(struct session *s);
int	rooms_user_online(uint64_t uid);
unsigned rooms_user_count(uint64_t uid);
/* The user's sessions (linked by unext), NULL if none. */
struct session *rooms_user_sessions(uint64_t uid);
/* The user's event-rate bucket, NULL if the user has no session. */
lws_usec_t *rooms_user_rate(uint64_t uid);
/* 0, ROOMS_FULL (pushd.max_rooms_per_socket) or -1 (out of memory). */
#define ROOMS_FULL	(-2)
/* The room of the support team's sockets (no conversation has this id). */
#define ROOMS_AGENTS	UINT64_MAX
int	rooms_join(struct session *s, uint64_t conv);
/* Leaves the room; the conversation stays known to be the user's. */
void	rooms_leave(struct session *s, uint64_t conv);
/* Leaves every room and forgets every conversation (at close). */
void	rooms_leave_all(struct session *s);
/* s joined conv. */
int	rooms_has(const struct session *s, uint64_t conv);
/* s leaves conv's room and forgets it (its user lost it). */
void	rooms_forget(struct session *s, uint64_t conv);
/* s's user is known to act in conv (checked once). */
int	rooms_known(const struct session *s, uint64_t conv);
/* Remember that s's user acts in conv (best effort). */
void	rooms_remember(struct session *s, uint64_t conv);
/* Fan-out: collect sessions (each once), then send one packet to all. */
void	fan_begin(void);
void	fan_room(uint64_t conv, uint64_t except_uid);
/* The room's sockets that hear activity entries (staff, or asked for). */
void	fan_room_activity(uint64_t conv);
/* Only the support team's sessions in conv's room (private notes). */
void	fan_room_staff(uint64_t conv);
void	fan_user(uint64_t uid);
/*
 * This fan-out stays on this node (cluster.h): what every node works out
 * for itself from the database, such as a queue's places.
 */
void	fan_local(void);
void	fan_emit(const char *event, json_object *arg);
/* A broadcast heard from another node: to this node's sockets of it. */
struct envelope;
void	fan_replay(const struct envelope *e);
/* Shorthands for one target. */
void	emit_user(uint64_t uid, const char *event, json_object *arg);
void	emit_room(uint64_t conv, uint64_t except_uid, const char *event,
	    json_object *arg);

/* limits.c: 0 if the event may run; otherwise refused (and maybe kicked). */
int	limits_event(struct session *s, const char *event, long long ack);
/* 0 if s may join its user's sockets, -1 with err otherwise. */
int	limits_connect(struct session *s, struct api_error *err);

/* addr.c: client addresses (hashed) and what one address may hold. */
int	addr_init(void);
/* The client's address of a request (through a trusted proxy). */
uint64_t addr_of(struct lws *wsi);
/* 1 if the TCP peer of wsi is this host (not who it forwards for). */
int	addr_is_loopback(struct lws *wsi);
/* 0 if one more session from key is allowed; -1 with err otherwise. */
int	addr_admit(uint64_t key, struct api_error *err);
int	addr_add(struct session *s, uint64_t key);
void	addr_connected(struct session *s);	/* CONNECT accepted */
void	addr_del(struct session *s);

/* presence.c */
void	presence_reset(struct db *db);
void	presence_connected(struct session *s);
void	presence_disconnected(struct session *s);

/* Event handlers: one group per file. */
typedef void event_fn(struct session *, json_object *, long long);
event_fn ev_conversation_join, ev_conversation_leave;	/* ev_conversation.c */
event_fn ev_typing_start, ev_typing_stop;		/* ev_typing.c */
event_fn ev_message_send, ev_message_read;		/* ev_message.c */
event_fn ev_conversation_mark_all_read;
void	typing_clear(struct session *s);		/* ev_typing.c */
/* ev_workflow.c: conversation:updated, and the end of snoozes. */
void	workflow_start(void);
/*
 * A user's message reopened conv: route it if its agent is away
 * (route_db.h), then tell its parties.
 */
void	workflow_reopened(uint64_t conv, long long activity);
/* Agent may take work now (connected): the oldest waiting go to them. */
void	workflow_drain(uint64_t agent);
/*
 * The same from a datagram, already on the db thread; previous: the agent
 * it was taken from (0: none), whose sockets leave its room.
 */
struct dbq_job *workflow_updated_job(struct db *db, long long conv,
	    long long previous, long long activity);
/* agent:availability {userId, availability} to every agent's sockets. */
struct dbq_job *workflow_availability_job(long long uid,
	    const char *availability);
/* metrics.c: GET /health and /metrics for operators (loopback only). */
#define METRICS_EVENTS_IN	7	/* sio.c's event table */
void	metrics_event_in(unsigned i);
void	metrics_event_out(const char *event, unsigned n);
void	metrics_error(enum api_code code);
void	metrics_session(int opened);
/* Answer uri if it is one of them (*handled); lws's return value. */
int	metrics_http(struct lws *wsi, const char *uri, int *handled);
/* sio.c: the name of client event i (for metrics). */
const char *sio_event_name(unsigned i);
/* eio_poll.c: a complete HTTP answer; -1 closes the connection. */
int	eio_http_reply(struct lws *wsi, unsigned status, const char *ctype,
	    const char *body, size_t len);

/* queue.c: queue:position to the users who wait. */
int	queue_init(void);
void	queue_free(void);
/* The queue may have moved: read it again (coalesced) and tell who moved. */
void	queue_touch(void);
/* A user's new socket hears their place, if they wait; an agent's the
 * queue's length. */
void	queue_connected(struct session *s);
/* ev_message.c: a datagram from the FastCGI side, on the db thread. */
int	ev_notify_datagram(struct db *db, json_object *o,
	    struct dbq_job **out);

/* A job whose done() only needs to find its session again. */
struct session_job {
	struct dbq_job		 job;
	uint64_t		 sid;		/* session id */
	long long		 ack;
	struct chat_user	 user;
	struct api_error	 err;
	int			 ok;
};

/* Fill the session part of a job for s and hand it to the db thread. */
void	session_job_submit(struct session_job *sj, struct session *s,
	    long long ack, void (*run)(struct dbq_job *, struct db *),
	    void (*done)(struct dbq_job *));

#endif
