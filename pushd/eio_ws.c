/*
 * eio_ws.c - Engine.IO's WebSocket transport: a session of its own, or
 * the upgrade of a polling session (probe "2probe" -> "3probe", then "5").
 *
 * The session points at its WebSocket (s->ws) and the connection back at
 * the session (c->s); eio_close and eio_ws_closed cut both links, so no
 * pointer outlives what it names.  Only one WebSocket per session: a
 * second one, or one for a session already upgraded, is refused with 400
 * before the handshake completes.
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "eio.h"
#include "jsonio.h"
#include "log.h"

/* Refuse a bad upgrade before it happens: 400, as the reference does. */
int
eio_ws_filter(struct lws *wsi)
{
	char arg[EIO_ARG_MAX];
	struct api_error err;
	const char *v;
	struct session *s;
	int bad = 0;

	v = lws_get_urlarg_by_name(wsi, "EIO=", arg, sizeof(arg));
	if (v == NULL || strcmp(v, "4") != 0)
		bad = 1;
	/* Dart's native client says polling on what is a WebSocket. */
	v = lws_get_urlarg_by_name(wsi, "transport=", arg, sizeof(arg));
	if (v == NULL || (strcmp(v, "websocket") != 0 &&
	    strcmp(v, "polling") != 0))
		bad = 1;
	v = lws_get_urlarg_by_name(wsi, "sid=", arg, sizeof(arg));
	if (v != NULL && ((s = eio_find_sid(v, wsi)) == NULL || s->upgraded ||
	    s->ws != NULL))
		bad = 1;
	if (bad) {
		(void)lws_return_http_status(wsi, HTTP_STATUS_BAD_REQUEST,
		    NULL);
		return -1;
	}
	/* A new session: refused here, before the upgrade, when over a cap. */
	if (v == NULL && addr_admit(addr_of(wsi), &err) == -1) {
		(void)lws_return_http_status(wsi, api_status(err.code),
		    err.message);
		return -1;
	}
	return 0;
}

int
eio_ws_open(struct lws *wsi, struct conn *c)
{
	char arg[EIO_ARG_MAX], tok[TOKEN_MAX + 16];
	struct api_error err;
	const char *v;
	struct session *s;
	struct pmsg *m;
	char *open;
	size_t len;

	c->kind = CONN_WS;
	v = lws_get_urlarg_by_name(wsi, "sid=", arg, sizeof(arg));
	if (v != NULL) {
		/* An upgrade probe for a polling session. */
		if ((s = eio_find_sid(v, wsi)) == NULL || s->ws != NULL ||
		    s->upgraded)
			return -1;
		s->ws = wsi;
		c->s = s;
		return 0;
	}
	if ((s = eio_new(eio_handshake_token(wsi, tok, sizeof(tok)),
	    addr_of(wsi), &err)) == NULL)
		return -1;
	s->ws = wsi;
	s->upgraded = 1;
	c->s = s;
	open = eio_open_packet(s, 0, &len);
	if ((m = pmsg_take(open, len)) == NULL)
		return -1;
	eio_send(s, m);
	pmsg_unref(m);
	return 0;
}

/* A whole message: a text packet, or a binary attachment to drop. */
static void
ws_message(struct lws *wsi, struct conn *c, struct session *s)
{
	if (c->rx_binary)
		eio_on_binary(s);
	else if (!utf8_valid(c->rx, c->rxlen))
		eio_close(s, "invalid UTF-8");
	else
		eio_on_packet(s, wsi, c->rx, c->rxlen);
}

int
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
	ws_message(wsi, c, s);
	eio_rx_reset(c);
	/* Closed while handling it: eio_close cut c->s. */
	return c->s == NULL ? -1 : 0;
}

static int
ws_write(struct lws *wsi, unsigned char *text, size_t len)
{
	return lws_write(wsi, text, len, LWS_WRITE_TEXT) < (int)len ? -1 : 0;
}

int
eio_ws_writable(struct lws *wsi, struct conn *c)
{
	struct session *s = c->s;
	unsigned char probe[LWS_PRE + 8];
	struct qent *e;
	int rc;

	if (c->closing || s == NULL)
		return -1;
	if (c->probe_reply) {
		c->probe_reply = 0;
		memcpy(probe + LWS_PRE, "3probe", 6);
		if (ws_write(wsi, probe + LWS_PRE, 6) == -1)
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
	rc = ws_write(wsi, PMSG_TEXT(e->m), e->m->len);
	pmsg_unref(e->m);
	free(e);
	if (rc == 0 && s->qh != NULL)
		lws_callback_on_writable(wsi);
	return rc;
}

void
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
