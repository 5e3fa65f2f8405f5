/*
 * codec.c - Engine.IO v4 and Socket.IO v5 text packets.
 *
 * The decoder follows the socket.io-parser 4.x grammar but is stricter
 * wherever that costs a stock client nothing: the JSON must be exactly
 * what JSON.stringify() could have written (json-c alone also takes NaN,
 * "1." and raw control bytes, and would hand them back verbatim to other
 * clients, whose JSON.parse() would then drop the connection).
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "codec.h"
#include "jsonio.h"

/* The clients' own event names: a packet naming one is a parse error. */
static const char *const reserved_events[] = {
	"connect", "connect_error", "disconnect", "disconnecting",
	"newListener", "removeListener"
};

/* --- Engine.IO -------------------------------------------------------- */

int
eio_decode(const char *buf, size_t len, enum eio_type *type,
    const char **payload, size_t *plen)
{
	if (len == 0 || buf[0] < '0' || buf[0] > '6')
		return -1;
	*type = (enum eio_type)(buf[0] - '0');
	*payload = buf + 1;
	*plen = len - 1;
	return 0;
}

int
eio_payload_next(const char *buf, size_t len, size_t *off, const char **pkt,
    size_t *pktlen)
{
	const char *sep;
	size_t end;

	/* len + 1 marks "the last packet had no separator after it". */
	if (*off > len)
		return 0;
	/* Nothing left, yet no end mark: an empty body or a trailing 0x1e. */
	if (*off == len)
		return -1;
	sep = memchr(buf + *off, CODEC_PAYLOAD_SEP, len - *off);
	end = sep != NULL ? (size_t)(sep - buf) : len;
	if (end == *off)
		return -1;
	*pkt = buf + *off;
	*pktlen = end - *off;
	*off = end + 1;
	return 1;
}

/* --- Socket.IO: decoding ---------------------------------------------- */

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
fail(const char **why, const char *reason)
{
	*why = reason;
	return -1;
}

static void
packet_init(struct sio_packet *p)
{
	memset(p, 0, sizeof(*p));
	p->type = SIO_CONNECT;
	p->nsp[0] = '/';
	p->ack_id = -1;
}

void
sio_packet_clear(struct sio_packet *p)
{
	if (p == NULL)
		return;
	json_object_put(p->data);
	packet_init(p);
}

int
sio_event_reserved(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(reserved_events) / sizeof(reserved_events[0]);
	    i++)
		if (strcmp(name, reserved_events[i]) == 0)
			return 1;
	return 0;
}

/* "<count>-" after a binary type: 1..10, no leading zero. */
static int
parse_attachments(const char *buf, size_t len, size_t *i, int *count,
    const char **why)
{
	size_t j = *i;
	int n = 0;

	/* Three digits are enough to tell a count over 10 from a valid one. */
	while (j < len && j - *i < 3 && is_digit(buf[j]))
		n = n * 10 + (buf[j++] - '0');
	if (j == *i || j == len || buf[j] != '-')
		return fail(why, "binary packet without an attachment count");
	if (buf[*i] == '0' || n < 1 || n > CODEC_MAX_ATTACHMENTS)
		return fail(why, "attachment count not in 1..10");
	*count = n;
	*i = j + 1;
	return 0;
}

/* "/name," - absent means "/".  The ',' is what clients always send. */
static int
parse_nsp(const char *buf, size_t len, size_t *i, char *nsp, const char **why)
{
	const char *comma;
	size_t n, k, avail;

	if (*i == len || buf[*i] != '/')
		return 0;
	/* Look no further than the longest namespace we keep. */
	avail = len - *i;
	if (avail > CODEC_EVENT_MAX + 1)
		avail = CODEC_EVENT_MAX + 1;
	if ((comma = memchr(buf + *i, ',', avail)) == NULL)
		return fail(why, avail > CODEC_EVENT_MAX ?
		    "namespace too long" : "namespace not followed by ','");
	n = (size_t)(comma - (buf + *i));
	for (k = 0; k < n; k++)
		if ((unsigned char)buf[*i + k] < 0x20 || buf[*i + k] == 0x7f)
			return fail(why, "control character in namespace");
	memcpy(nsp, buf + *i, n);
	nsp[n] = '\0';
	*i += n + 1;
	return 0;
}

/* Digits right before the JSON: an ack id, bounded so a double holds it. */
static int
parse_ack_id(const char *buf, size_t len, size_t *i, long long *id,
    const char **why)
{
	unsigned long long v = 0;
	size_t j = *i;

	while (j < len && is_digit(buf[j])) {
		if (j - *i == CODEC_ACK_DIGITS)
			return fail(why, "ack id longer than 16 digits");
		v = v * 10 + (unsigned)(buf[j++] - '0');
	}
	if (j == *i)
		return 0;
	if (v > (unsigned long long)CODEC_MAX_ACK_ID)
		return fail(why, "ack id over 2^53-1");
	*id = (long long)v;
	*i = j;
	return 0;
}

/* Length of an RFC 8259 number at s, or 0 if none starts there. */
static size_t
digits(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && is_digit(s[i]))
		i++;
	return i;
}

static size_t
number_len(const char *s, size_t len)
{
	size_t i = 0, d;

	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++;
	else if ((d = digits(s + i, len - i)) > 0)
		i += d;
	else
		return 0;
	if (i < len && s[i] == '.') {
		if ((d = digits(s + i + 1, len - i - 1)) == 0)
			return 0;
		i += 1 + d;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if ((d = digits(s + i, len - i)) == 0)
			return 0;
		i += d;
	}
	return i;
}

static int
number_char(char c)
{
	return is_digit(c) || c == '-' || c == '+' || c == '.' || c == 'e' ||
	    c == 'E';
}

/* White space, structure, and the letters of true, false and null. */
static int
json_plain_char(unsigned char c)
{
	/* strchr() would find the terminating NUL too. */
	return c != '\0' && strchr(" \t\n\r[]{}:,truefalsn", c) != NULL;
}

/*
 * The lexical rules json-c's strict mode leaves out: no raw control bytes
 * in strings, numbers in RFC 8259 form, no NaN or Infinity.  Structure
 * and the literals true/false/null are left to json-c.
 */
static int
json_lexically_strict(const char *s, size_t len, const char **why)
{
	size_t i = 0, n;
	int in_string = 0;
	unsigned char c;

	while (i < len) {
		c = (unsigned char)s[i];
		if (in_string) {
			if (c < 0x20)
				return fail(why,
				    "control character in a JSON string");
			if (c == '\\')
				i++;	/* json-c checks the escape */
			else if (c == '"')
				in_string = 0;
			i++;
		} else if (c == '"') {
			in_string = 1;
			i++;
		} else if (c == '-' || is_digit((char)c)) {
			n = number_len(s + i, len - i);
			if (n == 0 || (i + n < len && number_char(s[i + n])))
				return fail(why,
				    "JSON number not in RFC 8259 form");
			i += n;
		} else if (json_plain_char(c))
			i++;
		else
			return fail(why, "unexpected character in JSON");
	}
	return 0;
}

/* json-c turns 1e400 into infinity; no client could have meant that. */
static int
json_finite(json_object *o)
{
	struct json_object_iterator it, end;
	size_t i, n;

	switch (json_object_get_type(o)) {
	case json_type_double:
		return isfinite(json_object_get_double(o));
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (!json_finite(json_object_array_get_idx(o, i)))
				return 0;
		return 1;
	case json_type_object:
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it))
			if (!json_finite(json_object_iter_peek_value(&it)))
				return 0;
		return 1;
	default:
		return 1;
	}
}

/*
 * The JSON after the header: one array or object and nothing else, not
 * even white space (json-c would skip it; one spelling per packet).
 */
static int
parse_json(const char *buf, size_t len, json_object **out, const char **why)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *o;
	size_t end;

	*out = NULL;
	if (!((buf[0] == '[' && buf[len - 1] == ']') ||
	    (buf[0] == '{' && buf[len - 1] == '}')))
		return fail(why, "payload is not a JSON array or object");
	if (json_lexically_strict(buf, len, why) == -1)
		return -1;
	if ((tok = json_tokener_new_ex(CODEC_MAX_DEPTH)) == NULL)
		return fail(why, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (o == NULL || jerr != json_tokener_success || end != len) {
		json_object_put(o);
		return fail(why, jerr == json_tokener_error_depth ?
		    "JSON nested too deeply" : "payload is not valid JSON");
	}
	if (!json_finite(o)) {
		json_object_put(o);
		return fail(why, "JSON number out of range");
	}
	*out = o;
	return 0;
}

/* ["name", arg, ...]: point event and arg into the data. */
static int
check_event(struct sio_packet *p, const char **why)
{
	json_object *name;
	const char *s;
	size_t n;

	if (p->data == NULL || !json_object_is_type(p->data, json_type_array) ||
	    json_object_array_length(p->data) == 0)
		return fail(why, "event payload must be a non-empty array");
	name = json_object_array_get_idx(p->data, 0);
	if (!json_object_is_type(name, json_type_string))
		return fail(why, "event name must be a string");
	s = json_object_get_string(name);
	n = (size_t)json_object_get_string_len(name);
	if (n == 0 || n > CODEC_EVENT_MAX)
		return fail(why, "event name must have 1 to 64 bytes");
	/* "\u0000" would cut the C string and change the name. */
	if (strlen(s) != n)
		return fail(why, "NUL in event name");
	if (sio_event_reserved(s))
		return fail(why, "reserved event name");
	p->event = s;
	if (json_object_array_length(p->data) > 1)
		p->arg = json_object_array_get_idx(p->data, 1);
	return 0;
}

static int
check_ack(struct sio_packet *p, const char **why)
{
	if (p->ack_id < 0)
		return fail(why, "ack without an id");
	if (p->data == NULL || !json_object_is_type(p->data, json_type_array))
		return fail(why, "ack payload must be an array");
	if (json_object_array_length(p->data) > 0)
		p->arg = json_object_array_get_idx(p->data, 0);
	return 0;
}

static int
check_payload(struct sio_packet *p, const char **why)
{
	switch (p->type) {
	case SIO_CONNECT:
		if (p->data != NULL &&
		    !json_object_is_type(p->data, json_type_object))
			return fail(why, "CONNECT payload must be an object");
		return 0;
	case SIO_DISCONNECT:
		if (p->data != NULL)
			return fail(why, "DISCONNECT takes no payload");
		return 0;
	case SIO_EVENT:
	case SIO_BINARY_EVENT:
		return check_event(p, why);
	case SIO_ACK:
	case SIO_BINARY_ACK:
		return check_ack(p, why);
	case SIO_CONNECT_ERROR:
	default:
		return fail(why, "CONNECT_ERROR is server-to-client only");
	}
}

static int
takes_ack_id(enum sio_type t)
{
	return t == SIO_EVENT || t == SIO_ACK || t == SIO_BINARY_EVENT ||
	    t == SIO_BINARY_ACK;
}

static int
decode_header(const char *buf, size_t len, size_t *i, struct sio_packet *p,
    const char **why)
{
	if (buf[0] < '0' || buf[0] > '6')
		return fail(why, "unknown Socket.IO packet type");
	p->type = (enum sio_type)(buf[0] - '0');
	/* A client has no business sending it; refuse before parsing. */
	if (p->type == SIO_CONNECT_ERROR)
		return fail(why, "CONNECT_ERROR is server-to-client only");
	*i = 1;
	if ((p->type == SIO_BINARY_EVENT || p->type == SIO_BINARY_ACK) &&
	    parse_attachments(buf, len, i, &p->attachments, why) == -1)
		return -1;
	if (parse_nsp(buf, len, i, p->nsp, why) == -1)
		return -1;
	if (*i < len && is_digit(buf[*i]) && !takes_ack_id(p->type))
		return fail(why, "ack id on a packet that takes none");
	return parse_ack_id(buf, len, i, &p->ack_id, why);
}

int
sio_decode(const char *buf, size_t len, struct sio_packet *out,
    const char **why)
{
	const char *ignored;
	size_t i = 0;

	if (why == NULL)
		why = &ignored;
	packet_init(out);
	if (len == 0)
		return fail(why, "empty Socket.IO packet");
	/* json-c takes an int length. */
	if (len > INT_MAX)
		return fail(why, "packet too large");
	if (!utf8_valid(buf, len))
		return fail(why, "packet is not valid UTF-8");
	if (decode_header(buf, len, &i, out, why) == -1)
		goto bad;
	if (i < len && parse_json(buf + i, len - i, &out->data, why) == -1)
		goto bad;
	if (check_payload(out, why) == -1)
		goto bad;
	return 0;
bad:
	sio_packet_clear(out);
	return -1;
}

/* --- Socket.IO and Engine.IO: encoding -------------------------------- */

/*
 * prefix + the compact JSON text of o, in one malloc'd string.  Refuses
 * text that is not UTF-8: a WebSocket text frame must be, and a client
 * would drop the connection.
 */
static char *
frame(const char *prefix, json_object *o, size_t *len)
{
	const char *text;
	size_t plen, tlen;
	char *s;

	if (o == NULL || (text = jsonio_text(o, &tlen)) == NULL)
		return NULL;
	if (!utf8_valid(text, tlen))
		return NULL;
	plen = strlen(prefix);
	if (tlen > SIZE_MAX - plen - 1)
		return NULL;
	if ((s = malloc(plen + tlen + 1)) == NULL)
		return NULL;
	memcpy(s, prefix, plen);
	memcpy(s + plen, text, tlen);
	s[plen + tlen] = '\0';
	*len = plen + tlen;
	return s;
}

/* frame() that also puts o, so that callers can return frame_put(...). */
static char *
frame_put(const char *prefix, json_object *o, size_t *len)
{
	char *s;

	s = frame(prefix, o, len);
	json_object_put(o);
	return s;
}

/* The Engine.IO + Socket.IO header: "42" or "42<id>". */
static int
header(char *buf, size_t size, const char *type, long long ack_id)
{
	int n;

	if (ack_id < 0)
		n = snprintf(buf, size, "%s", type);
	else
		n = snprintf(buf, size, "%s%lld", type, ack_id);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Append v, owned, to array a; v is put if that fails. */
static int
array_add(json_object *a, json_object *v)
{
	if (json_object_array_add(a, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* Add v, owned, to object o under key; NULL v means allocation failed. */
static int
object_add(json_object *o, const char *key, json_object *v)
{
	if (v == NULL)
		return -1;
	if (json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* A string value that really exists: NULL means allocation failed. */
static int
array_add_string(json_object *a, const char *s)
{
	json_object *v;

	if ((v = json_object_new_string(s)) == NULL)
		return -1;
	return array_add(a, v);
}

static int
valid_ack_id(long long id)
{
	return id >= 0 && id <= CODEC_MAX_ACK_ID;
}

char *
sio_encode_event_with_id(const char *event, long long ack_id,
    json_object *arg, size_t *len)
{
	char hdr[32];
	json_object *a;
	size_t n;

	if (event == NULL || (ack_id != -1 && !valid_ack_id(ack_id)))
		return NULL;
	n = strlen(event);
	if (n == 0 || n > CODEC_EVENT_MAX || sio_event_reserved(event))
		return NULL;
	if (header(hdr, sizeof(hdr), "42", ack_id) == -1)
		return NULL;
	if ((a = json_object_new_array()) == NULL)
		return NULL;
	/* arg is borrowed: take a reference for the array to drop. */
	if (array_add_string(a, event) == -1 ||
	    (arg != NULL && array_add(a, json_object_get(arg)) == -1)) {
		json_object_put(a);
		return NULL;
	}
	return frame_put(hdr, a, len);
}

char *
sio_encode_event(const char *event, json_object *arg, size_t *len)
{
	return sio_encode_event_with_id(event, -1, arg, len);
}

char *
sio_encode_ack(long long ack_id, json_object *arg, size_t *len)
{
	char hdr[32];
	json_object *a;

	if (!valid_ack_id(ack_id) || header(hdr, sizeof(hdr), "43",
	    ack_id) == -1)
		return NULL;
	if ((a = json_object_new_array()) == NULL)
		return NULL;
	/* NULL is JSON null: still one argument. */
	if (array_add(a, json_object_get(arg)) == -1) {
		json_object_put(a);
		return NULL;
	}
	return frame_put(hdr, a, len);
}

char *
sio_encode_connect(const char *sid, size_t *len)
{
	json_object *o;

	if (sid == NULL || (o = json_object_new_object()) == NULL)
		return NULL;
	if (object_add(o, "sid", json_object_new_string(sid)) == -1) {
		json_object_put(o);
		return NULL;
	}
	return frame_put("40", o, len);
}

char *
sio_encode_connect_error(const char *message, const char *code, size_t *len)
{
	json_object *o, *data;

	if (message == NULL || (o = json_object_new_object()) == NULL)
		return NULL;
	if (object_add(o, "message", json_object_new_string(message)) == -1)
		goto bad;
	if (code != NULL) {
		if ((data = json_object_new_object()) == NULL)
			goto bad;
		if (object_add(data, "code", json_object_new_string(code)) ==
		    -1) {
			json_object_put(data);
			goto bad;
		}
		if (object_add(o, "data", data) == -1)
			goto bad;
	}
	return frame_put("44", o, len);
bad:
	json_object_put(o);
	return NULL;
}

char *
sio_encode_disconnect(size_t *len)
{
	char *s;

	if ((s = strdup("41")) == NULL)
		return NULL;
	*len = 2;
	return s;
}

char *
eio_encode_open(const char *sid, int websocket_upgrade, long ping_interval_ms,
    long ping_timeout_ms, long max_payload, size_t *len)
{
	json_object *o, *up;

	if (sid == NULL || (o = json_object_new_object()) == NULL)
		return NULL;
	if (object_add(o, "sid", json_object_new_string(sid)) == -1)
		goto bad;
	/* A list even when empty: the Dart client wants one. */
	if ((up = json_object_new_array()) == NULL)
		goto bad;
	if (object_add(o, "upgrades", up) == -1)
		goto bad;
	if (websocket_upgrade && array_add_string(up, "websocket") == -1)
		goto bad;
	/* Integers, never doubles: the Dart client parses them as int. */
	if (object_add(o, "pingInterval",
	    json_object_new_int64(ping_interval_ms)) == -1 ||
	    object_add(o, "pingTimeout",
	    json_object_new_int64(ping_timeout_ms)) == -1 ||
	    object_add(o, "maxPayload",
	    json_object_new_int64(max_payload)) == -1)
		goto bad;
	return frame_put("0", o, len);
bad:
	json_object_put(o);
	return NULL;
}
