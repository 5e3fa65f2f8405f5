/*
 * fuzz_bodies.c - libFuzzer target for the JSON bodies of every REST
 * endpoint and socket event, and for the datagrams pushd reads.
 *
 * The first byte picks the kind of body (its low nibble and its top two
 * bits, modulo the number of kinds) and the configuration (0x10: the smallest caps the config
 * allows; 0x20: default country code +1 instead of +91); the rest is the
 * JSON text.  It travels the way the real one does, with no database:
 *
 *	REST	refused above limits.max_json_body (http_read_body), then
 *		jsonio_parse_object() (cgi/api.c request_json)
 *	socket	wrapped as the event packet 2["<event>",<text>], decoded by
 *		sio_decode() and refused unless its argument is an object
 *		(pushd/sio.c); frames are capped at 1 MB, above any input here
 *	notify	refused above NOTIFY_MAX, then jsonio_parse_object()
 *		(pushd/dbq.c)
 *
 * and is then handed to the very function the handler calls first:
 * account_login_parse(), account_register_parse(), account_create_parse(),
 * account_change_parse(), label_parse(), canned_create_parse(),
 * canned_change_parse(), chat_send_parse(), rating_parse(),
 * chat_read_ids(), args_join(), args_conversation(), args_read(),
 * args_notify().  An accepted body must give values within their caps
 * (ids >= 1, lengths within limits, enums valid, phones in E.164); a
 * refused one an API_VALIDATION error with a message.  Any broken promise
 * aborts; LeakSanitizer catches what is not freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "account.h"
#include "apierr.h"
#include "args.h"
#include "canned.h"
#include "chat.h"
#include "codec.h"
#include "config.h"
#include "jsonio.h"
#include "label.h"
#include "notify.h"
#include "password.h"
#include "phone.h"
#include "ratings_db.h"
#include "token.h"

#define FUZZ_SMALL	0x10	/* selector bit: smallest caps */
#define FUZZ_CC_1	0x20	/* selector bit: phone.default_cc = +1 */
#define FUZZ_EVENT_MAX	64	/* bytes of "2[\"<event>\"," and "]" */

enum transport { T_REST, T_SOCKET, T_NOTIFY };

struct kind {
	const char	*event;		/* T_SOCKET: the event name */
	enum transport	 transport;
	void		 (*run)(const struct config *, json_object *);
};

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* A refusal: a validation error in words. */
static void
check_refused(const struct api_error *err)
{
	check(err->code == API_VALIDATION);
	check(memchr(err->message, '\0', sizeof(err->message)) != NULL);
	check(err->message[0] != '\0');
}

static void
err_reset(struct api_error *err)
{
	memset(err, 0, sizeof(*err));
	err->code = API_OK;
}

/* A string borrowed from the body: UTF-8, at most max bytes. */
static void
check_str(const char *s, size_t max)
{
	size_t n;

	check(s != NULL);
	n = strlen(s);
	check(n <= max && utf8_valid(s, n));
}

/* E.164, and normalising it again changes nothing. */
static void
check_phone(const struct config *cfg, const char *p)
{
	char again[PHONE_MAX + 1];
	size_t n = strlen(p);

	check(n >= 9 && n <= PHONE_MAX && p[0] == '+' && p[1] != '0');
	check(strspn(p + 1, "0123456789") == n - 1);
	check(phone_normalize(p, cfg->phone_default_cc, again,
	    sizeof(again)) == 0 && strcmp(again, p) == 0);
}

static void
check_id(long long id)
{
	check(id >= 1);
}

/* --- POST /api/v1/users/login, /register ------------------------------- */

static void
run_login(const struct config *cfg, json_object *body)
{
	struct account_login in;
	struct api_error err;

	err_reset(&err);
	if (account_login_parse(cfg, body, &in, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	check_phone(cfg, in.phone);
	check_str(in.password, ACCOUNT_FIELD_MAX);
}

static void
check_name(const char *s)
{
	size_t n = strlen(s), i, chars = 0;

	check(n >= 1 && n <= CHAT_NAME_MAX * 4 && utf8_valid(s, n));
	check(s[0] != ' ' && s[n - 1] != ' ');
	for (i = 0; i < n; i++) {
		check((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	}
	check(chars <= CHAT_NAME_MAX);
}

static void
run_register(const struct config *cfg, json_object *body)
{
	struct account_register in;
	struct api_error err;
	size_t n;

	err_reset(&err);
	if (account_register_parse(cfg, body, &in, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	check_phone(cfg, in.phone);
	check_name(in.name);
	check_str(in.password, PASSWORD_MAX);
	n = strlen(in.password);
	check(n >= PASSWORD_MIN && password_check_rules(in.password) == NULL);
}

/* --- POST /api/v1/users, PATCH /api/v1/users/:id (admins) ---------------- */

static void
run_create(const struct config *cfg, json_object *body)
{
	struct account_register in;
	struct api_error err;
	enum chat_role role;

	err_reset(&err);
	if (account_create_parse(cfg, body, &in, &role, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	check_phone(cfg, in.phone);
	check_name(in.name);
	check(password_check_rules(in.password) == NULL);
	check((unsigned)role < CHAT_NROLES);
}

static void
run_change(const struct config *cfg, json_object *body)
{
	struct account_change c;
	struct api_error err;

	(void)cfg;
	err_reset(&err);
	if (account_change_parse(body, &c, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(c.has_name || c.has_role || c.has_capacity || c.has_disabled);
	if (c.has_name)
		check_name(c.name);
	check(!c.has_role || (unsigned)c.role < CHAT_NROLES);
	check(!c.has_capacity || (c.capacity >= -1 &&
	    c.capacity <= ACCOUNT_CAPACITY_MAX));
	check(!c.has_disabled || c.disabled == 0 || c.disabled == 1);
}

/* --- POST, PATCH /api/v1/chat/canned-responses (admins) ------------------ */

/* What an accepted canned-response body promises: a shortCode, content. */
static void
check_canned(const struct config *cfg, const struct canned_body *c)
{
	size_t n;

	if (c->has_code) {
		n = strlen(c->code);
		check(n >= 1 && n <= CANNED_CODE_MAX);
		check(strspn(c->code, CANNED_CODE_CHARS) == n);
		check(canned_code_ok(c->code));
	}
	if (c->has_content) {
		check_str(c->content, (size_t)cfg->limits_max_message_length);
		check(c->content[strspn(c->content, " \t\r\n")] != '\0');
	} else
		check(c->content == NULL);
}

static void
run_canned_create(const struct config *cfg, json_object *body)
{
	struct canned_body in;
	struct api_error err;

	err_reset(&err);
	if (canned_create_parse(cfg, body, &in, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK && in.has_code && in.has_content);
	check_canned(cfg, &in);
}

static void
run_canned_change(const struct config *cfg, json_object *body)
{
	struct canned_body c;
	struct api_error err;

	err_reset(&err);
	if (canned_change_parse(cfg, body, &c, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK && (c.has_code || c.has_content));
	check_canned(cfg, &c);
}


/* --- POST /api/v1/chat/conversations/:id/rating ----------------------------- */

static void
run_rating(const struct config *cfg, json_object *body)
{
	struct rating_in in;
	struct api_error err;
	size_t n;

	(void)cfg;
	err_reset(&err);
	if (rating_parse(body, &in, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(in.score >= 1 && in.score <= 5);
	if (in.has_comment) {
		n = strlen(in.comment);
		check(n > 0 && n <= RATING_COMMENT_MAX * 4);
		check(utf8_valid(in.comment, n));
		check(strchr(" \t\r\n", in.comment[0]) == NULL);
		check(strchr(" \t\r\n", in.comment[n - 1]) == NULL);
	}
}

/* --- POST /api/v1/chat/labels, PATCH /api/v1/chat/labels/:id (admins) ---- */

static void
check_label(const struct label_in *in, int partial)
{
	size_t i, chars = 0;

	check(in->has_name || in->has_color);
	check(partial || (in->has_name && in->has_color));
	if (in->has_name) {
		check_name(in->name);
		for (i = 0; in->name[i] != '\0'; i++)
			chars += ((unsigned char)in->name[i] & 0xc0) != 0x80;
		check(chars <= LABEL_NAME_MAX);
	}
	if (in->has_color) {
		check(strlen(in->color) == LABEL_COLOR_LEN && in->color[0] == '#');
		check(strspn(in->color + 1, "0123456789abcdef") ==
		    LABEL_COLOR_LEN - 1);
	}
}

static void
run_label(json_object *body, int partial)
{
	struct label_in in;
	struct api_error err;

	err_reset(&err);
	if (label_parse(body, partial, &in, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	check_label(&in, partial);
}

static void
run_label_create(const struct config *cfg, json_object *body)
{
	(void)cfg;
	run_label(body, 0);
}

static void
run_label_patch(const struct config *cfg, json_object *body)
{
	(void)cfg;
	run_label(body, 1);
}

/* --- POST /api/v1/chat/messages, message:send ---------------------------- */

static void
run_send(const struct config *cfg, json_object *body)
{
	struct chat_send req;
	struct api_error err;
	const char *t, *cid;
	size_t n;

	err_reset(&err);
	if (chat_send_parse(cfg, body, &req, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	check_id(req.conversation_id);
	t = req.message_type;
	check(t != NULL);
	if (strcmp(t, "text") == 0) {
		check_str(req.content, (size_t)cfg->limits_max_message_length);
		check(req.content[strspn(req.content, " \t\r\n")] != '\0');
		check(req.media_id == 0);
	} else if (req.is_private) {
		check(0);		/* a note is text */
	} else {
		check(strcmp(t, "image") == 0 || strcmp(t, "video") == 0 ||
		    strcmp(t, "audio") == 0);
		check_id(req.media_id);
		if (req.content != NULL)
			check_str(req.content,
			    (size_t)cfg->limits_max_message_length);
	}
	if ((cid = req.client_message_id) != NULL) {
		n = strlen(cid);
		check(n >= 1 && n <= CHAT_CLIENT_ID_MAX);
		check(strspn(cid, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == n);
	}
}

/* --- message:read, POST /conversations/:id/read -------------------------- */

/* ids (chat_read_ids' text) is a JSON array of the body's messageIds. */
static void
check_read_ids(json_object *body, const char *ids)
{
	json_object *in, *out, *v;
	long long want;
	size_t i, n;

	check(ids != NULL);
	check(json_object_object_get_ex(body, "messageIds", &in));
	check((out = json_tokener_parse(ids)) != NULL);
	check(json_object_is_type(out, json_type_array));
	n = json_object_array_length(out);
	check(n >= 1 && n <= CHAT_READ_IDS_MAX);
	check(n == json_object_array_length(in));
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(out, i);
		check(json_object_is_type(v, json_type_int));
		check(id_parse(json_object_get_string(
		    json_object_array_get_idx(in, i)), &want) == 0);
		check(json_object_get_int64(v) == want && want >= 1);
	}
	json_object_put(out);
}

static void
run_rest_read(const struct config *cfg, json_object *body)
{
	struct api_error err;
	char *ids;

	(void)cfg;
	/* conversations_read: without messageIds it marks them all. */
	if (!json_object_object_get_ex(body, "messageIds", NULL))
		return;
	err_reset(&err);
	if ((ids = chat_read_ids(body, &err)) == NULL) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	check_read_ids(body, ids);
	free(ids);
}

static void
run_read(const struct config *cfg, json_object *arg)
{
	struct api_error err;
	uint64_t conv;
	char *ids = (char *)"sentinel";

	(void)cfg;
	err_reset(&err);
	if (args_read(arg, &conv, &ids, &err) == -1) {
		check(ids == NULL);
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	check(conv >= 1 && conv <= INT64_MAX);
	check_read_ids(arg, ids);
	free(ids);
}

/* --- conversation:join, typing:*, leave, mark-all-read ------------------- */

static void
run_join(const struct config *cfg, json_object *arg)
{
	struct api_error err;
	json_object *v;
	uint64_t conv;
	long long after;

	(void)cfg;
	err_reset(&err);
	if (args_join(arg, &conv, &after, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	check(conv >= 1 && conv <= INT64_MAX);
	/* 0 means no catch-up: only for a missing or null lastMessageId. */
	check(after >= 0);
	if (after == 0)
		check(!json_object_object_get_ex(arg, "lastMessageId", &v) ||
		    v == NULL);
}

static void
run_conversation(const struct config *cfg, json_object *arg)
{
	struct api_error err;
	uint64_t conv;

	(void)cfg;
	err_reset(&err);
	if (args_conversation(arg, &conv, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	check(conv >= 1 && conv <= INT64_MAX);
}

/* --- datagrams from lib/notify.c ----------------------------------------- */

static void
run_notify(const struct config *cfg, json_object *o)
{
	struct args_notify n;
	struct api_error err;

	(void)cfg;
	err_reset(&err);
	if (args_notify(o, &n, &err) == -1) {
		check_refused(&err);
		return;
	}
	check(err.code == API_OK);
	switch (n.type) {
	case ARGS_NOTIFY_MESSAGE:
		check_id(n.message_id);
		break;
	case ARGS_NOTIFY_CONVERSATION:
		check_id(n.conversation_id);
		break;
	case ARGS_NOTIFY_READ:
		check_id(n.conversation_id);
		check_id(n.read_by);
		check_str(n.read_at, ARGS_READ_AT_MAX);
		break;
	case ARGS_NOTIFY_LOGOUT:
		check_id(n.user_id);
		check_str(n.jti, TOKEN_JTI_LEN);
		break;
	default:
		check(0);
	}
}

static const struct kind kinds[] = {
	{ "/api/v1/users/login", T_REST, run_login },
	{ "/api/v1/users/register", T_REST, run_register },
	{ "/api/v1/users", T_REST, run_create },
	{ "/api/v1/users/:id", T_REST, run_change },
	{ "/api/v1/chat/messages", T_REST, run_send },
	{ "message:send", T_SOCKET, run_send },
	{ "/api/v1/chat/conversations/:id/read", T_REST, run_rest_read },
	{ "message:read", T_SOCKET, run_read },
	{ "conversation:join", T_SOCKET, run_join },
	{ "typing:start", T_SOCKET, run_conversation },
	{ "notify", T_NOTIFY, run_notify },
	{ "/api/v1/chat/labels", T_REST, run_label_create },
	{ "/api/v1/chat/labels/:id", T_REST, run_label_patch },
	{ "/api/v1/chat/conversations/:id/rating", T_REST, run_rating },
	{ "/api/v1/chat/canned-responses", T_REST, run_canned_create },
	{ "/api/v1/chat/canned-responses/:id", T_REST, run_canned_change },
};

#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

/* As cgi/api.c and pushd/dbq.c read a body: one object or a refusal. */
static void
try_parsed(const struct kind *k, const struct config *cfg, const char *buf,
    size_t len)
{
	struct api_error err;
	json_object *o;

	if (len > (k->transport == T_REST ?
	    (size_t)cfg->limits_max_json_body : (size_t)NOTIFY_MAX))
		return;
	err_reset(&err);
	if ((o = jsonio_parse_object(buf, len, &err)) == NULL) {
		check(err.code == API_INVALID_JSON && err.message[0] != '\0');
		return;
	}
	check(json_object_is_type(o, json_type_object));
	k->run(cfg, o);
	json_object_put(o);
}

/* As pushd/sio.c reads an event: a packet, then an object argument. */
static void
try_event(const struct kind *k, const struct config *cfg, const char *buf,
    size_t len)
{
	struct sio_packet p;
	const char *why = NULL;
	char *pkt;
	size_t n;

	if ((pkt = malloc(len + FUZZ_EVENT_MAX)) == NULL)
		abort();
	n = strlen(k->event);
	memcpy(pkt, "2[\"", 3);
	memcpy(pkt + 3, k->event, n);
	memcpy(pkt + 3 + n, "\",", 2);
	memcpy(pkt + 5 + n, buf, len);
	pkt[5 + n + len] = ']';
	if (sio_decode(pkt, 6 + n + len, &p, &why) == -1) {
		check(why != NULL);
		free(pkt);
		return;
	}
	free(pkt);
	check(p.type == SIO_EVENT && strcmp(p.event, k->event) == 0);
	if (p.arg != NULL && json_object_is_type(p.arg, json_type_object))
		k->run(cfg, p.arg);
	sio_packet_clear(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct kind *k;
	struct config cfg;
	const char *buf = (const char *)data + 1, *cc;

	if (size == 0)
		return 0;
	k = &kinds[((data[0] & 0x0f) | (data[0] & 0xc0) >> 2) % NKINDS];
	memset(&cfg, 0, sizeof(cfg));
	/* The defaults, or the smallest values config.c accepts. */
	cfg.limits_max_json_body = data[0] & FUZZ_SMALL ? 256 : 65536;
	cfg.limits_max_message_length = data[0] & FUZZ_SMALL ? 1 : 4000;
	cc = data[0] & FUZZ_CC_1 ? "+1" : "+91";
	memcpy(cfg.phone_default_cc, cc, strlen(cc) + 1);
	if (k->transport == T_SOCKET)
		try_event(k, &cfg, buf, size - 1);
	else
		try_parsed(k, &cfg, buf, size - 1);
	return 0;
}
