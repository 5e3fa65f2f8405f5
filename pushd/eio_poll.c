/*
 * eio_poll.c - Engine.IO's HTTP long-polling transport: the handshake, the
 * held GET that carries the session's output, and the POSTs that carry its
 * input.
 *
 * A GET names its session and is held (c->s, s->get) until something is
 * queued, the upgrade releases it with a noop, or the session closes (a
 * close packet; a noop when the client itself closed).  A POST names its
 * session by id only, so a session that goes while the body arrives leaves
 * nothing dangling.  Requests that the reference server refuses are
 * refused the same way: 400 with {"code", "message"}.
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "eio.h"
#include "log.h"

/* Engine.IO's error codes (the reference server's Server.errors). */
enum {
	EIO_ERR_TRANSPORT = 0,		/* Transport unknown */
	EIO_ERR_SID = 1,		/* Session ID unknown */
	EIO_ERR_METHOD = 2,		/* Bad handshake method */
	EIO_ERR_REQUEST = 3,		/* Bad request */
	EIO_ERR_VERSION = 5		/* Unsupported protocol version */
};

/* --- HTTP answers ----------------------------------------------------------- */

/* A complete response; -1 means "close the connection". */
int
eio_http_reply(struct lws *wsi, unsigned status, const char *ctype,
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

static int
http_text(struct lws *wsi, unsigned status, const char *text)
{
	return eio_http_reply(wsi, status, "text/plain; charset=UTF-8", text,
	    strlen(text));
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
	rc = eio_http_reply(wsi, HTTP_STATUS_BAD_REQUEST, "application/json",
	    text, len);
	json_object_put(o);
	return rc;
}

/* --- the held GET -------------------------------------------------------------- */

/* Take queued packets, joined by the record separator, up to maxPayload. */
static char *
poll_take(struct session *s, size_t *lenp)
{
	struct qent *e;
	size_t len = 0, cap = 0;
	char *body;

	for (e = s->qh; e != NULL && (cap == 0 || cap + e->m->len + 1 <=
	    PUSHD_MAX_PAYLOAD); e = e->next)
		cap += e->m->len + 1;
	if ((body = malloc(cap)) == NULL)
		return NULL;
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
	*lenp = len;
	return body;
}

/* Answer a held GET with what is queued (or a noop / close packet). */
int
eio_poll_writable(struct lws *wsi, struct conn *c)
{
	struct session *s = c->s;
	size_t len;
	char *body;
	int rc;

	if (c->kind != CONN_GET)
		return 0;
	if (s == NULL)
		/* Closed: by the client (noop, as the reference does) or us. */
		return http_text(wsi, HTTP_STATUS_OK, c->noop_close ? "6" : "1");
	if (s->noop_pending || s->upgraded) {
		s->noop_pending = 0;
		s->get = NULL;
		c->s = NULL;
		return http_text(wsi, HTTP_STATUS_OK, "6");
	}
	if (s->qh == NULL)
		return 0;	/* spurious wake: keep holding */
	if ((body = poll_take(s, &len)) == NULL)
		return -1;
	s->get = NULL;
	c->s = NULL;
	rc = eio_http_reply(wsi, HTTP_STATUS_OK, "text/plain; charset=UTF-8", body,
	    len);
	free(body);
	return rc;
}

static int
poll_hold(struct lws *wsi, struct conn *c, struct session *s)
{
	if (s->get != NULL) {
		eio_close(s, "two polls at once");
		return http_eio_error(wsi, EIO_ERR_REQUEST, "Bad request");
	}
	c->kind = CONN_GET;
	c->s = s;
	s->get = wsi;
	/* The heartbeat, not lws, decides how long a poll may be held. */
	lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
	if (s->qh != NULL || s->noop_pending)
		lws_callback_on_writable(wsi);
	return 0;
}

/* --- requests ------------------------------------------------------------------ */

/* A refused handshake (a cap, or no memory): its status, as JSON. */
static int
http_refuse(struct lws *wsi, const struct api_error *err)
{
	json_object *o = json_object_new_object();
	const char *text;
	size_t len;
	int rc;

	json_object_object_add(o, "code", json_object_new_int(
	    EIO_ERR_REQUEST));
	json_object_object_add(o, "message",
	    json_object_new_string(err->message));
	text = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN,
	    &len);
	rc = eio_http_reply(wsi, (unsigned)api_status(err->code),
	    "application/json", text, len);
	json_object_put(o);
	return rc;
}

static int
poll_handshake(struct lws *wsi, int method)
{
	char tok[TOKEN_MAX + 16];
	struct api_error err;
	struct session *s;
	size_t len;
	char *open;
	int rc;

	if (method != LWSHUMETH_GET)
		return http_eio_error(wsi, EIO_ERR_METHOD,
		    "Bad handshake method");
	if ((s = eio_new(eio_handshake_token(wsi, tok, sizeof(tok)),
	    addr_of(wsi), &err)) == NULL)
		return http_refuse(wsi, &err);
	if ((open = eio_open_packet(s, 1, &len)) == NULL)
		return -1;
	rc = eio_http_reply(wsi, HTTP_STATUS_OK, "text/plain; charset=UTF-8", open,
	    len);
	free(open);
	return rc;
}

/* GET/POST on /socket.io/: a handshake, a poll or packets. */
int
eio_poll_http(struct lws *wsi, struct conn *c, const char *uri)
{
	char arg[EIO_ARG_MAX], *u;
	const char *v;
	struct session *s;
	int method, ulen, r, handled;

	if ((r = metrics_http(wsi, uri, &handled)) != 0 || handled)
		return r;
	if (strcmp(uri, "/socket.io/") != 0 && strcmp(uri, "/socket.io") != 0)
		return http_text(wsi, HTTP_STATUS_NOT_FOUND, "not found");
	method = lws_http_get_uri_and_method(wsi, &u, &ulen);
	v = lws_get_urlarg_by_name(wsi, "EIO=", arg, sizeof(arg));
	if (v == NULL || strcmp(v, "4") != 0)
		return http_eio_error(wsi, EIO_ERR_VERSION,
		    "Unsupported protocol version");
	v = lws_get_urlarg_by_name(wsi, "transport=", arg, sizeof(arg));
	if (v == NULL || strcmp(v, "polling") != 0)
		return http_eio_error(wsi, EIO_ERR_TRANSPORT,
		    "Transport unknown");
	if ((v = lws_get_urlarg_by_name(wsi, "sid=", arg, sizeof(arg))) ==
	    NULL)
		return poll_handshake(wsi, method);
	if ((s = eio_find_sid(v, wsi)) == NULL)
		return http_eio_error(wsi, EIO_ERR_SID, "Session ID unknown");
	/* After the upgrade the session speaks WebSocket only. */
	if (s->upgraded ||
	    (method != LWSHUMETH_GET && method != LWSHUMETH_POST))
		return http_eio_error(wsi, EIO_ERR_REQUEST, "Bad request");
	if (method == LWSHUMETH_GET)
		return poll_hold(wsi, c, s);
	c->kind = CONN_POST;
	c->sess_id = s->id;
	return 0;	/* the body follows */
}

int
eio_poll_body(struct lws *wsi, struct conn *c, const void *in, size_t len)
{
	if (c->kind != CONN_POST || eio_rx_append(c, in, len) == -1) {
		eio_rx_reset(c);
		(void)eio_http_reply(wsi, HTTP_STATUS_REQ_ENTITY_TOO_LARGE,
		    "text/plain; charset=UTF-8", "too large", 9);
		return -1;
	}
	return 0;
}

/* A POST's payload: its packets in order, then "ok". */
int
eio_poll_body_done(struct lws *wsi, struct conn *c)
{
	struct session *s = eio_find(c->sess_id);
	const char *pkt;
	size_t off = 0, plen;
	int r;

	if (c->kind != CONN_POST)
		return -1;
	if (s == NULL || s->state == SESS_CLOSED) {
		eio_rx_reset(c);
		return http_eio_error(wsi, EIO_ERR_SID, "Session ID unknown");
	}
	while ((r = eio_payload_next(c->rx ? c->rx : "", c->rxlen, &off, &pkt,
	    &plen)) == 1 && s->state != SESS_CLOSED) {
		/* Binary over polling is "b" + base64, as a WebSocket frame. */
		if (plen > 0 && pkt[0] == 'b')
			eio_on_binary(s);
		else
			eio_on_packet(s, NULL, pkt, plen);
	}
	if (r == -1)
		eio_close(s, "bad polling payload");
	eio_rx_reset(c);
	return eio_http_reply(wsi, HTTP_STATUS_OK, "text/html", "ok", 2);
}

void
eio_poll_closed(struct lws *wsi, struct conn *c)
{
	if (c == NULL)
		return;
	if (c->kind == CONN_GET && c->s != NULL && c->s->get == wsi)
		c->s->get = NULL;
	c->s = NULL;
	eio_rx_reset(c);
}
