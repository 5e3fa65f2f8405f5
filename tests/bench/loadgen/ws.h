/*
 * ws.h - the pure parts of a minimal RFC 6455 client: the opening
 * handshake's key and accept value, frame headers and masking.  No I/O
 * here, so each piece is easy to check on its own.
 */
#ifndef LOADGEN_WS_H
#define LOADGEN_WS_H

#include <stddef.h>
#include <stdint.h>

#define WS_OP_CONT	0x0
#define WS_OP_TEXT	0x1
#define WS_OP_BINARY	0x2
#define WS_OP_CLOSE	0x8
#define WS_OP_PING	0x9
#define WS_OP_PONG	0xa

#define WS_HDR_MAX	14	/* 2 + 8 (64-bit length) + 4 (mask) */
#define WS_KEY_LEN	24	/* base64 of 16 bytes */
#define WS_ACCEPT_LEN	28	/* base64 of a SHA-1 */

struct ws_frame {
	int		fin;
	int		opcode;
	uint64_t	len;		/* payload bytes */
	size_t		hdrlen;
};

void	ws_key(const uint8_t[16], char[WS_KEY_LEN + 1]);
void	ws_accept(const char *, char[WS_ACCEPT_LEN + 1]);
int	ws_parse_header(const uint8_t *, size_t, struct ws_frame *,
	    const char **);
size_t	ws_client_header(uint8_t[WS_HDR_MAX], int, size_t,
	    const uint8_t[4]);
void	ws_mask(uint8_t *, size_t, const uint8_t[4], size_t);
int	ws_http_response(const char *, size_t, const char *, size_t *,
	    const char **);

#endif
