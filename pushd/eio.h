/*
 * eio.h - what the Engine.IO files share: eio.c (sessions, heartbeats,
 * packets in, the lws protocol), eio_poll.c (HTTP long-polling) and
 * eio_ws.c (WebSocket).  Nothing outside them includes it; the rest of
 * pushd sees eio_send / eio_close / eio_find in pushd.h.
 */
#ifndef PUSHD_EIO_H
#define PUSHD_EIO_H

#include "pushd.h"

/*
 * lws_get_urlarg_by_name() copies every query argument into the buffer
 * while it looks: one longer than the buffer (a token) hides the ones after
 * it.  So every lookup gets room for the longest argument we accept.
 */
#define EIO_ARG_MAX	(TOKEN_MAX + 64)

enum conn_kind { CONN_NONE, CONN_GET, CONN_POST, CONN_WS };

/* What lws keeps per connection (its per-session user data). */
struct conn {
	enum conn_kind	 kind;
	struct session	*s;		/* GET and WS: the session, or NULL */
	uint64_t	 sess_id;	/* POST */
	int		 closing;	/* WS: close at the next writable */
	int		 probe_reply;	/* WS: "3probe" owed */
	int		 noop_close;	/* GET: session closed by the peer */
	char		*rx;		/* WS message or POST body */
	size_t		 rxlen;
	size_t		 rxcap;		/* bytes allocated at rx */
	int		 rx_binary;
};

/* eio.c */
/* A session for a client at addr; NULL with err (full, or no memory). */
struct session *eio_new(const char *token, uint64_t addr,
	    struct api_error *err);
/*
 * The session a sid names ("<id>.<random>") for a request from wsi; NULL
 * if none, closed, or opened from another address: a sid that leaked is
 * of no use elsewhere.
 */
struct session *eio_find_sid(const char *sid, struct lws *wsi);
/* A binary packet or frame: an attachment to drop, or the end. */
void	 eio_on_binary(struct session *s);
/* The OPEN packet for s (malloc'd), NULL out of memory. */
char	*eio_open_packet(const struct session *s, int upgrades, size_t *len);
/* One Engine.IO packet from the client; from_ws: its WebSocket, or NULL. */
void	 eio_on_packet(struct session *s, struct lws *from_ws,
	    const char *buf, size_t len);
/* A token in the handshake's query or Authorization header, or NULL. */
const char *eio_handshake_token(struct lws *wsi, char *buf, size_t bufsz);
int	 eio_rx_append(struct conn *c, const void *in, size_t len);
void	 eio_rx_reset(struct conn *c);

/* eio_poll.c */
int	 eio_poll_http(struct lws *wsi, struct conn *c, const char *uri);
int	 eio_poll_body(struct lws *wsi, struct conn *c, const void *in,
	    size_t len);
int	 eio_poll_body_done(struct lws *wsi, struct conn *c);
int	 eio_poll_writable(struct lws *wsi, struct conn *c);
void	 eio_poll_closed(struct lws *wsi, struct conn *c);

/* eio_ws.c */
int	 eio_ws_filter(struct lws *wsi);
int	 eio_ws_open(struct lws *wsi, struct conn *c);
int	 eio_ws_receive(struct lws *wsi, struct conn *c, const void *in,
	    size_t len);
int	 eio_ws_writable(struct lws *wsi, struct conn *c);
void	 eio_ws_closed(struct conn *c);

#endif
