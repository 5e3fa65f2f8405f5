/*
 * check_codec.c - unit tests for pushd/codec.c.
 *
 * Engine.IO packets and polling bodies, Socket.IO packets as a client
 * sends them (every rule of sio_decode(), each with inputs it takes and
 * inputs it refuses), the exact text of every encoder, and encode ->
 * decode round trips.  Frames are written as they travel, Engine.IO
 * type digit included ("42[...]").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"
#include <json-c/json.h>

#include "codec.h"

/* A byte-string literal and its length, NULs included. */
#define B(lit)	(lit), sizeof(lit) - 1
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* JSON from trusted test text; NULL text gives NULL (JSON null). */
static json_object *
js(const char *text)
{
	json_object *o;

	if (text == NULL)
		return NULL;
	o = json_tokener_parse(text);
	ck_assert_msg(o != NULL || strcmp(text, "null") == 0, "test JSON %s",
	    text);
	return o;
}

/* A whole Engine.IO frame carrying a Socket.IO packet. */
static int
decode_frame(const char *frame, size_t len, struct sio_packet *p,
    const char **why)
{
	enum eio_type type;
	const char *payload;
	size_t plen;

	*why = NULL;
	if (eio_decode(frame, len, &type, &payload, &plen) == -1) {
		*why = "not an Engine.IO packet";
		return -1;
	}
	if (type != EIO_MESSAGE) {
		*why = "not an Engine.IO MESSAGE";
		return -1;
	}
	return sio_decode(payload, plen, p, why);
}

/* An event whose JSON nests d deep: 42["a",[[...]]]. */
static char *
nested_event(int d, size_t *len)
{
	char *buf, *p;
	int i;

	buf = malloc((size_t)d * 2 + 16);
	ck_assert_ptr_nonnull(buf);
	p = buf;
	memcpy(p, "42[\"a\"", 6);
	p += 6;
	if (d > 1)
		*p++ = ',';
	for (i = 1; i < d; i++)
		*p++ = '[';
	for (i = 1; i < d; i++)
		*p++ = ']';
	*p++ = ']';
	*p = '\0';
	*len = (size_t)(p - buf);
	return buf;
}

/* A CONNECT whose auth object nests d deep: 40{"a":{"a":...{}}}. */
static char *
nested_connect(int d, size_t *len)
{
	char *buf, *p;
	int i;

	buf = malloc((size_t)d * 6 + 8);
	ck_assert_ptr_nonnull(buf);
	p = buf;
	memcpy(p, "40", 2);
	p += 2;
	for (i = 1; i < d; i++) {
		memcpy(p, "{\"a\":", 5);
		p += 5;
	}
	memcpy(p, "{}", 2);
	p += 2;
	for (i = 1; i < d; i++)
		*p++ = '}';
	*p = '\0';
	*len = (size_t)(p - buf);
	return buf;
}

/* A string of n copies of c. */
static char *
repeat(char c, size_t n)
{
	char *s;

	s = malloc(n + 1);
	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Concatenate up to three strings into a fresh buffer. */
static char *
cat3(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s;

	s = malloc(la + lb + lc + 1);
	ck_assert_ptr_nonnull(s);
	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	memcpy(s + la + lb, c, lc + 1);
	return s;
}

/* --- Engine.IO packets ------------------------------------------------ */

static const struct {
	const char	*in;
	size_t		 len;
	int		 ret;
	enum eio_type	 type;
	const char	*payload;
} eio_cases[] = {
	{ B("0{\"sid\":\"x\"}"), 0, EIO_OPEN, "{\"sid\":\"x\"}" },
	{ B("1"), 0, EIO_CLOSE, "" },
	{ B("2"), 0, EIO_PING, "" },
	{ B("2probe"), 0, EIO_PING, "probe" },
	{ B("3"), 0, EIO_PONG, "" },
	{ B("3probe"), 0, EIO_PONG, "probe" },
	{ B("4"), 0, EIO_MESSAGE, "" },
	{ B("42[\"a\"]"), 0, EIO_MESSAGE, "2[\"a\"]" },
	{ B("5"), 0, EIO_UPGRADE, "" },
	{ B("6"), 0, EIO_NOOP, "" },
	{ B("7"), -1, EIO_OPEN, NULL },
	{ B("9"), -1, EIO_OPEN, NULL },
	{ B(""), -1, EIO_OPEN, NULL },
	{ B("a"), -1, EIO_OPEN, NULL },
	{ B("bAQID"), -1, EIO_OPEN, NULL },	/* base64 binary packet */
	{ B("/4"), -1, EIO_OPEN, NULL },
	{ B(" 4"), -1, EIO_OPEN, NULL },
	{ B("\0" "4"), -1, EIO_OPEN, NULL },
};

START_TEST(eio_loop)
{
	enum eio_type type = EIO_NOOP;
	const char *payload = NULL;
	size_t plen = 12345;
	int ret;

	ret = eio_decode(eio_cases[_i].in, eio_cases[_i].len, &type, &payload,
	    &plen);
	ck_assert_msg(ret == eio_cases[_i].ret, "eio_decode(\"%s\") = %d",
	    eio_cases[_i].in, ret);
	if (ret == -1)
		return;
	ck_assert_int_eq(type, eio_cases[_i].type);
	ck_assert_ptr_eq(payload, eio_cases[_i].in + 1);
	ck_assert_uint_eq(plen, strlen(eio_cases[_i].payload));
	ck_assert(memcmp(payload, eio_cases[_i].payload, plen) == 0);
}
END_TEST

START_TEST(eio_all_digits)
{
	enum eio_type type;
	const char *payload;
	size_t plen;
	char c[1];

	for (c[0] = '0'; c[0] <= '6'; c[0]++) {
		ck_assert_int_eq(eio_decode(c, 1, &type, &payload, &plen), 0);
		ck_assert_int_eq(type, c[0] - '0');
		ck_assert_uint_eq(plen, 0);
	}
}
END_TEST

/* --- polling bodies --------------------------------------------------- */

/* Packets are listed joined by '|'; end is the last return: 0 or -1. */
static const struct {
	const char	*in;
	size_t		 len;
	const char	*packets;
	size_t		 plen;
	int		 end;
} split_cases[] = {
	{ B("4hello"), B("4hello"), 0 },
	{ B("2"), B("2"), 0 },
	{ B("2\x1e" "3\x1e" "40"), B("2|3|40"), 0 },
	{ B("42[\"a\"]\x1e" "42[\"b\"]"), B("42[\"a\"]|42[\"b\"]"), 0 },
	{ B(""), B(""), -1 },
	{ B("\x1e"), B(""), -1 },
	{ B("\x1e" "a"), B(""), -1 },
	{ B("a\x1e"), B("a"), -1 },
	{ B("a\x1e\x1e" "b"), B("a"), -1 },
	{ B("a\x1e" "b\x1e"), B("a|b"), -1 },
	{ B("a\0b\x1e" "c"), B("a\0b|c"), 0 },	/* NUL is no separator */
};

START_TEST(split_loop)
{
	const char *buf = split_cases[_i].in, *pkt;
	char got[64];
	size_t len = split_cases[_i].len, off = 0, pktlen, n = 0;
	int ret;

	while ((ret = eio_payload_next(buf, len, &off, &pkt, &pktlen)) == 1) {
		ck_assert_uint_gt(pktlen, 0);
		ck_assert(pkt >= buf && pkt + pktlen <= buf + len);
		ck_assert_uint_lt(n + pktlen + 1, sizeof(got));
		if (n > 0)
			got[n++] = '|';
		memcpy(got + n, pkt, pktlen);
		n += pktlen;
	}
	ck_assert_int_eq(ret, split_cases[_i].end);
	ck_assert_uint_eq(n, split_cases[_i].plen);
	ck_assert(memcmp(got, split_cases[_i].packets, n) == 0);
	/* The verdict sticks. */
	ck_assert_int_eq(eio_payload_next(buf, len, &off, &pkt, &pktlen), ret);
}
END_TEST

START_TEST(split_end_mark)
{
	const char *pkt;
	size_t off = 0, pktlen;

	ck_assert_int_eq(eio_payload_next(B("ab"), &off, &pkt, &pktlen), 1);
	ck_assert_uint_eq(off, 3);	/* len + 1: no separator after it */
	ck_assert_int_eq(eio_payload_next(B("ab"), &off, &pkt, &pktlen), 0);
	off = 0;
	ck_assert_int_eq(eio_payload_next(B("ab\x1e"), &off, &pkt, &pktlen),
	    1);
	ck_assert_uint_eq(off, 3);	/* len: a separator, then nothing */
	ck_assert_int_eq(eio_payload_next(B("ab\x1e"), &off, &pkt, &pktlen),
	    -1);
	/* An empty body, even with no buffer at all. */
	off = 0;
	ck_assert_int_eq(eio_payload_next(NULL, 0, &off, &pkt, &pktlen), -1);
}
END_TEST

/* --- Socket.IO: accepted ---------------------------------------------- */

static const struct {
	const char	*in;
	size_t		 len;
	enum sio_type	 type;
	int		 attachments;
	const char	*nsp;
	long long	 ack_id;
	const char	*event;
	const char	*data;	/* JSON text, NULL for no payload */
	const char	*arg;	/* JSON text, NULL for none */
} good[] = {
	{ B("40"), SIO_CONNECT, 0, "/", -1, NULL, NULL, NULL },
	{ B("40{\"token\":\"abc\"}"), SIO_CONNECT, 0, "/", -1, NULL,
	    "{\"token\":\"abc\"}", NULL },
	{ B("40{}"), SIO_CONNECT, 0, "/", -1, NULL, "{}", NULL },
	{ B("40/admin,"), SIO_CONNECT, 0, "/admin", -1, NULL, NULL, NULL },
	{ B("40/admin,{\"token\":\"x\"}"), SIO_CONNECT, 0, "/admin", -1, NULL,
	    "{\"token\":\"x\"}", NULL },
	{ B("41"), SIO_DISCONNECT, 0, "/", -1, NULL, NULL, NULL },
	{ B("41/admin,"), SIO_DISCONNECT, 0, "/admin", -1, NULL, NULL, NULL },
	{ B("42[\"a\",{\"x\":1}]"), SIO_EVENT, 0, "/", -1, "a",
	    "[\"a\",{\"x\":1}]", "{\"x\":1}" },
	{ B("42[\"a\"]"), SIO_EVENT, 0, "/", -1, "a", "[\"a\"]", NULL },
	{ B("42[\"a\",1,2]"), SIO_EVENT, 0, "/", -1, "a", "[\"a\",1,2]", "1" },
	{ B("42[\"a\",null]"), SIO_EVENT, 0, "/", -1, "a", "[\"a\",null]",
	    NULL },
	{ B("42[\"a\",\"\"]"), SIO_EVENT, 0, "/", -1, "a", "[\"a\",\"\"]",
	    "\"\"" },
	{ B("42[ \"a\" ,\t1\r\n]"), SIO_EVENT, 0, "/", -1, "a", "[\"a\",1]",
	    "1" },
	{ B("42[\"message:send\",{\"conversationId\":\"1\",\"text\":\"hi\"}]"),
	    SIO_EVENT, 0, "/", -1, "message:send",
	    "[\"message:send\",{\"conversationId\":\"1\",\"text\":\"hi\"}]",
	    "{\"conversationId\":\"1\",\"text\":\"hi\"}" },
	{ B("4217[\"a\",{}]"), SIO_EVENT, 0, "/", 17, "a", "[\"a\",{}]", "{}" },
	{ B("420[\"a\"]"), SIO_EVENT, 0, "/", 0, "a", "[\"a\"]", NULL },
	{ B("42007[\"a\"]"), SIO_EVENT, 0, "/", 7, "a", "[\"a\"]", NULL },
	{ B("429007199254740991[\"a\"]"), SIO_EVENT, 0, "/", 9007199254740991LL,
	    "a", "[\"a\"]", NULL },
	{ B("420000000000000001[\"a\"]"), SIO_EVENT, 0, "/", 1, "a", "[\"a\"]",
	    NULL },
	{ B("42/admin,[\"a\"]"), SIO_EVENT, 0, "/admin", -1, "a", "[\"a\"]",
	    NULL },
	{ B("42/admin,7[\"a\"]"), SIO_EVENT, 0, "/admin", 7, "a", "[\"a\"]",
	    NULL },
	{ B("42/,[\"a\"]"), SIO_EVENT, 0, "/", -1, "a", "[\"a\"]", NULL },
	{ B("42/a b/\xc3\xa9,[\"a\"]"), SIO_EVENT, 0, "/a b/\xc3\xa9", -1, "a",
	    "[\"a\"]", NULL },
	{ B("42[\"typing:start\",{\"conversationId\":\"1\"}]"), SIO_EVENT, 0,
	    "/", -1, "typing:start",
	    "[\"typing:start\",{\"conversationId\":\"1\"}]",
	    "{\"conversationId\":\"1\"}" },
	{ B("42[\"\xe0\xa4\xa8\xe0\xa4\xae\",\"\xe0\xa4\xb8\xe0\xa5\x8d\"]"),
	    SIO_EVENT, 0, "/", -1, "\xe0\xa4\xa8\xe0\xa4\xae",
	    "[\"\xe0\xa4\xa8\xe0\xa4\xae\",\"\xe0\xa4\xb8\xe0\xa5\x8d\"]",
	    "\"\xe0\xa4\xb8\xe0\xa5\x8d\"" },
	{ B("42[\"a\",\"\\\"\\/\\\\\\u00e9\\ud83d\\ude00\"]"), SIO_EVENT, 0,
	    "/", -1, "a", "[\"a\",\"\\\"/\\\\\xc3\xa9\xf0\x9f\x98\x80\"]",
	    "\"\\\"/\\\\\xc3\xa9\xf0\x9f\x98\x80\"" },
	{ B("42[\"a\",[0,-0,1.5,-2.5e3,1E+2,1e-2,true,false,null]]"),
	    SIO_EVENT, 0, "/", -1, "a",
	    "[\"a\",[0,0,1.5,-2500.0,100.0,0.01,true,false,null]]",
	    "[0,0,1.5,-2500.0,100.0,0.01,true,false,null]" },
	{ B("42[\"a\",9223372036854775807]"), SIO_EVENT, 0, "/", -1, "a",
	    "[\"a\",9223372036854775807]", "9223372036854775807" },
	{ B("437[{\"ok\":true}]"), SIO_ACK, 0, "/", 7, NULL,
	    "[{\"ok\":true}]", "{\"ok\":true}" },
	{ B("435[]"), SIO_ACK, 0, "/", 5, NULL, "[]", NULL },
	{ B("430[1,2]"), SIO_ACK, 0, "/", 0, NULL, "[1,2]", "1" },
	{ B("43/admin,5[1]"), SIO_ACK, 0, "/admin", 5, NULL, "[1]", "1" },
	{ B("451-[\"a\",{\"_placeholder\":true,\"num\":0}]"), SIO_BINARY_EVENT,
	    1, "/", -1, "a", "[\"a\",{\"_placeholder\":true,\"num\":0}]",
	    "{\"_placeholder\":true,\"num\":0}" },
	{ B("4510-[\"a\"]"), SIO_BINARY_EVENT, 10, "/", -1, "a", "[\"a\"]",
	    NULL },
	{ B("452-3[\"up\",{\"_placeholder\":true,\"num\":0},"
	    "{\"_placeholder\":true,\"num\":1}]"), SIO_BINARY_EVENT, 2, "/", 3,
	    "up", "[\"up\",{\"_placeholder\":true,\"num\":0},"
	    "{\"_placeholder\":true,\"num\":1}]",
	    "{\"_placeholder\":true,\"num\":0}" },
	{ B("451-/admin,9[\"a\"]"), SIO_BINARY_EVENT, 1, "/admin", 9, "a",
	    "[\"a\"]", NULL },
	{ B("461-3[{\"_placeholder\":true,\"num\":0}]"), SIO_BINARY_ACK, 1, "/",
	    3, NULL, "[{\"_placeholder\":true,\"num\":0}]",
	    "{\"_placeholder\":true,\"num\":0}" },
};

START_TEST(good_loop)
{
	struct sio_packet p;
	const char *why;
	json_object *want;

	ck_assert_msg(decode_frame(good[_i].in, good[_i].len, &p, &why) == 0,
	    "%s refused: %s", good[_i].in, why);
	ck_assert_int_eq(p.type, good[_i].type);
	ck_assert_int_eq(p.attachments, good[_i].attachments);
	ck_assert_str_eq(p.nsp, good[_i].nsp);
	ck_assert_int_eq(p.ack_id, good[_i].ack_id);
	if (good[_i].event == NULL)
		ck_assert_ptr_null(p.event);
	else
		ck_assert_str_eq(p.event, good[_i].event);
	want = js(good[_i].data);
	ck_assert_msg(json_object_equal(p.data, want), "%s: data %s",
	    good[_i].in, p.data == NULL ? "absent" :
	    json_object_to_json_string(p.data));
	json_object_put(want);
	want = js(good[_i].arg);
	ck_assert_msg(json_object_equal(p.arg, want), "%s: arg %s",
	    good[_i].in, p.arg == NULL ? "absent" :
	    json_object_to_json_string(p.arg));
	json_object_put(want);
	sio_packet_clear(&p);
	ck_assert_ptr_null(p.data);
	ck_assert_ptr_null(p.event);
	ck_assert_ptr_null(p.arg);
	sio_packet_clear(&p);	/* twice is harmless */
}
END_TEST

/* The length is what counts: no NUL terminator needed, none looked for. */
START_TEST(good_uses_len)
{
	static const char buf[] = "2[\"a\",1]xyz";
	struct sio_packet p;
	const char *why;

	ck_assert_int_eq(sio_decode(buf, 8, &p, &why), 0);
	ck_assert_str_eq(p.event, "a");
	ck_assert_int_eq(json_object_get_int(p.arg), 1);
	sio_packet_clear(&p);
	ck_assert_int_eq(sio_decode(buf, 7, &p, &why), -1);
	ck_assert_int_eq(sio_decode(buf, 11, &p, &why), -1);
}
END_TEST

/* The event name and the argument live as long as the packet. */
START_TEST(good_borrowed)
{
	struct sio_packet p;
	const char *why;

	ck_assert_int_eq(decode_frame(B("42[\"evt\",{\"k\":[1,2]}]"), &p,
	    &why), 0);
	ck_assert_ptr_eq(p.event,
	    json_object_get_string(json_object_array_get_idx(p.data, 0)));
	ck_assert_ptr_eq(p.arg, json_object_array_get_idx(p.data, 1));
	sio_packet_clear(&p);
}
END_TEST

/* --- Socket.IO: refused ----------------------------------------------- */

static const struct {
	const char	*in;
	size_t		 len;
	const char	*why;	/* a part of the reason */
} bad[] = {
	/* type */
	{ B("4"), "empty" },
	{ B("47"), "type" },
	{ B("48[\"a\"]"), "type" },
	{ B("4a"), "type" },
	{ B("4abc"), "type" },
	{ B("4 2[\"a\"]"), "type" },
	{ B("4-"), "type" },
	/* CONNECT */
	{ B("40[]"), "object" },
	{ B("40\"x\""), "array or object" },
	{ B("40null"), "array or object" },
	{ B("40 {}"), "array or object" },
	{ B("40{} "), "array or object" },
	{ B("40{}x"), "array or object" },
	{ B("40{}{}"), "not valid JSON" },
	{ B("401"), "ack id" },
	{ B("401{}"), "ack id" },
	{ B("40{\"token\":}"), "not valid JSON" },
	{ B("40{\"token\":\"abc\""), "array or object" },
	/* DISCONNECT */
	{ B("41{}"), "DISCONNECT" },
	{ B("41[]"), "DISCONNECT" },
	{ B("415"), "ack id" },
	{ B("41x"), "array or object" },
	/* EVENT */
	{ B("42"), "non-empty array" },
	{ B("42[]"), "non-empty array" },
	{ B("42{}"), "non-empty array" },
	{ B("42{\"a\":1}"), "non-empty array" },
	{ B("42[1]"), "string" },
	{ B("42[null]"), "string" },
	{ B("42[[\"a\"]]"), "string" },
	{ B("42[\"\"]"), "1 to 64" },
	{ B("42[\"a\\u0000b\"]"), "NUL" },
	{ B("42[\"connect\"]"), "reserved" },
	{ B("42[\"connect_error\",{}]"), "reserved" },
	{ B("42[\"disconnect\"]"), "reserved" },
	{ B("42[\"disconnecting\"]"), "reserved" },
	{ B("42[\"newListener\"]"), "reserved" },
	{ B("42[\"removeListener\"]"), "reserved" },
	{ B("42[\"x\"] trailing"), "array or object" },
	{ B("42[\"x\"] "), "array or object" },
	{ B("42[\"x\"]\n"), "array or object" },
	{ B("42[\"x\"]x]"), "unexpected character" },
	{ B("42[\"x\"][\"y\"]"), "not valid JSON" },
	{ B("42[\"x\"],]"), "not valid JSON" },
	{ B("42 [\"x\"]"), "array or object" },
	{ B("42\"x\""), "array or object" },
	{ B("42[\"x\""), "array or object" },
	{ B("42[\"x\",{\"a\":1]"), "not valid JSON" },
	{ B("42[\"x\",]"), "not valid JSON" },
	{ B("42[\"x\",'y']"), "unexpected character" },
	{ B("42[\"x\",NaN]"), "unexpected character" },
	{ B("42[\"x\",Infinity]"), "unexpected character" },
	{ B("42[\"x\",-Infinity]"), "RFC 8259" },
	{ B("42[\"x\",1.]"), "RFC 8259" },
	{ B("42[\"x\",1.e5]"), "RFC 8259" },
	{ B("42[\"x\",-.5]"), "RFC 8259" },
	{ B("42[\"x\",01]"), "RFC 8259" },
	{ B("42[\"x\",-01]"), "RFC 8259" },
	{ B("42[\"x\",00]"), "RFC 8259" },
	{ B("42[\"x\",+1]"), "unexpected character" },
	{ B("42[\"x\",1e]"), "RFC 8259" },
	{ B("42[\"x\",1e400]"), "out of range" },
	{ B("42[\"x\",-1e400]"), "out of range" },
	{ B("42[\"x\",tru]"), "not valid JSON" },
	{ B("42[\"x\",True]"), "unexpected character" },
	{ B("42[\"x\",\"a\tb\"]"), "control character" },
	{ B("42[\"x\",\"a\nb\"]"), "control character" },
	{ B("42[\"x\",\"a\x01\"]"), "control character" },
	{ B("42[\"x\",\x0c" "1]"), "unexpected character" },
	{ B("42[\"x\",\"\\q\"]"), "not valid JSON" },
	{ B("42[\"x\"\0]"), "unexpected character" },
	{ B("42[\"x\0\"]"), "control character" },
	{ B("42[\"x\",/*c*/1]"), "unexpected character" },
	/* ack ids */
	{ B("429007199254740992[\"a\"]"), "2^53-1" },
	{ B("429999999999999999[\"a\"]"), "2^53-1" },
	{ B("4212345678901234567[\"a\"]"), "16 digits" },
	{ B("4200000000000000001[\"a\"]"), "16 digits" },
	{ B("42999999999999999999999999[\"a\"]"), "16 digits" },
	{ B("42-1[\"a\"]"), "array or object" },
	{ B("42 7[\"a\"]"), "array or object" },
	/* namespaces */
	{ B("42/admin[\"a\"]"), "','" },
	{ B("42/admin"), "','" },
	{ B("40/admin"), "','" },
	{ B("42/ad\x01min,[\"a\"]"), "control character" },
	{ B("42/ad\x7fmin,[\"a\"]"), "control character" },
	{ B("42/ad\0min,[\"a\"]"), "control character" },
	{ B("42/admin,"), "non-empty array" },
	{ B("42/admin,,[\"a\"]"), "array or object" },
	{ B("427/admin,[\"a\"]"), "array or object" },
	/* ACK */
	{ B("43[1]"), "without an id" },
	{ B("43 5[1]"), "array or object" },
	{ B("435"), "array" },
	{ B("435{}"), "array" },
	{ B("435\"x\""), "array or object" },
	{ B("43/admin,[1]"), "without an id" },
	/* CONNECT_ERROR is the server's */
	{ B("44{\"message\":\"x\"}"), "server-to-client" },
	{ B("44"), "server-to-client" },
	{ B("44/admin,{\"message\":\"x\"}"), "server-to-client" },
	{ B("44\"x\""), "server-to-client" },
	/* binary */
	{ B("45[\"a\"]"), "attachment count" },
	{ B("45-[\"a\"]"), "attachment count" },
	{ B("450-[\"a\"]"), "1..10" },
	{ B("4501-[\"a\"]"), "1..10" },
	{ B("4511-[\"a\"]"), "1..10" },
	{ B("4511-"), "1..10" },
	{ B("45100-[\"a\"]"), "attachment count" },
	{ B("451[\"a\"]"), "attachment count" },
	{ B("451"), "attachment count" },
	{ B("451-"), "non-empty array" },
	{ B("451-[\"connect\"]"), "reserved" },
	{ B("451-{}"), "non-empty array" },
	{ B("45"), "attachment count" },
	{ B("461-[1]"), "without an id" },
	{ B("461-3{}"), "array" },
	{ B("46x-3[1]"), "attachment count" },
	/* UTF-8 */
	{ B("42[\"\xff\"]"), "UTF-8" },
	{ B("42[\"a\",\"\xc3\x28\"]"), "UTF-8" },
	{ B("42[\"\xc0\xaf\"]"), "UTF-8" },
	{ B("42[\"\xed\xa0\x80\"]"), "UTF-8" },
	{ B("42[\"\xf4\x90\x80\x80\"]"), "UTF-8" },
	{ B("42[\"a\",\"\xe0\xa4\"]"), "UTF-8" },
	{ B("42/\xff,[\"a\"]"), "UTF-8" },
	{ B("40{\"token\":\"\xfe\"}"), "UTF-8" },
};

START_TEST(bad_loop)
{
	struct sio_packet p;
	const char *why = NULL;

	ck_assert_msg(decode_frame(bad[_i].in, bad[_i].len, &p, &why) == -1,
	    "#%d accepted", _i);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, bad[_i].why) != NULL,
	    "#%d (%s): reason \"%s\", wanted \"%s\"", _i, bad[_i].in, why,
	    bad[_i].why);
	/* Nothing to free, and the packet is left empty. */
	ck_assert_ptr_null(p.data);
	ck_assert_ptr_null(p.event);
	ck_assert_ptr_null(p.arg);
	ck_assert_int_eq(p.ack_id, -1);
}
END_TEST

START_TEST(sio_empty)
{
	struct sio_packet p;
	const char *why = NULL;

	ck_assert_int_eq(sio_decode("", 0, &p, &why), -1);
	ck_assert_ptr_nonnull(why);
	/* A NULL why is allowed. */
	ck_assert_int_eq(sio_decode(B("47"), &p, NULL), -1);
}
END_TEST

START_TEST(sio_depth)
{
	struct sio_packet p;
	const char *why;
	char *buf;
	size_t len;

	buf = nested_event(3, &len);
	ck_assert_str_eq(buf, "42[\"a\",[[]]]");
	free(buf);
	buf = nested_connect(3, &len);
	ck_assert_str_eq(buf, "40{\"a\":{\"a\":{}}}");
	free(buf);

	buf = nested_event(CODEC_MAX_DEPTH, &len);
	ck_assert_msg(decode_frame(buf, len, &p, &why) == 0, "%d levels: %s",
	    CODEC_MAX_DEPTH, why);
	ck_assert_str_eq(p.event, "a");
	sio_packet_clear(&p);
	free(buf);

	buf = nested_event(CODEC_MAX_DEPTH + 1, &len);
	ck_assert_int_eq(decode_frame(buf, len, &p, &why), -1);
	ck_assert_str_eq(why, "JSON nested too deeply");
	free(buf);

	buf = nested_event(5000, &len);
	ck_assert_int_eq(decode_frame(buf, len, &p, &why), -1);
	ck_assert_str_eq(why, "JSON nested too deeply");
	free(buf);

	/* Objects count as much as arrays. */
	buf = nested_connect(CODEC_MAX_DEPTH, &len);
	ck_assert_int_eq(decode_frame(buf, len, &p, &why), 0);
	ck_assert_int_eq(p.type, SIO_CONNECT);
	sio_packet_clear(&p);
	free(buf);
	buf = nested_connect(CODEC_MAX_DEPTH + 1, &len);
	ck_assert_int_eq(decode_frame(buf, len, &p, &why), -1);
	ck_assert_str_eq(why, "JSON nested too deeply");
	free(buf);
}
END_TEST

START_TEST(sio_event_name_length)
{
	struct sio_packet p;
	const char *why;
	char *name, *frame;

	name = repeat('e', CODEC_EVENT_MAX);
	frame = cat3("42[\"", name, "\"]");
	ck_assert_int_eq(decode_frame(frame, strlen(frame), &p, &why), 0);
	ck_assert_str_eq(p.event, name);
	sio_packet_clear(&p);
	free(frame);
	free(name);

	name = repeat('e', CODEC_EVENT_MAX + 1);
	frame = cat3("42[\"", name, "\"]");
	ck_assert_int_eq(decode_frame(frame, strlen(frame), &p, &why), -1);
	ck_assert_str_eq(why, "event name must have 1 to 64 bytes");
	free(frame);
	free(name);

	name = repeat('e', 100000);
	frame = cat3("42[\"", name, "\",{}]");
	ck_assert_int_eq(decode_frame(frame, strlen(frame), &p, &why), -1);
	free(frame);
	free(name);

	/* Bytes, not characters: 21 Devanagari letters are 63 bytes. */
	frame = strdup("42[\"\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95"
	    "\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95"
	    "\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95"
	    "\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95"
	    "\xe0\xa4\x95\xe0\xa4\x95\"]");
	ck_assert_ptr_nonnull(frame);
	ck_assert_int_eq(decode_frame(frame, strlen(frame), &p, &why), 0);
	sio_packet_clear(&p);
	free(frame);
	frame = strdup("42[\"\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95"
	    "\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95"
	    "\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95"
	    "\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95"
	    "\xe0\xa4\x95\xe0\xa4\x95\xe0\xa4\x95\"]");
	ck_assert_ptr_nonnull(frame);
	ck_assert_int_eq(decode_frame(frame, strlen(frame), &p, &why), -1);
	free(frame);
}
END_TEST

START_TEST(sio_nsp_length)
{
	struct sio_packet p;
	const char *why;
	char *name, *frame;

	name = repeat('n', CODEC_EVENT_MAX - 1);
	frame = cat3("42/", name, ",[\"a\"]");
	ck_assert_int_eq(decode_frame(frame, strlen(frame), &p, &why), 0);
	ck_assert_uint_eq(strlen(p.nsp), CODEC_EVENT_MAX);
	ck_assert_str_eq(p.nsp + 1, name);
	sio_packet_clear(&p);
	free(frame);
	free(name);

	name = repeat('n', CODEC_EVENT_MAX);
	frame = cat3("42/", name, ",[\"a\"]");
	ck_assert_int_eq(decode_frame(frame, strlen(frame), &p, &why), -1);
	ck_assert_str_eq(why, "namespace too long");
	free(frame);
	free(name);

	/* No ',' at all in a long one: still "too long". */
	name = repeat('n', 1000);
	frame = cat3("42/", name, "[\"a\"]");
	ck_assert_int_eq(decode_frame(frame, strlen(frame), &p, &why), -1);
	ck_assert_str_eq(why, "namespace too long");
	free(frame);
	free(name);
}
END_TEST

START_TEST(sio_reserved)
{
	ck_assert(sio_event_reserved("connect"));
	ck_assert(sio_event_reserved("removeListener"));
	ck_assert(!sio_event_reserved("Connect"));
	ck_assert(!sio_event_reserved("connect "));
	ck_assert(!sio_event_reserved("message:new"));
	ck_assert(!sio_event_reserved(""));
}
END_TEST

/* --- encoders --------------------------------------------------------- */

/*
 * s must be exactly want, with *len its length, then freed.  A pointer:
 * the encoder that sets it is an argument of the same call.
 */
static void
expect(char *s, const size_t *len, const char *want)
{
	ck_assert_msg(s != NULL, "NULL, wanted %s", want);
	ck_assert_str_eq(s, want);
	ck_assert_uint_eq(*len, strlen(want));
	free(s);
}

START_TEST(enc_event)
{
	json_object *arg;
	size_t len;

	arg = js("{\"a\":\"x\\\"y\"}");
	expect(sio_encode_event("message:new", arg, &len),
	    &len, "42[\"message:new\",{\"a\":\"x\\\"y\"}]");
	/* Still ours: the encoder took its own reference. */
	ck_assert_str_eq(json_object_get_string(json_object_object_get(arg,
	    "a")), "x\"y");
	json_object_put(arg);

	expect(sio_encode_event("a", NULL, &len), &len, "42[\"a\"]");
	arg = json_object_new_string("c/d");
	expect(sio_encode_event("a/b", arg, &len), &len, "42[\"a/b\",\"c/d\"]");
	json_object_put(arg);
	arg = json_object_new_int(1);
	expect(sio_encode_event("say \"hi\"\n\\", arg, &len), &len,
	    "42[\"say \\\"hi\\\"\\n\\\\\",1]");
	expect(sio_encode_event_with_id("a", 5, arg, &len), &len,
	    "425[\"a\",1]");
	expect(sio_encode_event_with_id("a", 0, arg, &len), &len,
	    "420[\"a\",1]");
	expect(sio_encode_event_with_id("a", -1, arg, &len), &len,
	    "42[\"a\",1]");
	expect(sio_encode_event_with_id("a", CODEC_MAX_ACK_ID, arg, &len),
	    &len, "429007199254740991[\"a\",1]");
	json_object_put(arg);
	arg = js("[1,{\"b\":[true,null]},\"\xe0\xa4\xb9\"]");
	expect(sio_encode_event("conversation:updated", arg, &len), &len,
	    "42[\"conversation:updated\",[1,{\"b\":[true,null]},"
	    "\"\xe0\xa4\xb9\"]]");
	json_object_put(arg);
}
END_TEST

START_TEST(enc_event_refused)
{
	json_object *arg;
	char *name, *s;
	size_t len;

	ck_assert_ptr_null(sio_encode_event(NULL, NULL, &len));
	ck_assert_ptr_null(sio_encode_event("", NULL, &len));
	ck_assert_ptr_null(sio_encode_event("connect", NULL, &len));
	ck_assert_ptr_null(sio_encode_event("disconnect", NULL, &len));
	ck_assert_ptr_null(sio_encode_event("\xff", NULL, &len));
	name = repeat('e', CODEC_EVENT_MAX + 1);
	ck_assert_ptr_null(sio_encode_event(name, NULL, &len));
	name[CODEC_EVENT_MAX] = '\0';
	s = sio_encode_event(name, NULL, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(len, CODEC_EVENT_MAX + 6);
	free(s);
	free(name);
	ck_assert_ptr_null(sio_encode_event_with_id("a", -2, NULL, &len));
	ck_assert_ptr_null(sio_encode_event_with_id("a", CODEC_MAX_ACK_ID + 1,
	    NULL, &len));
	/* Not UTF-8 anywhere in the argument: no text frame could carry it. */
	arg = json_object_new_string("ok \xc3");
	ck_assert_ptr_null(sio_encode_event("a", arg, &len));
	ck_assert_ptr_null(sio_encode_ack(1, arg, &len));
	json_object_put(arg);
}
END_TEST

START_TEST(enc_ack)
{
	json_object *arg;
	size_t len;

	arg = js("{\"ok\":true}");
	expect(sio_encode_ack(7, arg, &len), &len, "437[{\"ok\":true}]");
	json_object_put(arg);
	expect(sio_encode_ack(0, NULL, &len), &len, "430[null]");
	arg = js("{\"ok\":false,\"error\":{\"code\":\"binary_unsupported\"}}");
	expect(sio_encode_ack(CODEC_MAX_ACK_ID, arg, &len), &len,
	    "439007199254740991[{\"ok\":false,\"error\":"
	    "{\"code\":\"binary_unsupported\"}}]");
	json_object_put(arg);
	ck_assert_ptr_null(sio_encode_ack(-1, NULL, &len));
	ck_assert_ptr_null(sio_encode_ack(CODEC_MAX_ACK_ID + 1, NULL, &len));
}
END_TEST

START_TEST(enc_connect)
{
	size_t len;

	expect(sio_encode_connect("abc", &len), &len, "40{\"sid\":\"abc\"}");
	expect(sio_encode_connect("a\"b/c", &len), &len,
	    "40{\"sid\":\"a\\\"b/c\"}");
	ck_assert_ptr_null(sio_encode_connect(NULL, &len));
	expect(sio_encode_connect_error("unauthorized", "E_AUTH", &len), &len,
	    "44{\"message\":\"unauthorized\",\"data\":{\"code\":\"E_AUTH\"}}");
	expect(sio_encode_connect_error("bad \"token\"", NULL, &len), &len,
	    "44{\"message\":\"bad \\\"token\\\"\"}");
	ck_assert_ptr_null(sio_encode_connect_error(NULL, "x", &len));
	expect(sio_encode_disconnect(&len), &len, "41");
}
END_TEST

START_TEST(enc_open)
{
	json_object *o, *v;
	enum eio_type type;
	const char *payload;
	size_t len, plen;
	char *s;

	expect(eio_encode_open("s1", 1, 25000, 20000, 1000000, &len), &len,
	    "0{\"sid\":\"s1\",\"upgrades\":[\"websocket\"],"
	    "\"pingInterval\":25000,"
	    "\"pingTimeout\":20000,\"maxPayload\":1000000}");
	expect(eio_encode_open("s/2", 0, 25000, 20000, 1000000, &len), &len,
	    "0{\"sid\":\"s/2\",\"upgrades\":[],\"pingInterval\":25000,"
	    "\"pingTimeout\":20000,\"maxPayload\":1000000}");
	ck_assert_ptr_null(eio_encode_open(NULL, 0, 1, 1, 1, &len));

	/* What a client reads back: an OPEN with integers and a list. */
	s = eio_encode_open("q\"q", 1, 30000, 5000, 2000000, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(eio_decode(s, len, &type, &payload, &plen), 0);
	ck_assert_int_eq(type, EIO_OPEN);
	o = json_tokener_parse(payload);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "sid", &v));
	ck_assert_str_eq(json_object_get_string(v), "q\"q");
	ck_assert(json_object_object_get_ex(o, "upgrades", &v));
	ck_assert(json_object_is_type(v, json_type_array));
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(v,
	    0)), "websocket");
	ck_assert(json_object_object_get_ex(o, "pingInterval", &v));
	ck_assert(json_object_is_type(v, json_type_int));
	ck_assert_int_eq(json_object_get_int64(v), 30000);
	ck_assert(json_object_object_get_ex(o, "maxPayload", &v));
	ck_assert(json_object_is_type(v, json_type_int));
	ck_assert_int_eq(json_object_get_int64(v), 2000000);
	json_object_put(o);
	free(s);
}
END_TEST

/* --- round trips ------------------------------------------------------ */

static const struct {
	const char	*event;
	const char	*arg;	/* JSON text, NULL for none */
} trips[] = {
	{ "message:new", "{\"text\":\"\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8"
	    "\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87 \xe0\xa4\xa6\xe0\xa5\x81"
	    "\xe0\xa4\xa8\xe0\xa4\xbf\xe0\xa4\xaf\xe0\xa4\xbe\"}" },
	{ "\xe0\xa4\xb8\xe0\xa4\x82\xe0\xa4\xa6\xe0\xa5\x87\xe0\xa4\xb6",
	    "\"\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\x82\xe0\xa4\xa6"
	    "\xe0\xa5\x80\"" },
	{ "quote\"d",
	    "{\"q\":\"he said \\\"hi\\\"\",\"b\":\"back\\\\slash\"}" },
	{ "a/b/c", "{\"url\":\"https://example.com/a/b?c=d\",\"s\":\"\\/\"}" },
	{ "ctl", "[\"\\u0001\\n\\t\\r\\b\\f\\u001f\",\"\\u0000\"]" },
	{ "emoji \xf0\x9f\x98\x80", "\"\\ud83d\\ude00 \xf0\x9f\x91\x8d\"" },
	{ "nums", "[0,-1,1.5,-2.5e-3,9007199254740991,1e300]" },
	{ "none", NULL },
	{ "nul", "null" },
	{ "empty", "{}" },
	{ "typing:start", "{\"conversationId\":\"1\"}" },
};

START_TEST(trip_event)
{
	struct sio_packet p;
	json_object *arg;
	const char *why;
	char *s, *again;
	size_t len, len2;

	arg = js(trips[_i].arg);
	s = sio_encode_event_with_id(trips[_i].event, _i, arg, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(decode_frame(s, len, &p, &why) == 0, "%s: %s", s, why);
	ck_assert_int_eq(p.type, SIO_EVENT);
	ck_assert_int_eq(p.ack_id, _i);
	ck_assert_str_eq(p.nsp, "/");
	ck_assert_str_eq(p.event, trips[_i].event);
	ck_assert_msg(json_object_equal(p.arg, arg), "%s", s);
	/* Encoding the decoded packet gives the same text again. */
	again = sio_encode_event_with_id(p.event, p.ack_id, p.arg, &len2);
	ck_assert_ptr_nonnull(again);
	ck_assert_uint_eq(len2, len);
	ck_assert_str_eq(again, s);
	free(again);
	sio_packet_clear(&p);
	free(s);

	s = sio_encode_ack(1000 + _i, arg, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_msg(decode_frame(s, len, &p, &why) == 0, "%s: %s", s, why);
	ck_assert_int_eq(p.type, SIO_ACK);
	ck_assert_int_eq(p.ack_id, 1000 + _i);
	ck_assert_ptr_null(p.event);
	ck_assert(json_object_equal(p.arg, arg));
	sio_packet_clear(&p);
	free(s);
	json_object_put(arg);
}
END_TEST

START_TEST(trip_connect)
{
	struct sio_packet p;
	const char *why;
	json_object *v;
	size_t len;
	char *s;

	s = sio_encode_connect("s\xe0\xa4\x95/\"x", &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(decode_frame(s, len, &p, &why), 0);
	ck_assert_int_eq(p.type, SIO_CONNECT);
	ck_assert(json_object_object_get_ex(p.data, "sid", &v));
	ck_assert_str_eq(json_object_get_string(v), "s\xe0\xa4\x95/\"x");
	sio_packet_clear(&p);
	free(s);

	s = sio_encode_disconnect(&len);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(decode_frame(s, len, &p, &why), 0);
	ck_assert_int_eq(p.type, SIO_DISCONNECT);
	ck_assert_ptr_null(p.data);
	sio_packet_clear(&p);
	free(s);

	/* The server's refusal is not something a client may send back. */
	s = sio_encode_connect_error("unauthorized", "E_AUTH", &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(decode_frame(s, len, &p, &why), -1);
	free(s);
}
END_TEST

/* Several frames in one polling body, each decoded on its own. */
START_TEST(trip_polling)
{
	static const char body[] = "40{\"token\":\"t\"}\x1e"
	    "427[\"message:send\",{\"text\":\"a\x1f\"}]\x1e" "3";
	static const char body2[] = "427[\"message:send\",{\"text\":\"a\"}]\x1e"
	    "41";
	struct sio_packet p;
	enum eio_type type;
	const char *pkt, *payload, *why;
	size_t off = 0, pktlen, plen;

	/* 0x1f is not a separator but a raw control byte in a string. */
	ck_assert_int_eq(eio_payload_next(B(body), &off, &pkt, &pktlen), 1);
	ck_assert_int_eq(decode_frame(pkt, pktlen, &p, &why), 0);
	ck_assert_int_eq(p.type, SIO_CONNECT);
	sio_packet_clear(&p);
	ck_assert_int_eq(eio_payload_next(B(body), &off, &pkt, &pktlen), 1);
	ck_assert_int_eq(decode_frame(pkt, pktlen, &p, &why), -1);
	ck_assert_int_eq(eio_payload_next(B(body), &off, &pkt, &pktlen), 1);
	ck_assert_int_eq(eio_decode(pkt, pktlen, &type, &payload, &plen), 0);
	ck_assert_int_eq(type, EIO_PONG);
	ck_assert_int_eq(eio_payload_next(B(body), &off, &pkt, &pktlen), 0);

	off = 0;
	ck_assert_int_eq(eio_payload_next(B(body2), &off, &pkt, &pktlen), 1);
	ck_assert_int_eq(decode_frame(pkt, pktlen, &p, &why), 0);
	ck_assert_int_eq(p.ack_id, 7);
	ck_assert_str_eq(p.event, "message:send");
	sio_packet_clear(&p);
	ck_assert_int_eq(eio_payload_next(B(body2), &off, &pkt, &pktlen), 1);
	ck_assert_int_eq(decode_frame(pkt, pktlen, &p, &why), 0);
	ck_assert_int_eq(p.type, SIO_DISCONNECT);
	sio_packet_clear(&p);
	ck_assert_int_eq(eio_payload_next(B(body2), &off, &pkt, &pktlen), 0);
}
END_TEST

static Suite *
codec_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("codec");
	tc = tcase_create("eio");
	tcase_add_loop_test(tc, eio_loop, 0, (int)NELEM(eio_cases));
	tcase_add_test(tc, eio_all_digits);
	tcase_add_loop_test(tc, split_loop, 0, (int)NELEM(split_cases));
	tcase_add_test(tc, split_end_mark);
	suite_add_tcase(s, tc);
	tc = tcase_create("decode");
	tcase_add_loop_test(tc, good_loop, 0, (int)NELEM(good));
	tcase_add_test(tc, good_uses_len);
	tcase_add_test(tc, good_borrowed);
	tcase_add_loop_test(tc, bad_loop, 0, (int)NELEM(bad));
	tcase_add_test(tc, sio_empty);
	tcase_add_test(tc, sio_depth);
	tcase_add_test(tc, sio_event_name_length);
	tcase_add_test(tc, sio_nsp_length);
	tcase_add_test(tc, sio_reserved);
	suite_add_tcase(s, tc);
	tc = tcase_create("encode");
	tcase_add_test(tc, enc_event);
	tcase_add_test(tc, enc_event_refused);
	tcase_add_test(tc, enc_ack);
	tcase_add_test(tc, enc_connect);
	tcase_add_test(tc, enc_open);
	suite_add_tcase(s, tc);
	tc = tcase_create("roundtrip");
	tcase_add_loop_test(tc, trip_event, 0, (int)NELEM(trips));
	tcase_add_test(tc, trip_connect);
	tcase_add_test(tc, trip_polling);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(codec_suite());
}
