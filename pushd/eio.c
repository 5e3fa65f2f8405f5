/*
 * eio.c - Engine.IO v4 sessions: their life, the per-session output queue,
 * heartbeats and the CONNECT deadline, the packets a client sends, and the
 * lws protocol that hands each connection to its transport (eio_poll.c for
 * HTTP long-polling, eio_ws.c for WebSocket).
 *
 * Both transports arrive on the same lws protocol (Socket.IO clients ask
 * for no subprotocol, so lws binds them to protocols[0]).  Each connection
 * carries a struct conn (eio.h).  Sessions are never freed inside a
 * callback: closed ones wait on a reap list that a zero-delay timer empties.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "codec.h"
#include "eio.h"
#include "jsonio.h"
#include "log.h"
#include "wheel.h"

#define MS(ms)		((lws_usec_t)(ms) * LWS_US_PER_MS)

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

/* --- heartbeat timers --------------------------------------------------------- */

/*
 * Every session has one timer on the wheel (wheel.h), at its next
 * deadline: the CONNECT deadline while it is OPEN, the next ping, or the
 * pong it waits for.  One lws_sul turns the wheel while timers are armed.
 * The tick is a tenth of the shortest configured period, between 10 and
 * 100 ms, so a timer is late by at most that.
 */
static struct wheel		hb;
static lws_sorted_usec_list_t	hb_sul;
static int			hb_armed;

static void
hb_turn(lws_sorted_usec_list_t *sul);

static void
hb_arm(void)
{
	lws_usec_t next, now;

	if (hb_armed || (next = wheel_next(&hb)) < 0)
		return;
	hb_armed = 1;
	now = lws_now_usecs();
	lws_sul_schedule(pd.ctx, 0, &hb_sul, hb_turn,
	    next > now ? next - now : 0);
}

static void
hb_turn(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	hb_armed = 0;
	wheel_turn(&hb, lws_now_usecs());
	hb_arm();
}

static void
hb_init(void)
{
	const struct config *c = &pd.cfg;
	long ms = c->pushd_ping_interval;

	if (c->pushd_ping_timeout < ms)
		ms = c->pushd_ping_timeout;
	if (c->pushd_connect_timeout < ms)
		ms = c->pushd_connect_timeout;
	ms /= 10;
	wheel_init(&hb, MS(ms < 10 ? 10 : ms > 100 ? 100 : ms));
}

static void eio_tick(lws_sorted_usec_list_t *sul);

/* Arm s's timer for its next deadline. */
static void
eio_timer(struct session *s)
{
	const struct config *c = &pd.cfg;
	lws_usec_t now = lws_now_usecs(), due;

	if (s->doomed != NULL)
		due = now;
	else {
		due = s->ping_sent + MS(s->pong_pending ?
		    c->pushd_ping_timeout : c->pushd_ping_interval);
		if (s->state == SESS_OPEN && s->connect_by < due)
			due = s->connect_by;
		if (s->deadline != 0 && s->deadline < due)
			due = s->deadline;
	}
	wheel_add(&hb, &s->sul_ping, eio_tick, due, now);
	hb_arm();
}

static void eio_send_text(struct session *s, const char *text);

void
eio_set_deadline(struct session *s, lws_usec_t usec)
{
	struct timespec ts;
	lws_usec_t real;

	s->deadline = 0;
	if (usec <= 0 || clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return;
	/* Wall-clock time to the loop's clock. */
	real = (lws_usec_t)ts.tv_sec * LWS_US_PER_SEC + ts.tv_nsec / 1000;
	s->deadline = lws_now_usecs() + (usec > real ? usec - real : 0);
	eio_timer(s);
}

/* Heartbeat: ping every interval; no pong within the timeout closes. */
static void
eio_tick(lws_sorted_usec_list_t *sul)
{
	struct session *s = lws_container_of(sul, struct session, sul_ping);
	const struct config *c = &pd.cfg;
	lws_usec_t now = lws_now_usecs();

	if (s->doomed != NULL) {
		eio_close(s, s->doomed);
		return;
	}
	if (s->state == SESS_OPEN && now >= s->connect_by) {
		eio_close(s, "no CONNECT in time");
		return;
	}
	if (s->deadline != 0 && now >= s->deadline) {
		s->deadline = 0;
		sio_expired(s);
		if (s->state == SESS_CLOSED)
			return;
	}
	if (s->pong_pending) {
		if (now >= s->ping_sent + MS(c->pushd_ping_timeout)) {
			eio_close(s, "ping timeout");
			return;
		}
	} else if (now >= s->ping_sent + MS(c->pushd_ping_interval)) {
		s->pong_pending = 1;
		s->ping_sent = now;
		eio_send_text(s, "2");
	}
	eio_timer(s);
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

struct session *
eio_find_sid(const char *sid, struct lws *wsi)
{
	unsigned long long id;
	struct session *s;
	char *end;

	id = strtoull(sid, &end, 10);
	if (end == sid || *end != '.' || (s = eio_find(id)) == NULL ||
	    strcmp(s->sid, sid) != 0 || s->state == SESS_CLOSED ||
	    addr_of(wsi) != s->addr)
		return NULL;
	return s;
}

struct session *
eio_new(const char *token, uint64_t addr, struct api_error *err)
{
	struct session *s;
	char rnd[32];

	if (addr_admit(addr, err) == -1)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		api_fail(err, API_UNAVAILABLE, "out of memory");
		return NULL;
	}
	s->id = ++pd.next_id;
	s->node.key = s->id;
	random_token(rnd, sizeof(rnd), 12);
	if ((size_t)snprintf(s->sid, sizeof(s->sid), "%llu.%s",
	    (unsigned long long)s->id, rnd) >= sizeof(s->sid)) {
		free(s);
		api_fail(err, API_INTERNAL, "session id too long");
		return NULL;
	}
	random_token(s->sio_sid, sizeof(s->sio_sid), 15);
	/*
	 * Kept only until CONNECT, and only if it could be ours: most clients
	 * send the token in CONNECT, and idle sessions should stay small.
	 */
	if ((token != NULL && strlen(token) <= TOKEN_MAX &&
	    (s->auth_token = strdup(token)) == NULL) || addr_add(s, addr) == -1) {
		free(s->auth_token);
		free(s);
		api_fail(err, API_UNAVAILABLE, "out of memory");
		return NULL;
	}
	hmap_put(&pd.sessions, &s->node);
	metrics_session(1);
	s->state = SESS_OPEN;
	/* Pings start at the open; CONNECT has its own deadline. */
	if (hb.tick == 0)
		hb_init();
	s->ping_sent = lws_now_usecs();
	s->connect_by = s->ping_sent + MS(pd.cfg.pushd_connect_timeout);
	eio_timer(s);
	return s;
}

char *
eio_open_packet(const struct session *s, int upgrades, size_t *len)
{
	return eio_encode_open(s->sid, upgrades, pd.cfg.pushd_ping_interval,
	    pd.cfg.pushd_ping_timeout, PUSHD_MAX_PAYLOAD, len);
}

static void
eio_reap(lws_sorted_usec_list_t *sul)
{
	struct session *s;

	(void)sul;
	while ((s = pd.reap) != NULL) {
		pd.reap = s->reap_next;
		free(s->auth_token);
		free(s->convs);
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

/* Cut the links between s and its connections; wake them to finish. */
static void
eio_detach(struct session *s)
{
	struct conn *c;

	if (s->ws != NULL) {
		c = lws_wsi_user(s->ws);
		c->s = NULL;
		c->closing = 1;
		lws_callback_on_writable(s->ws);
		s->ws = NULL;
	}
	if (s->get != NULL) {
		/* The held GET answers with a close packet, or a noop. */
		c = lws_wsi_user(s->get);
		c->s = NULL;
		c->noop_close = s->peer_closed;
		lws_callback_on_writable(s->get);
		s->get = NULL;
	}
}

void
eio_close(struct session *s, const char *why)
{
	if (s->state == SESS_CLOSED)
		return;
	log_debug("session %s closed: %s", s->sid, why);
	sio_on_close(s);
	addr_del(s);
	s->state = SESS_CLOSED;
	wheel_cancel(&hb, &s->sul_ping);
	lws_sul_schedule(pd.ctx, 0, &s->sul_typing, NULL,
	    LWS_SET_TIMER_USEC_CANCEL);
	eio_queue_clear(s);
	eio_detach(s);
	hmap_del(&pd.sessions, &s->node);
	metrics_session(0);
	s->reap_next = pd.reap;
	pd.reap = s;
	lws_sul_schedule(pd.ctx, 0, &pd.sul_reap, eio_reap, 1);
}

/* --- the output queue ------------------------------------------------------- */

/* Wake whichever transport can carry the queue now. */
static void
eio_wake(struct session *s)
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

	if (m == NULL || s->state == SESS_CLOSED || s->doomed != NULL)
		return;
	/*
	 * A reader that cannot keep up is dropped, never buffered forever.
	 * Not closed here: callers may be walking a fan-out list.
	 */
	if (s->qbytes + m->len > PUSHD_MAX_QUEUED ||
	    (e = malloc(sizeof(*e))) == NULL) {
		s->doomed = "output queue over its cap";
		eio_timer(s);
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
	eio_wake(s);
}

static void
eio_send_text(struct session *s, const char *text)
{
	struct pmsg *m = pmsg_new(text, strlen(text));

	eio_send(s, m);
	pmsg_unref(m);
}

/* --- packets in --------------------------------------------------------------- */

/* "2probe" on the WebSocket of a polling session: answer, release the GET. */
static void
eio_on_probe(struct session *s, struct lws *from_ws)
{
	struct conn *c = lws_wsi_user(from_ws);

	c->probe_reply = 1;
	lws_callback_on_writable(from_ws);
	/*
	 * Release the held GET - or the one in flight - so the client can
	 * pause polling and send the upgrade.
	 */
	s->noop_pending = 1;
	if (s->get != NULL)
		lws_callback_on_writable(s->get);
}

static void
eio_on_upgrade(struct session *s, struct lws *from_ws)
{
	if (from_ws == NULL || s->upgraded || s->ws != from_ws) {
		eio_close(s, "unexpected upgrade");
		return;
	}
	s->upgraded = 1;
	if (s->get != NULL) {
		s->noop_pending = 1;
		lws_callback_on_writable(s->get);
	}
	eio_wake(s);
}

void
eio_on_packet(struct session *s, struct lws *from_ws, const char *buf,
    size_t len)
{
	const char *payload;
	enum eio_type type;
	size_t plen;

	if (eio_decode(buf, len, &type, &payload, &plen) == -1) {
		eio_close(s, "bad Engine.IO packet");
		return;
	}
	switch (type) {
	case EIO_PING:
		/* Only the upgrade probe: in v4 clients never ping. */
		if (from_ws != NULL && !s->upgraded && plen == 5 &&
		    memcmp(payload, "probe", 5) == 0)
			eio_on_probe(s, from_ws);
		else
			eio_close(s, "client ping");
		break;
	case EIO_PONG:
		if (!s->pong_pending)
			break;
		/* The next ping one interval after the last, not the pong. */
		s->pong_pending = 0;
		eio_timer(s);
		break;
	case EIO_MESSAGE:
		sio_on_message(s, payload, plen);
		break;
	case EIO_UPGRADE:
		eio_on_upgrade(s, from_ws);
		break;
	case EIO_CLOSE:
		s->peer_closed = 1;
		eio_close(s, "client closed");
		break;
	case EIO_NOOP:
		break;
	default:
		eio_close(s, "unexpected Engine.IO packet");
		break;
	}
}

/* --- what both transports share -------------------------------------------- */

void
eio_on_binary(struct session *s)
{
	/* Attachments of a refused binary packet are dropped. */
	if (s->discard_binary > 0)
		s->discard_binary--;
	else
		eio_close(s, "binary frame");
}

/*
 * For clients that cannot send the CONNECT auth payload: a token in the
 * handshake's query or an Authorization header.  NULL if neither.
 */
const char *
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

int
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

void
eio_rx_reset(struct conn *c)
{
	free(c->rx);
	c->rx = NULL;
	c->rxlen = 0;
	c->rxcap = 0;
}

/* --- the protocol ------------------------------------------------------------ */

static int
eio_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct conn *c = user;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		return eio_poll_http(wsi, c, in);
	case LWS_CALLBACK_HTTP_BODY:
		return eio_poll_body(wsi, c, in, len);
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		return eio_poll_body_done(wsi, c);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return eio_poll_writable(wsi, c);
	case LWS_CALLBACK_CLOSED_HTTP:
		eio_poll_closed(wsi, c);
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
