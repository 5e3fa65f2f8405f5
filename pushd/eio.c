/*
 * eio.c - Engine.IO v4: sessions over HTTP long-polling and WebSocket, the
 * upgrade between them, heartbeats, and the per-session output queue.
 *
 * Both transports arrive on the same lws protocol (Socket.IO clients ask
 * for no subprotocol, so lws binds them to protocols[0]).  Each connection
 * carries a struct conn; a session points back at its WebSocket and at a
 * held GET, and those links are cut on both sides whenever either goes, so
 * no pointer outlives what it names.  A POST names its session by id.
 * Sessions are never freed inside a callback: closed ones wait on a reap
 * list that a zero-delay timer empties.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "codec.h"
#include "jsonio.h"
#include "log.h"
#include "pushd.h"

/*
 * lws_get_urlarg_by_name() copies every query argument into the buffer
 * while it looks: one longer than the buffer (a token) hides the ones after
 * it.  So every lookup gets room for the longest argument we accept.
 */
#define EIO_ARG_MAX	(TOKEN_MAX + 64)

enum conn_kind { CONN_NONE, CONN_GET, CONN_POST, CONN_WS };

struct conn {
	enum conn_kind	 kind;
	struct session	*s;		/* GET and WS: the session, or NULL */
	uint64_t	 sess_id;	/* POST */
	int		 closing;	/* WS: close at the next writable */
	int		 probe_reply;	/* WS: "3probe" owed */
	char		*rx;		/* WS message or POST body */
	size_t		 rxlen;
	size_t		 rxcap;		/* bytes allocated at rx */
	int		 rx_binary;
};

/* --- pmsg ---------------------------------------------------------------- */

struct pmsg *
pmsg_new(const char *text, size_t len)
{
	struct pmsg *m;

	if ((m = malloc(sizeof(*m) + LWS_PRE + len + 1)) == NULL)
		return NULL;
	m->refs = 1;
	m->len = len;
	memcpy(PMSG_TEXT(m), text, len);
	PMSG_TEXT(m)[len] = '\0';
	return m;
}

struct pmsg *
pmsg_take(char *text, size_t len)
{
	struct pmsg *m;

	if (text == NULL)
		return NULL;
	m = pmsg_new(text, len);
	free(text);
	return m;
}

void
pmsg_unref(struct pmsg *m)
{
	if (m != NULL && --m->refs == 0)
		free(m);
}

/* --- HTTP answers ----------------------------------------------------------- */

/* A complete response; -1 means "close the connection". */
static int
http_reply(struct lws *wsi, unsigned status, const char *ctype,
    const char *body, size_t len)
{
	unsigned char hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *p = start,
	    *end = hdr + sizeof(hdr) - 1, *buf;
	int n;

	if (lws_add_http_common_headers(wsi, status, ctype, len, &p, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)
	    "cache-control:", (const unsigned char *)"no-store", 8, &p, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)
	    "x-content-type-options:", (const unsigned char *)"nosniff", 7,
	    &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	if ((buf = malloc(LWS_PRE + len + 1)) == NULL)
		return -1;
	memcpy(buf + LWS_PRE, body, len);
	n = lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_HTTP_FINAL);
	free(buf);
	if (n < (int)len)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* 400 with the Engine.IO error body {"code":N,"message":"..."}. */
static int
http_eio_error(struct lws *wsi, int code, const char *message)
{
	json_object *o = json_object_new_object();
	const char *text;
	size_t len;
	int rc;

	json_object_object_add(o, "code", json_object_new_int(code));
	json_object_object_add(o, "message", json_object_new_string(message));
	text = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN,
	    &len);
	rc = http_reply(wsi, HTTP_STATUS_BAD_REQUEST, "application/json",
	    text, len);
	json_object_put(o);
	return rc;
}

/* --- sessions --------------------------------------------------------------- */

static void
random_token(char *out, size_t outsz, size_t bytes)
{
	unsigned char raw[16];

	if (bytes > sizeof(raw))
		bytes = sizeof(raw);
	randombytes_buf(raw, bytes);
	sodium_bin2base64(out, outsz, raw, bytes,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

struct session *
eio_find(uint64_t id)
{
	struct hmap_node *n = hmap_get(&pd.sessions, id);

	return n != NULL ? HMAP_ENTRY(n, struct session, node) : NULL;
}

/* The session a sid names: "<id>.<random>"; NULL if none or closed. */
static struct session *
eio_find_sid(const char *sid)
{
	unsigned long long id;
	struct session *s;
	char *end;

	id = strtoull(sid, &end, 10);
	if (end == sid || *end != '.' || (s = eio_find(id)) == NULL ||
	    strcmp(s->sid, sid) != 0 || s->state == SESS_CLOSED)
		return NULL;
	return s;
}

/* --- heartbeat timers -------------------------------------------------------- */

/*
 * lws keeps its timers (lws_sul) in one sorted list and inserts by walking
 * it from the head, so with a heartbeat timer per session every ping and
 * pong cost O(sessions): half of pushd's CPU with 7k idle sockets.  The
 * heartbeat timers live on a timing wheel instead, in the same sul_ping
 * field: one slot per tick, O(1) to arm, to cancel (lws_sul_cancel only
 * unlinks, whichever list it is on) and to fire.  One lws_sul turns the
 * wheel while sessions exist.  A timer is late by at most one tick, never
 * early; "now" (a doomed session) still goes to lws's list, at its head.
 */
#define WHEEL_TICK_US	(100 * LWS_US_PER_MS)
#define WHEEL_SLOTS	512		/* a power of two; 51.2 s of ticks */

static lws_dll2_owner_t		wheel[WHEEL_SLOTS];
static int64_t			wheel_done = -1;	/* last tick run */
static lws_sorted_usec_list_t	wheel_sul;
static int			wheel_armed;

static void wheel_turn(lws_sorted_usec_list_t *sul);

static void
wheel_arm(void)
{
	lws_usec_t now;

	if (wheel_armed)
		return;
	wheel_armed = 1;
	now = lws_now_usecs();
	lws_sul_schedule(pd.ctx, 0, &wheel_sul, wheel_turn,
	    (now / WHEEL_TICK_US + 1) * WHEEL_TICK_US - now);
}

static void
wheel_add(lws_sorted_usec_list_t *sul, sul_cb_t cb, lws_usec_t delay)
{
	lws_usec_t now = lws_now_usecs();
	int64_t tick;

	if (wheel_done < 0)
		wheel_done = now / WHEEL_TICK_US;
	sul->cb = cb;
	sul->us = now + delay;
	/* Rounded up, and never into a slot this turn has already run. */
	tick = (sul->us + WHEEL_TICK_US - 1) / WHEEL_TICK_US;
	if (tick <= wheel_done)
		tick = wheel_done + 1;
	lws_dll2_remove(&sul->list);
	lws_dll2_add_tail(&sul->list, &wheel[tick & (WHEEL_SLOTS - 1)]);
	wheel_arm();
}

/* Fire what is due in one slot; later turns' timers stay in it. */
static void
wheel_run(lws_dll2_owner_t *slot, lws_usec_t now)
{
	lws_dll2_owner_t later;
	lws_sorted_usec_list_t *sul;
	lws_dll2_t *d;

	memset(&later, 0, sizeof(later));
	/* A callback may cancel or move any timer: always take the head. */
	while ((d = lws_dll2_get_head(slot)) != NULL) {
		sul = lws_container_of(d, lws_sorted_usec_list_t, list);
		lws_dll2_remove(d);
		if (sul->us > now) {
			lws_dll2_add_tail(d, &later);
			continue;
		}
		sul->us = 0;
		sul->cb(sul);
	}
	while ((d = lws_dll2_get_head(&later)) != NULL) {
		lws_dll2_remove(d);
		lws_dll2_add_tail(d, slot);
	}
}

static void
wheel_turn(lws_sorted_usec_list_t *sul)
{
	lws_usec_t now = lws_now_usecs();
	int64_t tick = now / WHEEL_TICK_US;

	(void)sul;
	wheel_armed = 0;
	/* After a stall, one turn visits every slot. */
	if (tick - wheel_done > WHEEL_SLOTS)
		wheel_done = tick - WHEEL_SLOTS;
	while (wheel_done < tick) {
		wheel_done++;
		wheel_run(&wheel[wheel_done & (WHEEL_SLOTS - 1)], now);
	}
	/* Every open session has its heartbeat timer armed. */
	if (pd.sessions.n > 0)
		wheel_arm();
}

static void eio_ping(lws_sorted_usec_list_t *sul);

static void
eio_timer(struct session *s, long ms)
{
	if (s->doomed != NULL || ms <= 0) {
		lws_sul_schedule(pd.ctx, 0, &s->sul_ping, eio_ping, 0);
		return;
	}
	wheel_add(&s->sul_ping, eio_ping, (lws_usec_t)ms * LWS_US_PER_MS);
}

static struct session *
eio_new(const char *token)
{
	struct session *s;
	char rnd[32];

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->id = ++pd.next_id;
	s->node.key = s->id;
	random_token(rnd, sizeof(rnd), 12);
	if ((size_t)snprintf(s->sid, sizeof(s->sid), "%llu.%s",
	    (unsigned long long)s->id, rnd) >= sizeof(s->sid)) {
		free(s);
		return NULL;
	}
	random_token(s->sio_sid, sizeof(s->sio_sid), 15);
	/*
	 * Kept only until CONNECT, and only if it could be ours: most clients
	 * send the token in CONNECT, and idle sessions should stay small.
	 */
	if (token != NULL && strlen(token) <= TOKEN_MAX &&
	    (s->auth_token = strdup(token)) == NULL) {
		free(s);
		return NULL;
	}
	hmap_put(&pd.sessions, &s->node);
	s->state = SESS_OPEN;
	/* Until CONNECT arrives the timer is the connect grace period. */
	eio_timer(s, PUSHD_CONNECT_GRACE_MS);
	return s;
}

static void
eio_reap(lws_sorted_usec_list_t *sul)
{
	struct session *s;

	(void)sul;
	while ((s = pd.reap) != NULL) {
		pd.reap = s->reap_next;
		free(s->auth_token);
		free(s);
	}
}

static void
eio_queue_clear(struct session *s)
{
	struct qent *e;

	while ((e = s->qh) != NULL) {
		s->qh = e->next;
		pmsg_unref(e->m);
		free(e);
	}
	s->qt = NULL;
	s->qbytes = 0;
}

void
eio_close(struct session *s, const char *why)
{
	struct conn *c;

	if (s->state == SESS_CLOSED)
		return;
	log_debug("session %s closed: %s", s->sid, why);
	sio_on_close(s);
	s->state = SESS_CLOSED;
	lws_sul_schedule(pd.ctx, 0, &s->sul_ping, NULL,
	    LWS_SET_TIMER_USEC_CANCEL);
	lws_sul_schedule(pd.ctx, 0, &s->sul_typing, NULL,
	    LWS_SET_TIMER_USEC_CANCEL);
	eio_queue_clear(s);
	if (s->ws != NULL) {
		c = lws_wsi_user(s->ws);
		c->s = NULL;
		c->closing = 1;
		lws_callback_on_writable(s->ws);
		s->ws = NULL;
	}
	if (s->get != NULL) {
		/* The held GET answers with a close packet. */
		c = lws_wsi_user(s->get);
		c->s = NULL;
		lws_callback_on_writable(s->get);
		s->get = NULL;
	}
	hmap_del(&pd.sessions, &s->node);
	s->reap_next = pd.reap;
	pd.reap = s;
	lws_sul_schedule(pd.ctx, 0, &pd.sul_reap, eio_reap, 1);
}

/* Wake whichever transport can carry the queue now. */
static void
eio_kick(struct session *s)
{
	if (s->upgraded && s->ws != NULL)
		lws_callback_on_writable(s->ws);
	else if (!s->upgraded && s->get != NULL)
		lws_callback_on_writable(s->get);
}

void
eio_send(struct session *s, struct pmsg *m)
{
	struct qent *e;

	if (m == NULL || s->state == SESS_CLOSED)
		return;
	if (s->doomed != NULL)
		return;
	/*
	 * A reader that cannot keep up is dropped, never buffered forever.
	 * Not closed here: callers may be walking a fan-out list.
	 */
	if (s->qbytes + m->len > PUSHD_MAX_QUEUED ||
	    (e = malloc(sizeof(*e))) == NULL) {
		s->doomed = "output queue over its cap";
		eio_timer(s, 0);
		return;
	}
	m->refs++;
	e->m = m;
	e->next = NULL;
	if (s->qt != NULL)
		s->qt->next = e;
	else
		s->qh = e;
	s->qt = e;
	s->qbytes += m->len;
	eio_kick(s);
}

static void
eio_send_text(struct session *s, const char *text)
{
	struct pmsg *m = pmsg_new(text, strlen(text));

	eio_send(s, m);
	pmsg_unref(m);
}

/* Heartbeat: ping every interval; no pong within the timeout closes. */
static void
eio_ping(lws_sorted_usec_list_t *sul)
{
	struct session *s = lws_container_of(sul, struct session, sul_ping);

	if (s->doomed != NULL) {
		eio_close(s, s->doomed);
		return;
	}
	if (s->state == SESS_OPEN) {
		eio_close(s, "no CONNECT in time");
		return;
	}
	if (s->pong_pending) {
		eio_close(s, "ping timeout");
		return;
	}
	s->pong_pending = 1;
	s->ping_sent = lws_now_usecs();
	eio_send_text(s, "2");
	eio_timer(s, PUSHD_PING_TIMEOUT_MS);
}

/* Called when the Socket.IO layer has accepted CONNECT. */
static void
eio_start_heartbeat(struct session *s)
{
	eio_timer(s, PUSHD_PING_INTERVAL_MS);
}

/* --- packets in --------------------------------------------------------------- */

static void
eio_on_packet(struct session *s, struct lws *from_ws, const char *buf,
    size_t len)
{
	const char *payload;
	enum eio_type type;
	size_t plen;
	struct conn *c;
	enum sess_state before = s->state;
	long waited;

	if (eio_decode(buf, len, &type, &payload, &plen) == -1) {
		eio_close(s, "bad Engine.IO packet");
		return;
	}
	switch (type) {
	case EIO_PING:
		/* Only the upgrade probe: in v4 clients never ping. */
		if (from_ws != NULL && !s->upgraded && plen == 5 &&
		    memcmp(payload, "probe", 5) == 0) {
			c = lws_wsi_user(from_ws);
			c->probe_reply = 1;
			lws_callback_on_writable(from_ws);
			/*
			 * Release the held GET - or the one in flight - so the
			 * client can pause polling and send the upgrade.
			 */
			s->noop_pending = 1;
			if (s->get != NULL)
				lws_callback_on_writable(s->get);
		} else
			eio_close(s, "client ping");
		break;
	case EIO_PONG:
		if (!s->pong_pending)
			break;
		s->pong_pending = 0;
		/* The next ping one interval after the last, not after the pong. */
		waited = (long)((lws_now_usecs() - s->ping_sent) / LWS_US_PER_MS);
		eio_timer(s, waited < PUSHD_PING_INTERVAL_MS ?
		    PUSHD_PING_INTERVAL_MS - waited : 0);
		break;
	case EIO_MESSAGE:
		sio_on_message(s, payload, plen);
		if (before == SESS_OPEN && s->state != SESS_OPEN &&
		    s->state != SESS_CLOSED)
			eio_start_heartbeat(s);
		break;
	case EIO_UPGRADE:
		if (from_ws == NULL || s->upgraded || s->ws != from_ws) {
			eio_close(s, "unexpected upgrade");
			break;
		}
		s->upgraded = 1;
		if (s->get != NULL) {
			s->noop_pending = 1;
			lws_callback_on_writable(s->get);
		}
		eio_kick(s);
		break;
	case EIO_CLOSE:
		eio_close(s, "client closed");
		break;
	case EIO_NOOP:
		break;
	default:
		eio_close(s, "unexpected Engine.IO packet");
		break;
	}
}

/* --- polling ------------------------------------------------------------------ */

/* Answer a held GET with what is queued (or a noop / close packet). */
static int
eio_poll_flush(struct lws *wsi, struct conn *c)
{
	struct session *s = c->s;
	struct qent *e;
	char *body;
	size_t len = 0, cap = 0;
	int rc;

	if (s == NULL)
		return http_reply(wsi, HTTP_STATUS_OK, "text/plain; charset=UTF-8",
		    "1", 1);
	if (s->noop_pending || s->upgraded) {
		s->noop_pending = 0;
		s->get = NULL;
		c->s = NULL;
		return http_reply(wsi, HTTP_STATUS_OK,
		    "text/plain; charset=UTF-8", "6", 1);
	}
	if (s->qh == NULL)
		return 0;	/* spurious wake: keep holding */
	for (e = s->qh; e != NULL && (cap == 0 || cap + e->m->len + 1 <=
	    PUSHD_MAX_PAYLOAD); e = e->next)
		cap += e->m->len + 1;
	if ((body = malloc(cap)) == NULL)
		return -1;
	while ((e = s->qh) != NULL && len + e->m->len + (len ? 1 : 0) <= cap) {
		if (len > 0)
			body[len++] = 0x1e;
		memcpy(body + len, PMSG_TEXT(e->m), e->m->len);
		len += e->m->len;
		s->qbytes -= e->m->len;
		s->qh = e->next;
		if (s->qh == NULL)
			s->qt = NULL;
		pmsg_unref(e->m);
		free(e);
	}
	s->get = NULL;
	c->s = NULL;
	rc = http_reply(wsi, HTTP_STATUS_OK, "text/plain; charset=UTF-8", body,
	    len);
	free(body);
	return rc;
}

/*
 * For clients that cannot send the CONNECT auth payload: a token in the
 * handshake's query or an Authorization header.  NULL if neither.
 */
static const char *
eio_handshake_token(struct lws *wsi, char *buf, size_t bufsz)
{
	const char *t;

	if ((t = lws_get_urlarg_by_name(wsi, "token=", buf, (int)bufsz)) !=
	    NULL)
		return t;
	if (lws_hdr_copy(wsi, buf, (int)bufsz, WSI_TOKEN_HTTP_AUTHORIZATION) >
	    7 && strncasecmp(buf, "Bearer ", 7) == 0)
		return buf + 7;
	return NULL;
}

/* GET/POST on /socket.io/: a handshake, a poll or packets. */
static int
eio_http(struct lws *wsi, struct conn *c, const char *uri)
{
	char arg[EIO_ARG_MAX], tok[TOKEN_MAX + 16];
	const char *v;
	struct session *s;
	char *open;
	size_t len;
	int post, rc;

	if (strcmp(uri, "/socket.io/") != 0 && strcmp(uri, "/socket.io") != 0)
		return http_reply(wsi, HTTP_STATUS_NOT_FOUND,
		    "text/plain; charset=UTF-8", "not found", 9);
	v = lws_get_urlarg_by_name(wsi, "EIO=", arg, sizeof(arg));
	if (v == NULL || strcmp(v, "4") != 0)
		return http_eio_error(wsi, 5, "Unsupported protocol version");
	v = lws_get_urlarg_by_name(wsi, "transport=", arg, sizeof(arg));
	if (v == NULL || strcmp(v, "polling") != 0)
		return http_eio_error(wsi, 0, "Transport unknown");
	post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;
	v = lws_get_urlarg_by_name(wsi, "sid=", arg, sizeof(arg));
	if (v == NULL) {
		if (post)
			return http_eio_error(wsi, 1, "Session ID unknown");
		if ((s = eio_new(eio_handshake_token(wsi, tok,
		    sizeof(tok)))) == NULL)
			return -1;
		open = eio_encode_open(s->sid, 1, PUSHD_PING_INTERVAL_MS,
		    PUSHD_PING_TIMEOUT_MS, PUSHD_MAX_PAYLOAD, &len);
		if (open == NULL)
			return -1;
		rc = http_reply(wsi, HTTP_STATUS_OK,
		    "text/plain; charset=UTF-8", open, len);
		free(open);
		return rc;
	}
	if ((s = eio_find_sid(v)) == NULL)
		return http_eio_error(wsi, 1, "Session ID unknown");
	if (post) {
		c->kind = CONN_POST;
		c->sess_id = s->id;
		return 0;	/* the body follows */
	}
	if (s->get != NULL) {
		eio_close(s, "two polls at once");
		return http_eio_error(wsi, 3, "Bad request");
	}
	c->kind = CONN_GET;
	c->s = s;
	s->get = wsi;
	/* The heartbeat, not lws, decides how long a poll may be held. */
	lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
	if (s->qh != NULL || s->upgraded || s->noop_pending)
		lws_callback_on_writable(wsi);
	return 0;
}

static int
eio_rx_append(struct conn *c, const void *in, size_t len)
{
	size_t need, cap;
	char *p;

	if (c->rxlen + len > PUSHD_MAX_PAYLOAD)
		return -1;
	need = c->rxlen + len + 1;
	if (need > c->rxcap) {
		/*
		 * A long message arrives in rx_buffer_size pieces: doubling
		 * keeps the copies linear in its length.
		 */
		cap = c->rxcap * 2 > need ? c->rxcap * 2 : need;
		if (cap > PUSHD_MAX_PAYLOAD + 1)
			cap = PUSHD_MAX_PAYLOAD + 1;
		if ((p = realloc(c->rx, cap)) == NULL)
			return -1;
		c->rx = p;
		c->rxcap = cap;
	}
	memcpy(c->rx + c->rxlen, in, len);
	c->rxlen += len;
	c->rx[c->rxlen] = '\0';
	return 0;
}

static void
eio_rx_reset(struct conn *c)
{
	free(c->rx);
	c->rx = NULL;
	c->rxlen = 0;
	c->rxcap = 0;
}

static int
eio_post_done(struct lws *wsi, struct conn *c)
{
	struct session *s = eio_find(c->sess_id);
	const char *pkt;
	size_t off = 0, plen;
	int r;

	if (s == NULL || s->state == SESS_CLOSED) {
		eio_rx_reset(c);
		return http_eio_error(wsi, 1, "Session ID unknown");
	}
	while ((r = eio_payload_next(c->rx ? c->rx : "", c->rxlen, &off, &pkt,
	    &plen)) == 1 && s->state != SESS_CLOSED)
		eio_on_packet(s, NULL, pkt, plen);
	if (r == -1)
		eio_close(s, "bad polling payload");
	eio_rx_reset(c);
	return http_reply(wsi, HTTP_STATUS_OK, "text/html", "ok", 2);
}

/* --- WebSocket ------------------------------------------------------------------ */

/* Refuse a bad upgrade before it happens (lws answers 403/400). */
static int
eio_ws_filter(struct lws *wsi)
{
	char arg[EIO_ARG_MAX];
	const char *v;
	struct session *s;

	v = lws_get_urlarg_by_name(wsi, "EIO=", arg, sizeof(arg));
	if (v == NULL || strcmp(v, "4") != 0)
		return -1;
	/* Dart's native client says polling on what is a WebSocket. */
	v = lws_get_urlarg_by_name(wsi, "transport=", arg, sizeof(arg));
	if (v == NULL || (strcmp(v, "websocket") != 0 &&
	    strcmp(v, "polling") != 0))
		return -1;
	v = lws_get_urlarg_by_name(wsi, "sid=", arg, sizeof(arg));
	if (v != NULL && ((s = eio_find_sid(v)) == NULL || s->upgraded ||
	    s->ws != NULL))
		return -1;
	return 0;
}

static int
eio_ws_open(struct lws *wsi, struct conn *c)
{
	char arg[EIO_ARG_MAX], tok[TOKEN_MAX + 16];
	const char *v;
	struct session *s;
	char *open;
	size_t len;
	struct pmsg *m;

	c->kind = CONN_WS;
	v = lws_get_urlarg_by_name(wsi, "sid=", arg, sizeof(arg));
	if (v != NULL) {
		/* An upgrade probe for a polling session. */
		if ((s = eio_find_sid(v)) == NULL || s->ws != NULL)
			return -1;
		s->ws = wsi;
		c->s = s;
		return 0;
	}
	if ((s = eio_new(eio_handshake_token(wsi, tok, sizeof(tok)))) == NULL)
		return -1;
	s->ws = wsi;
	s->upgraded = 1;
	c->s = s;
	open = eio_encode_open(s->sid, 0, PUSHD_PING_INTERVAL_MS,
	    PUSHD_PING_TIMEOUT_MS, PUSHD_MAX_PAYLOAD, &len);
	if ((m = pmsg_take(open, len)) == NULL)
		return -1;
	eio_send(s, m);
	pmsg_unref(m);
	return 0;
}

static int
eio_ws_receive(struct lws *wsi, struct conn *c, const void *in, size_t len)
{
	struct session *s = c->s;

	if (s == NULL)
		return -1;
	if (c->rxlen == 0)
		c->rx_binary = lws_frame_is_binary(wsi);
	if (eio_rx_append(c, in, len) == -1) {
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
		    NULL, 0);
		eio_close(s, "message over maxPayload");
		return -1;
	}
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return 0;
	if (c->rx_binary) {
		/* Attachments of a refused binary packet are dropped. */
		if (s->discard_binary > 0)
			s->discard_binary--;
		else
			eio_close(s, "binary frame");
	} else if (!utf8_valid(c->rx, c->rxlen))
		eio_close(s, "invalid UTF-8");
	else
		eio_on_packet(s, wsi, c->rx, c->rxlen);
	eio_rx_reset(c);
	/* Closed while handling it: eio_close cut c->s. */
	return c->s == NULL ? -1 : 0;
}

static int
eio_ws_writable(struct lws *wsi, struct conn *c)
{
	struct session *s = c->s;
	struct qent *e;
	unsigned char probe[LWS_PRE + 8];

	if (c->closing || s == NULL)
		return -1;
	if (c->probe_reply) {
		c->probe_reply = 0;
		memcpy(probe + LWS_PRE, "3probe", 6);
		if (lws_write(wsi, probe + LWS_PRE, 6, LWS_WRITE_TEXT) < 6)
			return -1;
		if (s->upgraded && s->qh != NULL)
			lws_callback_on_writable(wsi);
		return 0;
	}
	if (!s->upgraded || (e = s->qh) == NULL)
		return 0;
	s->qh = e->next;
	if (s->qh == NULL)
		s->qt = NULL;
	s->qbytes -= e->m->len;
	if (lws_write(wsi, PMSG_TEXT(e->m), e->m->len, LWS_WRITE_TEXT) <
	    (int)e->m->len) {
		pmsg_unref(e->m);
		free(e);
		return -1;
	}
	pmsg_unref(e->m);
	free(e);
	if (s->qh != NULL)
		lws_callback_on_writable(wsi);
	return 0;
}

static void
eio_ws_closed(struct conn *c)
{
	struct session *s = c->s;

	eio_rx_reset(c);
	if (s == NULL)
		return;
	c->s = NULL;
	s->ws = NULL;
	/* A failed probe leaves the polling session alone. */
	if (s->upgraded)
		eio_close(s, "transport close");
}

/* --- the protocol ------------------------------------------------------------ */

static int
eio_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn *c = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return eio_http(wsi, c, in);
	case LWS_CALLBACK_HTTP_BODY:
		if (c->kind != CONN_POST || eio_rx_append(c, in, len) == -1) {
			eio_rx_reset(c);
			(void)http_reply(wsi, HTTP_STATUS_REQ_ENTITY_TOO_LARGE,
			    "text/plain; charset=UTF-8", "too large", 9);
			return -1;
		}
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (c->kind != CONN_POST)
			return -1;
		return eio_post_done(wsi, c);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (c->kind != CONN_GET)
			return 0;
		return eio_poll_flush(wsi, c);
	case LWS_CALLBACK_CLOSED_HTTP:
		if (c != NULL) {
			if (c->kind == CONN_GET && c->s != NULL &&
			    c->s->get == wsi)
				c->s->get = NULL;
			c->s = NULL;
			eio_rx_reset(c);
		}
		return 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		return eio_ws_filter(wsi);
	case LWS_CALLBACK_ESTABLISHED:
		return eio_ws_open(wsi, c);
	case LWS_CALLBACK_RECEIVE:
		return eio_ws_receive(wsi, c, in, len);
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return eio_ws_writable(wsi, c);
	case LWS_CALLBACK_CLOSED:
		eio_ws_closed(c);
		return 0;
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		if (pd.dbq != NULL)
			dbq_drain(pd.dbq);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/*
 * lws allocates rx_buffer_size for every WebSocket and keeps it while the
 * socket lives; it is also the size of the pieces a message is handed over
 * in.  512 bytes hold a typical event whole and cost 512 bytes an idle
 * socket, where 64 KiB cost 4-8 KB of touched pages.  Writes stay up to
 * 64 KiB a call (tx_packet_size).
 */
const struct lws_protocols eio_protocol = {
	"engine.io", eio_callback, sizeof(struct conn), 512, 0, NULL, 65536
};
