/*
 * ws.c - handshake values, frame headers and masking for a minimal
 * RFC 6455 client (see ws.h).  SHA-1 is here only because the client must
 * check Sec-WebSocket-Accept; it protects nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ws.h"

#define WS_GUID		"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define HTTP_HDR_MAX	8192	/* a 101 is a few hundred bytes */

/* --- SHA-1 (FIPS 180-4), just enough for one short string ---------------- */

struct sha1 {
	uint32_t	h[5];
	uint8_t		blk[64];
	size_t		n;		/* bytes in blk */
	uint64_t	total;		/* bytes hashed */
};

static uint32_t
rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void
sha1_block(struct sha1 *s)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)s->blk[i * 4] << 24 |
		    (uint32_t)s->blk[i * 4 + 1] << 16 |
		    (uint32_t)s->blk[i * 4 + 2] << 8 | s->blk[i * 4 + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = s->h[0];
	b = s->h[1];
	c = s->h[2];
	d = s->h[3];
	e = s->h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
}

static void
sha1_init(struct sha1 *s)
{
	static const uint32_t iv[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
	};

	memset(s, 0, sizeof(*s));
	memcpy(s->h, iv, sizeof(iv));
}

static void
sha1_update(struct sha1 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->total += len;
	while (len > 0) {
		s->blk[s->n++] = *p++;
		len--;
		if (s->n == sizeof(s->blk)) {
			sha1_block(s);
			s->n = 0;
		}
	}
}

static void
sha1_final(struct sha1 *s, uint8_t out[20])
{
	uint64_t bits = s->total * 8;
	uint8_t pad = 0x80, zero = 0, len[8];
	unsigned i;

	sha1_update(s, &pad, 1);
	while (s->n != 56)
		sha1_update(s, &zero, 1);
	for (i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(s, len, sizeof(len));
	for (i = 0; i < 20; i++)
		out[i] = (uint8_t)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

/* --- base64 (RFC 4648, with padding) ------------------------------------- */

/* out must hold 4 * ceil(len / 3) + 1 bytes. */
static void
base64(const uint8_t *in, size_t len, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t v;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		*out++ = tab[v >> 18];
		*out++ = tab[(v >> 12) & 63];
		*out++ = tab[(v >> 6) & 63];
		*out++ = tab[v & 63];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		*out++ = tab[v >> 18];
		*out++ = tab[(v >> 12) & 63];
		*out++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

/* --- handshake ----------------------------------------------------------- */

void
ws_key(const uint8_t nonce[16], char key[WS_KEY_LEN + 1])
{
	base64(nonce, 16, key);
}

/* What the server must answer in Sec-WebSocket-Accept for this key. */
void
ws_accept(const char *key, char out[WS_ACCEPT_LEN + 1])
{
	struct sha1 s;
	uint8_t md[20];

	sha1_init(&s);
	sha1_update(&s, key, strlen(key));
	sha1_update(&s, WS_GUID, strlen(WS_GUID));
	sha1_final(&s, md);
	base64(md, sizeof(md), out);
}

/* A header line's value with the blanks around it trimmed, in v/vlen. */
static int
header_is(const char *line, size_t len, const char *name, const char **v,
    size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || line[n] != ':' || strncasecmp(line, name, n) != 0)
		return 0;
	line += n + 1;
	len -= n + 1;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	*v = line;
	*vlen = len;
	return 1;
}

/*
 * The server's answer to the upgrade: 1 and the header's length in
 * *consumed when it is a valid 101 with our accept value, 0 while
 * incomplete, -1 with a reason otherwise.  Frames may follow in the same
 * read, so only the header is consumed.
 */
int
ws_http_response(const char *buf, size_t len, const char *accept,
    size_t *consumed, const char **why)
{
	static char status[64];	/* the reason outlives the call */
	const char *end, *line, *nl, *v;
	size_t vlen;
	int upgrade = 0, accepted = 0;

	if ((end = memmem(buf, len, "\r\n\r\n", 4)) == NULL) {
		if (len > HTTP_HDR_MAX) {
			*why = "handshake: response header too long";
			return -1;
		}
		return 0;
	}
	if ((size_t)(end - buf) < 12 || memcmp(buf, "HTTP/1.1 ", 9) != 0) {
		*why = "handshake: not an HTTP/1.1 response";
		return -1;
	}
	if (memcmp(buf + 9, "101", 3) != 0) {
		(void)snprintf(status, sizeof(status), "handshake: HTTP %.3s",
		    buf + 9);
		*why = status;
		return -1;
	}
	/* The status line ends at or before the blank line: skip it. */
	line = (const char *)memchr(buf, '\n', (size_t)(end - buf) + 4) + 1;
	for (; line < end; line = nl + 2) {
		if ((nl = memmem(line, (size_t)(end + 2 - line), "\r\n", 2)) ==
		    NULL)
			break;
		if (header_is(line, (size_t)(nl - line), "Upgrade", &v, &vlen))
			upgrade = vlen == 9 &&
			    strncasecmp(v, "websocket", 9) == 0;
		else if (header_is(line, (size_t)(nl - line),
		    "Sec-WebSocket-Accept", &v, &vlen))
			accepted = vlen == WS_ACCEPT_LEN &&
			    memcmp(v, accept, WS_ACCEPT_LEN) == 0;
		else if (header_is(line, (size_t)(nl - line),
		    "Sec-WebSocket-Extensions", &v, &vlen) && vlen > 0) {
			/* We offered none: compressed frames are garbage. */
			*why = "handshake: unrequested extension";
			return -1;
		}
	}
	if (!upgrade || !accepted) {
		*why = upgrade ? "handshake: bad Sec-WebSocket-Accept" :
		    "handshake: no Upgrade: websocket";
		return -1;
	}
	*consumed = (size_t)(end - buf) + 4;
	return 1;
}

/* --- frames -------------------------------------------------------------- */

/*
 * A server frame's header: 1 when complete (f filled in), 0 when more
 * bytes are needed, -1 with a reason when it breaks the rules a client
 * must enforce (RFC 6455 5.1, 5.2, 5.5).
 */
int
ws_parse_header(const uint8_t *p, size_t len, struct ws_frame *f,
    const char **why)
{
	uint64_t n;
	size_t need = 2, i;

	if (len < 2)
		return 0;
	if (p[0] & 0x70) {
		*why = "websocket: reserved bits set";
		return -1;
	}
	if (p[1] & 0x80) {
		*why = "websocket: masked frame from the server";
		return -1;
	}
	f->fin = (p[0] & 0x80) != 0;
	f->opcode = p[0] & 0x0f;
	n = p[1] & 0x7f;
	if (n == 126)
		need = 4;
	else if (n == 127)
		need = 10;
	if (len < need)
		return 0;
	if (n == 126)
		n = (uint64_t)p[2] << 8 | p[3];
	else if (n == 127)
		for (n = 0, i = 2; i < 10; i++)
			n = n << 8 | p[i];
	if ((f->opcode & 0x8) && (!f->fin || n > 125)) {
		*why = "websocket: bad control frame";
		return -1;
	}
	f->len = n;
	f->hdrlen = need;
	return 1;
}

/* A client frame header (FIN set, masked) for len bytes; its length. */
size_t
ws_client_header(uint8_t h[WS_HDR_MAX], int opcode, size_t len,
    const uint8_t mask[4])
{
	size_t n = 2, i;

	h[0] = (uint8_t)(0x80 | opcode);
	if (len < 126)
		h[1] = (uint8_t)(0x80 | len);
	else if (len <= 0xffff) {
		h[1] = 0x80 | 126;
		h[2] = (uint8_t)(len >> 8);
		h[3] = (uint8_t)len;
		n = 4;
	} else {
		h[1] = 0x80 | 127;
		for (i = 0; i < 8; i++)
			h[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
		n = 10;
	}
	memcpy(h + n, mask, 4);
	return n + 4;
}

/* XOR with the mask; off is where p starts within the payload. */
void
ws_mask(uint8_t *p, size_t len, const uint8_t mask[4], size_t off)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] ^= mask[(off + i) & 3];
}
