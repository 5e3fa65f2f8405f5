/*
 * codec.h - Engine.IO v4 and Socket.IO v5 text packets.
 *
 * Pure functions: bytes in, packets out and back, no I/O.  Decoding is as
 * strict as socket.io 4.8 or stricter, so that anything pushd accepts a
 * stock client could have sent; encoding builds every JSON text through
 * json-c, so that names and strings are always escaped.  See
 * shared/notes/socketio-v4.md for the wire protocol.
 */
#ifndef PUSHD_CODEC_H
#define PUSHD_CODEC_H

#include <stddef.h>

#include <json-c/json.h>

#define CODEC_MAX_DEPTH		16	/* JSON nesting in a packet */
/* 2^53-1: JS clients count in doubles. */
#define CODEC_MAX_ACK_ID	9007199254740991LL
#define CODEC_ACK_DIGITS	16	/* digits of CODEC_MAX_ACK_ID */
#define CODEC_EVENT_MAX		64	/* bytes of an event name, a namespace */
#define CODEC_MAX_ATTACHMENTS	10	/* binary frames one packet announces */
#define CODEC_PAYLOAD_SEP	0x1e	/* between packets of a polling body */

enum eio_type {
	EIO_OPEN = 0,
	EIO_CLOSE,
	EIO_PING,
	EIO_PONG,
	EIO_MESSAGE,
	EIO_UPGRADE,
	EIO_NOOP
};

/*
 * One Engine.IO packet: type digit + payload (which may be empty and is
 * not NUL-terminated).  -1 if buf is empty or the type is not 0-6.
 */
int	 eio_decode(const char *buf, size_t len, enum eio_type *type,
	    const char **payload, size_t *plen);

/*
 * Iterate the packets of an HTTP long-polling body (separator 0x1e).
 * *off starts at 0.  Returns 1 with the next packet in *pkt, *pktlen,
 * 0 at the end (after the last packet *off is len + 1), -1 on an empty
 * packet: an empty body, "a\x1e\x1eb", a leading or a trailing 0x1e.
 * Once -1, it stays -1.
 */
int	 eio_payload_next(const char *buf, size_t len, size_t *off,
	    const char **pkt, size_t *pktlen);

enum sio_type {
	SIO_CONNECT = 0,
	SIO_DISCONNECT,
	SIO_EVENT,
	SIO_ACK,
	SIO_CONNECT_ERROR,
	SIO_BINARY_EVENT,
	SIO_BINARY_ACK
};

struct sio_packet {
	enum sio_type	 type;
	/* BINARY_*: the count before '-' (1..10); 0 otherwise. */
	int		 attachments;
	char		 nsp[CODEC_EVENT_MAX + 1]; /* "/" when absent */
	long long	 ack_id;	/* -1 when absent */
	/* Owned; NULL when the packet has no payload. */
	json_object	*data;
	/* EVENT/BINARY_EVENT: the name (data[0]), borrowed from data. */
	const char	*event;
	/*
	 * Borrowed: EVENT data[1], ACK data[0]; NULL when absent or JSON
	 * null (json-c's null is NULL).
	 */
	json_object	*arg;
};

/*
 * Decode the payload of an Engine.IO MESSAGE (the text after the '4'):
 *	<type>[<attachments>-][<nsp>,][<ack id>][<JSON>]
 * Type digit 0-6; for BINARY_* an attachment count 1..10 then '-'; an
 * optional namespace of printable UTF-8 starting with '/' and ending at
 * ',' (at most CODEC_EVENT_MAX bytes); an ack id of at most 16 digits and
 * at most CODEC_MAX_ACK_ID, only on events and acks, required on acks;
 * then an optional JSON object or array (depth <= CODEC_MAX_DEPTH, valid
 * UTF-8, no control bytes, finite numbers, nothing after it).
 * CONNECT: payload absent or an object.  DISCONNECT: no payload.
 * EVENT/BINARY_EVENT: a non-empty array whose first element is a string
 * of 1..CODEC_EVENT_MAX bytes, without NUL, that is not a reserved name.
 * ACK/BINARY_ACK: an array.  CONNECT_ERROR is server->client only and
 * always refused.  Binary packets are decoded (attachments, ack id) but
 * their placeholders are not interpreted.
 * Returns 0, or -1 with *why set to a static English reason.  On -1
 * nothing needs freeing; on 0 call sio_packet_clear().
 */
int	 sio_decode(const char *buf, size_t len, struct sio_packet *out,
	    const char **why);
/* Put the data and reset p to an empty CONNECT; safe to call twice. */
void	 sio_packet_clear(struct sio_packet *p);

/* 1 if name is one of the event names clients reserve (connect, ...). */
int	 sio_event_reserved(const char *name);

/*
 * Encoders, all for the root namespace.  Each returns a malloc'd,
 * NUL-terminated Engine.IO packet INCLUDING the leading Engine.IO type
 * digit (e.g. "42[...]"), with its length in *len; NULL on allocation
 * failure or on an argument no client would accept (an event name that
 * is empty, longer than CODEC_EVENT_MAX or reserved; an ack id outside
 * 0..CODEC_MAX_ACK_ID).  `arg` is borrowed, never put; NULL is JSON null.
 */
/* 42["event",arg], or 42["event"] when arg is NULL. */
char	*sio_encode_event(const char *event, json_object *arg, size_t *len);
/* The same with an ack id: 42<id>["event",arg]; ack_id -1 for none. */
char	*sio_encode_event_with_id(const char *event, long long ack_id,
	    json_object *arg, size_t *len);
/*
 * 43<id>[arg].  Always exactly one argument, [null] when arg is NULL:
 * the Dart client mishandles acks without one.
 */
char	*sio_encode_ack(long long ack_id, json_object *arg, size_t *len);
/* 40{"sid":"..."} */
char	*sio_encode_connect(const char *sid, size_t *len);
/* 44{"message":"...","data":{"code":"..."}}; no "data" when code is NULL. */
char	*sio_encode_connect_error(const char *message, const char *code,
	    size_t *len);
/* 41 */
char	*sio_encode_disconnect(size_t *len);
/*
 * 0{"sid":..,"upgrades":["websocket"] or [],"pingInterval":..,
 * "pingTimeout":..,"maxPayload":..}, all numbers JSON integers.
 */
char	*eio_encode_open(const char *sid, int websocket_upgrade,
	    long ping_interval_ms, long ping_timeout_ms, long max_payload,
	    size_t *len);

#endif
