/*
 * net.c - non-blocking TCP connections on one epoll set, each carrying a
 * minimal RFC 6455 client: the upgrade request, masked frames out,
 * unmasked frames in (fragmented or not), ping/pong and close.  Text
 * messages go up to lg_on_text(); nothing here knows about Socket.IO.
 *
 * Edge-triggered epoll: each socket is registered once for input and
 * output, so a write never needs an epoll_ctl, and reads and writes go on
 * until EAGAIN.
 */
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loadgen.h"
#include "ws.h"

#define MAX_EVENTS	1024
#define READ_CHUNK	(64 * 1024)
#define BUF_MIN		512
#define BUF_KEEP	2048	/* idle buffers larger are freed */

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT	24
#endif

static int	 ep = -1;
static uint64_t	 rng;		/* xorshift64 state */
static uint8_t	 scratch[READ_CHUNK];

int64_t
now_ns(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail with a valid pointer. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Masking keys and handshake nonces only have to differ from frame to
 * frame so that proxies cannot be poisoned (RFC 6455 10.3); a fast PRNG
 * seeded once from the kernel is plenty for a load generator.
 */
static uint64_t
rand64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int
net_init(void)
{
	if (getrandom(&rng, sizeof(rng), 0) != (ssize_t)sizeof(rng))
		rng = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32);
	if (rng == 0)
		rng = 0x9e3779b97f4a7c15ULL;	/* xorshift sticks at 0 */
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return -1;
	return 0;
}

void
net_fini(void)
{
	if (ep != -1)
		(void)close(ep);
	ep = -1;
}

/* --- buffers ------------------------------------------------------------- */

static void
buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Room for n more bytes, within cap in all: 0, or -1 if over cap. */
static int
buf_reserve(struct buf *b, size_t n, size_t cap)
{
	size_t want, ncap;
	uint8_t *p;

	if (b->off > 0 && b->off == b->len)
		b->off = b->len = 0;
	if (b->len - b->off + n > cap)
		return -1;
	if (b->len + n <= b->cap)
		return 0;
	if (b->off > 0) {
		/* Sliding down may make room without a realloc. */
		memmove(b->p, b->p + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
		if (b->len + n <= b->cap)
			return 0;
	}
	want = b->len + n;
	for (ncap = b->cap ? b->cap : BUF_MIN; ncap < want; ncap *= 2)
		;
	if (ncap > cap + WS_HDR_MAX)
		ncap = cap + WS_HDR_MAX;
	if ((p = realloc(b->p, ncap)) == NULL)
		return -1;
	b->p = p;
	b->cap = ncap;
	return 0;
}

static int
buf_append(struct buf *b, const void *data, size_t n, size_t cap)
{
	if (buf_reserve(b, n, cap) == -1)
		return -1;
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

/* Thousands of idle connections must not each keep a big buffer. */
static void
buf_consumed(struct buf *b)
{
	if (b->off < b->len)
		return;
	if (b->cap > BUF_KEEP)
		buf_free(b);
	else
		b->off = b->len = 0;
}

/* --- closing ------------------------------------------------------------- */

static void
conn_release(struct conn *c)
{
	if (c->fd != -1)
		(void)close(c->fd);	/* also leaves the epoll set */
	c->fd = -1;
	buf_free(&c->in);
	buf_free(&c->out);
	buf_free(&c->frag);
	c->frag_op = 0;
}

/* Closes for good and tells loadgen.c why; safe to call twice. */
void
conn_close(struct conn *c, const char *why)
{
	enum cstate was = c->state;

	if (was == CS_DEAD)
		return;
	conn_release(c);
	c->state = CS_DEAD;
	lg_on_close(c, was, why);
}

/* Closes without telling anyone: the run is over. */
void
conn_abandon(struct conn *c)
{
	conn_release(c);
	c->state = CS_DEAD;
}

static void
conn_close_errno(struct conn *c, const char *what, int error)
{
	char why[128];

	(void)snprintf(why, sizeof(why), "%s: %s", what, strerror(error));
	conn_close(c, why);
}

/* --- output -------------------------------------------------------------- */

/* Writes what the socket takes now; the rest waits for EPOLLOUT. */
static int
conn_flush(struct conn *c)
{
	ssize_t n;

	while (c->out.off < c->out.len) {
		n = send(c->fd, c->out.p + c->out.off, c->out.len - c->out.off,
		    MSG_NOSIGNAL);
		if (n > 0) {
			c->out.off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		conn_close_errno(c, "send", n == -1 ? errno : EPIPE);
		return -1;
	}
	buf_consumed(&c->out);
	return 0;
}

/*
 * Queues one masked, unfragmented frame whose payload is a then b (either
 * may be empty), and writes.  -1 when it was not queued: the output cap
 * is reached (the connection stays) or the connection is closed (state
 * CS_DEAD).
 */
int
conn_send(struct conn *c, int opcode, const void *a, size_t alen,
    const void *b, size_t blen)
{
	uint8_t hdr[WS_HDR_MAX], mask[4];
	uint64_t r = rand64();
	size_t hlen, start;

	if (c->state == CS_DEAD || c->state < CS_EIO)
		return -1;
	memcpy(mask, &r, sizeof(mask));
	hlen = ws_client_header(hdr, opcode, alen + blen, mask);
	if (buf_reserve(&c->out, hlen + alen + blen, OUT_CAP) == -1)
		return -1;
	memcpy(c->out.p + c->out.len, hdr, hlen);
	start = c->out.len + hlen;
	if (alen > 0)
		memcpy(c->out.p + start, a, alen);
	if (blen > 0)
		memcpy(c->out.p + start + alen, b, blen);
	ws_mask(c->out.p + start, alen + blen, mask, 0);
	c->out.len = start + alen + blen;
	return conn_flush(c);
}

/* --- input --------------------------------------------------------------- */

static int
conn_deliver(struct conn *c, int opcode, const uint8_t *p, size_t len)
{
	/* Socket.IO over WebSocket never needs binary: we send none. */
	if (opcode == WS_OP_TEXT)
		lg_on_text(c, (const char *)p, len);
	return c->state == CS_DEAD ? -1 : 0;
}

static int
conn_close_frame(struct conn *c, const uint8_t *p, size_t len)
{
	char why[64];
	unsigned code = 1005;	/* "no status received" */

	if (len >= 2)
		code = (unsigned)p[0] << 8 | p[1];
	/* Echo the code as the RFC asks, then hang up: we never linger. */
	(void)conn_send(c, WS_OP_CLOSE, p, len >= 2 ? 2 : 0, NULL, 0);
	(void)snprintf(why, sizeof(why), "websocket closed by server (%u)",
	    code);
	conn_close(c, why);
	return -1;
}

/* One whole frame: 0, or -1 once the connection is closed. */
static int
conn_frame(struct conn *c, const struct ws_frame *f, const uint8_t *p)
{
	size_t len = (size_t)f->len;
	int op;

	switch (f->opcode) {
	case WS_OP_PING:
		(void)conn_send(c, WS_OP_PONG, p, len, NULL, 0);
		return c->state == CS_DEAD ? -1 : 0;
	case WS_OP_PONG:
		return 0;
	case WS_OP_CLOSE:
		return conn_close_frame(c, p, len);
	case WS_OP_TEXT:
	case WS_OP_BINARY:
		if (c->frag_op != 0) {
			conn_close(c, "websocket: new message inside a "
			    "fragmented one");
			return -1;
		}
		if (f->fin)
			return conn_deliver(c, f->opcode, p, len);
		c->frag_op = f->opcode;
		break;
	case WS_OP_CONT:
		if (c->frag_op == 0) {
			conn_close(c,
			    "websocket: continuation without a start");
			return -1;
		}
		break;
	default:
		conn_close(c, "websocket: unknown opcode");
		return -1;
	}
	if (buf_append(&c->frag, p, len, IN_CAP) == -1) {
		conn_close(c, "websocket: message over the input cap");
		return -1;
	}
	if (!f->fin)
		return 0;
	op = c->frag_op;
	c->frag_op = 0;
	if (conn_deliver(c, op, c->frag.p, c->frag.len) == -1)
		return -1;
	c->frag.off = c->frag.len;
	buf_consumed(&c->frag);
	return 0;
}

/* The 101 response; its length, 0 while incomplete, -1 once closed. */
static ssize_t
conn_upgrade(struct conn *c, const uint8_t *p, size_t n)
{
	const char *why;
	size_t used;
	int r;

	r = ws_http_response((const char *)p, n, c->accept, &used, &why);
	if (r == 0)
		return 0;
	if (r == -1) {
		conn_close(c, why);
		return -1;
	}
	c->state = CS_EIO;
	lg_on_open(c);
	return c->state == CS_DEAD ? -1 : (ssize_t)used;
}

/* Handles the whole frames in p; bytes used, or -1 once closed. */
static ssize_t
conn_parse(struct conn *c, const uint8_t *p, size_t n)
{
	struct ws_frame f;
	const char *why;
	size_t off = 0;
	ssize_t used;
	int r;

	if (c->state == CS_HTTP) {
		if ((used = conn_upgrade(c, p, n)) <= 0)
			return used;
		off = (size_t)used;
	}
	while (off < n) {
		if ((r = ws_parse_header(p + off, n - off, &f, &why)) == -1) {
			conn_close(c, why);
			return -1;
		}
		if (r == 0)
			break;
		if (f.len > IN_CAP - f.hdrlen) {
			conn_close(c, "websocket: frame over the input cap");
			return -1;
		}
		if (n - off < f.hdrlen + f.len)
			break;
		if (conn_frame(c, &f, p + off + f.hdrlen) == -1)
			return -1;
		off += f.hdrlen + (size_t)f.len;
	}
	return (ssize_t)off;
}

/*
 * New bytes: parsed straight from the read buffer when nothing is pending
 * (the common case: no copy), else appended to what is.
 */
static int
conn_input(struct conn *c, const uint8_t *p, size_t n)
{
	ssize_t used;

	if (c->in.off < c->in.len) {
		if (buf_append(&c->in, p, n, IN_CAP + WS_HDR_MAX) == -1) {
			conn_close(c, "input buffer over its cap");
			return -1;
		}
		p = c->in.p + c->in.off;
		n = c->in.len - c->in.off;
		if ((used = conn_parse(c, p, n)) == -1)
			return -1;
		c->in.off += (size_t)used;
		buf_consumed(&c->in);
		return 0;
	}
	if ((used = conn_parse(c, p, n)) == -1)
		return -1;
	if ((size_t)used < n &&
	    buf_append(&c->in, p + used, n - (size_t)used,
	    IN_CAP + WS_HDR_MAX) == -1) {
		conn_close(c, "input buffer over its cap");
		return -1;
	}
	return 0;
}

static void
conn_read(struct conn *c)
{
	ssize_t n;

	while (c->state != CS_DEAD) {
		n = read(c->fd, scratch, sizeof(scratch));
		if (n > 0) {
			(void)conn_input(c, scratch, (size_t)n);
			continue;
		}
		if (n == 0) {
			conn_close(c, "connection closed by server");
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			conn_close_errno(c, "read", errno);
		return;
	}
}

/* --- connecting ---------------------------------------------------------- */

/* TCP is up: send the upgrade request. */
static void
conn_connected(struct conn *c, const struct target *t)
{
	char req[2048], key[WS_KEY_LEN + 1];
	uint8_t nonce[16];
	uint64_t r1 = rand64(), r2 = rand64();
	int n;

	memcpy(nonce, &r1, 8);
	memcpy(nonce + 8, &r2, 8);
	ws_key(nonce, key);
	ws_accept(key, c->accept);
	n = snprintf(req, sizeof(req),
	    "GET %s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "User-Agent: loadgen\r\n"
	    "\r\n", t->path, t->host, key);
	if (n < 0 || (size_t)n >= sizeof(req)) {
		conn_close(c, "upgrade request too long");
		return;
	}
	if (buf_append(&c->out, req, (size_t)n, OUT_CAP) == -1) {
		conn_close(c, "out of memory");
		return;
	}
	c->state = CS_HTTP;
	(void)conn_flush(c);
}

static int
conn_bind(struct conn *c, const struct target *t)
{
	struct sockaddr_in sin;
	int one = 1;

	/*
	 * Without this, bind() picks the local port at once and keeps it
	 * unique per source address (28k or so); with it, connect() picks
	 * one unique per 4-tuple.  Old kernels lack it: bind anyway.
	 */
	(void)setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
	    sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK + c->id % t->nsrc);
	return bind(c->fd, (struct sockaddr *)&sin, sizeof(sin));
}

/* The target is kept for conn_connected(); net.c serves only one. */
static const struct target *tgt;

void
conn_start(struct conn *c, const struct target *t, int64_t now)
{
	struct epoll_event ev;
	int one = 1;

	tgt = t;
	c->t_start = now;
	c->state = CS_TCP;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1) {
		conn_close_errno(c, "socket", errno);
		return;
	}
	/* Small frames, measured one by one: no Nagle delay. */
	if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one)) == -1) {
		conn_close_errno(c, "TCP_NODELAY", errno);
		return;
	}
	if (t->bind_src && conn_bind(c, t) == -1) {
		conn_close_errno(c, "bind", errno);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	ev.data.ptr = c;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) == -1) {
		conn_close_errno(c, "epoll_ctl", errno);
		return;
	}
	if (connect(c->fd, (const struct sockaddr *)&t->dst,
	    sizeof(t->dst)) == 0)
		conn_connected(c, t);
	else if (errno != EINPROGRESS)
		conn_close_errno(c, "connect", errno);
}

/* connect() finished one way or the other. */
static void
conn_tcp_done(struct conn *c)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0)
		conn_close_errno(c, "connect", err);
	else
		conn_connected(c, tgt);
}

/*
 * Waits up to timeout_ns.  epoll_pwait2 (Linux 5.11) sleeps to the
 * microsecond, so a send is not held to the next millisecond; older
 * kernels get epoll_wait and its milliseconds, rounded up so as not to spin.
 */
static int
net_wait(struct epoll_event *evs, int64_t timeout_ns)
{
	static int no_pwait2;
	struct timespec ts;
	int n;

	if (!no_pwait2) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		n = epoll_pwait2(ep, evs, MAX_EVENTS, &ts, NULL);
		if (n != -1 || errno != ENOSYS)
			return n;
		no_pwait2 = 1;
	}
	return epoll_wait(ep, evs, MAX_EVENTS,
	    (int)((timeout_ns + 999999) / 1000000));
}

/* One wait and what it reports; -1 only if epoll itself fails. */
int
net_poll(int64_t timeout_ns)
{
	struct epoll_event evs[MAX_EVENTS];
	struct conn *c;
	int i, n;

	if ((n = net_wait(evs, timeout_ns)) == -1)
		return errno == EINTR ? 0 : -1;
	for (i = 0; i < n; i++) {
		c = evs[i].data.ptr;
		/* Closed earlier in this batch: the event is stale. */
		if (c->state == CS_DEAD)
			continue;
		if (c->state == CS_TCP) {
			if (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
				conn_tcp_done(c);
			/* Edge-triggered: input that came with it is ours. */
			if (c->state == CS_DEAD || c->state == CS_TCP)
				continue;
		}
		if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP |
		    EPOLLERR))
			conn_read(c);
		if (c->state != CS_DEAD && (evs[i].events & EPOLLOUT))
			(void)conn_flush(c);
	}
	return 0;
}
