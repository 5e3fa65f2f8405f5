/*
 * fuzz_codec.c - libFuzzer target for pushd/codec.c.
 *
 * The input is an HTTP long-polling body: it is split on 0x1e and each
 * packet decoded as Engine.IO, then as Socket.IO when it is a MESSAGE.
 * Every packet that decodes is checked against the promises of
 * sio_decode(), and events and acks are encoded again, decoded again,
 * and must come back the same: type, ack id, event name, and an argument
 * json_object_equal() to the first; encoding that must give the same
 * text once more.  The input is also decoded whole as one Socket.IO
 * packet, and its first bytes are fed to the encoders as a sid, an
 * event name and an error message.  Any broken promise aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "codec.h"
#include "jsonio.h"

#define FUZZ_STRING_MAX	96	/* bytes of input tried as an encoder string */

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* The promises of a packet that sio_decode() accepted. */
static void
check_packet(const struct sio_packet *p)
{
	int binary, event, ack;
	size_t n;

	check(p->type >= SIO_CONNECT && p->type <= SIO_BINARY_ACK &&
	    p->type != SIO_CONNECT_ERROR);
	binary = p->type == SIO_BINARY_EVENT || p->type == SIO_BINARY_ACK;
	event = p->type == SIO_EVENT || p->type == SIO_BINARY_EVENT;
	ack = p->type == SIO_ACK || p->type == SIO_BINARY_ACK;
	check(binary ? p->attachments >= 1 &&
	    p->attachments <= CODEC_MAX_ATTACHMENTS : p->attachments == 0);
	check(memchr(p->nsp, '\0', sizeof(p->nsp)) != NULL);
	check(p->nsp[0] == '/' && strlen(p->nsp) <= CODEC_EVENT_MAX);
	check(p->ack_id >= -1 && p->ack_id <= CODEC_MAX_ACK_ID);
	check(!ack || p->ack_id >= 0);
	check(event || ack || p->ack_id == -1);
	if (p->type == SIO_DISCONNECT)
		check(p->data == NULL);
	if (p->type == SIO_CONNECT)
		check(p->data == NULL ||
		    json_object_is_type(p->data, json_type_object));
	if (event || ack)
		check(json_object_is_type(p->data, json_type_array));
	if (event) {
		check(p->event != NULL);
		n = strlen(p->event);
		check(n >= 1 && n <= CODEC_EVENT_MAX);
		check(utf8_valid(p->event, n));
		check(!sio_event_reserved(p->event));
		check(p->arg == json_object_array_get_idx(p->data, 1));
	} else
		check(p->event == NULL);
	if (ack)
		check(p->arg == json_object_array_get_idx(p->data, 0));
	if (!event && !ack)
		check(p->arg == NULL);
}

/* A whole Engine.IO MESSAGE frame, as the encoders write them. */
static int
decode_frame(const char *frame, size_t len, struct sio_packet *p)
{
	enum eio_type type;
	const char *payload, *why = NULL;
	size_t plen;

	check(frame[len] == '\0' && strlen(frame) == len);
	check(eio_decode(frame, len, &type, &payload, &plen) == 0);
	check(type == EIO_MESSAGE);
	if (sio_decode(payload, plen, p, &why) == -1) {
		check(why != NULL);
		return -1;
	}
	check_packet(p);
	return 0;
}

/*
 * Encode an event or an ack from name/id/arg, decode it, and compare;
 * then encode what came back and compare the text.
 */
static void
round_trip(int is_event, const char *name, long long ack_id, json_object *arg)
{
	struct sio_packet q;
	char *s, *again;
	size_t len, len2;

	s = is_event ? sio_encode_event_with_id(name, ack_id, arg, &len) :
	    sio_encode_ack(ack_id, arg, &len);
	check(s != NULL);
	check(decode_frame(s, len, &q) == 0);
	check(q.type == (is_event ? SIO_EVENT : SIO_ACK));
	check(q.ack_id == ack_id);
	check(strcmp(q.nsp, "/") == 0);
	check(is_event ? strcmp(q.event, name) == 0 : q.event == NULL);
	check(json_object_equal(q.arg, arg));
	again = is_event ? sio_encode_event_with_id(q.event, q.ack_id, q.arg,
	    &len2) : sio_encode_ack(q.ack_id, q.arg, &len2);
	check(again != NULL && len2 == len && memcmp(again, s, len) == 0);
	free(again);
	sio_packet_clear(&q);
	free(s);
}

static void
try_sio(const char *buf, size_t len)
{
	struct sio_packet p;
	const char *why = NULL;
	int is_event;

	if (sio_decode(buf, len, &p, &why) == -1) {
		check(why != NULL && p.data == NULL);
		return;
	}
	check_packet(&p);
	if (p.event != NULL || p.type == SIO_ACK ||
	    p.type == SIO_BINARY_ACK) {
		is_event = p.event != NULL;
		round_trip(is_event, p.event, p.ack_id, p.arg);
		/* And without the ack id, the usual server event. */
		if (is_event)
			round_trip(1, p.event, -1, p.arg);
	}
	sio_packet_clear(&p);
	check(p.data == NULL);
}

static void
try_polling(const char *buf, size_t len)
{
	enum eio_type type;
	const char *pkt, *payload;
	size_t off = 0, pktlen, plen, total = 0;
	int ret;

	while ((ret = eio_payload_next(buf, len, &off, &pkt, &pktlen)) == 1) {
		check(pktlen > 0 && pkt >= buf && pkt + pktlen <= buf + len);
		check(memchr(pkt, CODEC_PAYLOAD_SEP, pktlen) == NULL);
		total += pktlen + 1;
		if (eio_decode(pkt, pktlen, &type, &payload, &plen) == -1) {
			check(pkt[0] < '0' || pkt[0] > '6');
			continue;
		}
		check(type == (enum eio_type)(pkt[0] - '0'));
		check(payload == pkt + 1 && plen == pktlen - 1);
		if (type == EIO_MESSAGE)
			try_sio(payload, plen);
	}
	check(ret == 0 || ret == -1);
	/* Every byte was in a packet or a separator, or it stopped early. */
	check(ret == -1 || total == len + 1);
	check(eio_payload_next(buf, len, &off, &pkt, &pktlen) == ret);
}

/* The input's first bytes, up to a NUL, as a C string for the encoders. */
static void
try_encoders(const char *buf, size_t len)
{
	struct sio_packet p;
	char str[FUZZ_STRING_MAX + 1], *s;
	json_object *v, *arg;
	size_t n, slen;
	int valid;

	for (n = 0; n < len && n < FUZZ_STRING_MAX && buf[n] != '\0'; n++)
		str[n] = buf[n];
	str[n] = '\0';
	valid = utf8_valid(str, n);

	/* A sid goes out and comes back as the same string. */
	s = sio_encode_connect(str, &slen);
	check((s != NULL) == valid);
	if (s != NULL) {
		check(decode_frame(s, slen, &p) == 0 && p.type == SIO_CONNECT);
		check(json_object_object_get_ex(p.data, "sid", &v));
		check(strcmp(json_object_get_string(v), str) == 0);
		sio_packet_clear(&p);
		free(s);
	}
	s = eio_encode_open(str, n & 1, 25000, 20000, 1000000, &slen);
	check((s != NULL) == valid);
	if (s != NULL)
		check(s[0] == '0' && strlen(s) == slen);
	free(s);
	s = sio_encode_connect_error(str, str, &slen);
	check((s != NULL) == valid);
	if (s != NULL) {
		/* Clients may not send it: the decoder must refuse. */
		check(decode_frame(s, slen, &p) == -1);
		free(s);
	}

	s = sio_encode_disconnect(&slen);
	check(s != NULL && decode_frame(s, slen, &p) == 0 &&
	    p.type == SIO_DISCONNECT);
	sio_packet_clear(&p);
	free(s);

	/* As an event name: encodable exactly when a client could send it. */
	if ((arg = json_object_new_string(str)) == NULL)
		abort();
	s = sio_encode_event(str, arg, &slen);
	check((s != NULL) == (valid && n >= 1 && n <= CODEC_EVENT_MAX &&
	    !sio_event_reserved(str)));
	if (s != NULL) {
		free(s);
		round_trip(1, str, (long long)n, arg);
		round_trip(0, NULL, (long long)n * 1000003, arg);
	}
	json_object_put(arg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;

	try_polling(buf, size);
	try_sio(buf, size);
	try_encoders(buf, size);
	return 0;
}
