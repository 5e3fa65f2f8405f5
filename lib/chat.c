/*
 * chat.c - who may see what, and how a message is stored.
 */
#include <stdio.h>
#include <string.h>

#include "activity_db.h"
#include "chat.h"
#include "jsonio.h"
#include "labels_db.h"
#include "limit.h"
#include "log.h"
#include "model.h"
#include "text.h"

static const char *const chat_roles[CHAT_NROLES] = {
	[CHAT_ROLE_USER] = "User",
	[CHAT_ROLE_SUPPORT] = "Support",
	[CHAT_ROLE_ADMIN] = "Admin",
};

const char *
chat_role_name(enum chat_role role)
{
	return (unsigned)role < CHAT_NROLES ? chat_roles[role] : "User";
}

int
chat_role_parse(const char *name, enum chat_role *role)
{
	unsigned i;

	for (i = 0; i < CHAT_NROLES; i++)
		if (strcmp(chat_roles[i], name) == 0) {
			*role = (enum chat_role)i;
			return 0;
		}
	return -1;
}

int
chat_db_fail(struct api_error *err, int status)
{
	if (status == DB_ERR_GONE)
		return api_fail(err, API_UNAVAILABLE,
		    "the database is unavailable, try again");
	if (status == DB_ERR_BUSY)
		return api_fail(err, API_UNAVAILABLE,
		    "the database is busy, try again");
	return api_fail(err, API_INTERNAL, "internal error");
}

/* The row of conversation id in scope sql[u->role]; 0 or -1 (404). */
static int
conv_check(struct db *db, const char *const sql[CHAT_NROLES],
    const struct chat_user *u, long long id, struct chat_conv *conv,
    struct api_error *err)
{
	struct db_res *res;
	int st;

	if ((st = db_exec(db, &res, sql[u->role], "ii", id,
	    CHAT_SCOPE_ARG(u))) != DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0) {
		db_res_free(res);
		return api_fail(err, API_NOT_FOUND, "conversation not found");
	}
	conv->id = id;
	conv->user_id = db_cell_ll(res, 0, 0, -1);
	conv->support_id = db_cell_ll(res, 0, 1, 0);
	st = (size_t)snprintf(conv->status, sizeof(conv->status), "%s",
	    db_cell(res, 0, 2)) >= sizeof(conv->status);
	db_res_free(res);
	return st ? api_fail(err, API_INTERNAL, "bad conversation row") : 0;
}

#define CONV_CHECK_SQL	"SELECT c.userId, c.assignedSupportId, c.status" \
	" FROM conversations c WHERE c.id = ? AND "

int
chat_conversation_access(struct db *db, const struct chat_user *u,
    long long id, struct chat_conv *conv, struct api_error *err)
{
	static const char *const sql[CHAT_NROLES] = CHAT_SCOPED(
	    CONV_CHECK_SQL, "");

	return conv_check(db, sql, u, id, conv, err);
}

int
chat_conversation_act(struct db *db, const struct chat_user *u,
    long long id, struct chat_conv *conv, struct api_error *err)
{
	static const char *const sql[CHAT_NROLES] = CHAT_SCOPED_ACT(
	    CONV_CHECK_SQL, "");

	return conv_check(db, sql, u, id, conv, err);
}

int
chat_media_access(struct db *db, const struct chat_user *u, long long id,
    struct api_error *err)
{
	/* Its owner, an admin, or who may see a conversation that shows it. */
	static const char *const sql[CHAT_NROLES] = CHAT_SCOPED(
	    "SELECT md.ownerId, EXISTS (SELECT 1 FROM messages m"
	    " JOIN conversations c ON c.id = m.conversationId"
	    " WHERE m.mediaId = md.id AND ", ") FROM media md WHERE md.id = ?");
	struct db_res *res;
	int st, ok;

	if ((st = db_exec(db, &res, sql[u->role], "ii", CHAT_SCOPE_ARG(u),
	    id)) != DB_OK)
		return chat_db_fail(err, st);
	ok = res->nrows > 0 && (u->role == CHAT_ROLE_ADMIN ||
	    db_cell_ll(res, 0, 0, -1) == u->id || db_cell_ll(res, 0, 1, 0) == 1);
	db_res_free(res);
	return ok ? 0 : api_fail(err, API_NOT_FOUND, "media not found");
}

/* The one conversation row sql (id, arg) selects, or NULL with err (404). */
static struct db_res *
conv_row(struct db *db, const char *sql, long long id, long long arg,
    struct api_error *err)
{
	struct db_res *res;
	int st;

	if ((st = db_exec(db, &res, sql, "ii", id, arg)) != DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	if (res->nrows == 0) {
		db_res_free(res);
		api_fail(err, API_NOT_FOUND, "conversation not found");
		return NULL;
	}
	return res;
}

json_object *
chat_conversation_load(struct db *db, const struct chat_user *u, long long id,
    struct api_error *err)
{
	static const char *const sql[CHAT_NROLES] = CHAT_SCOPED(
	    "SELECT " MODEL_CONVERSATION_COLUMNS MODEL_CONVERSATION_FROM
	    " WHERE c.id = ? AND ", "");
	struct db_res *res;
	json_object *o;

	if ((res = conv_row(db, sql[u->role], id, CHAT_SCOPE_ARG(u), err)) ==
	    NULL)
		return NULL;
	if ((o = model_conversation(res, 0, u->id)) == NULL)
		api_fail(err, API_INTERNAL, "out of memory");
	db_res_free(res);
	/* Labels are the support side's: a user's object carries none. */
	if (o != NULL && u->role != CHAT_ROLE_USER &&
	    labels_db_attach_one(db, o, err) == -1) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *
chat_conversation_view(struct db *db, long long id, int as_user,
    long long *user_id, long long *agent_id, struct api_error *err)
{
	/* "? > 0": the second parameter of conv_row, always true here. */
	static const char sql[] = "SELECT " MODEL_CONVERSATION_COLUMNS
	    MODEL_CONVERSATION_FROM " WHERE c.id = ? AND ? > 0";
	struct db_res *res;
	json_object *o;

	*user_id = *agent_id = 0;
	if ((res = conv_row(db, sql, id, 1, err)) == NULL)
		return NULL;
	*user_id = db_cell_ll(res, 0, CONV_USER + PARTY_ID, 0);
	*agent_id = db_cell_ll(res, 0, CONV_SUPPORT_ID, 0);
	/* The viewer's id only picks which unread count is shown. */
	if ((o = model_conversation(res, 0, as_user ? *user_id : 0)) == NULL)
		api_fail(err, API_INTERNAL, "out of memory");
	db_res_free(res);
	if (o != NULL && !as_user && labels_db_attach_one(db, o, err) == -1) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *
chat_conversation_for_agent(struct db *db, long long id, long long *agent,
    struct api_error *err)
{
	static const char sql[] = "SELECT assignedSupportId FROM conversations"
	    " WHERE id = ?";
	struct chat_user viewer;
	struct db_res *res;
	int st;

	*agent = 0;
	if ((st = db_exec(db, &res, sql, "i", id)) != DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	*agent = res->nrows > 0 ? db_cell_ll(res, 0, 0, 0) : 0;
	db_res_free(res);
	if (*agent == 0) {
		api_fail(err, API_NOT_FOUND, "no agent for the conversation");
		return NULL;
	}
	memset(&viewer, 0, sizeof(viewer));
	viewer.id = *agent;
	viewer.role = CHAT_ROLE_SUPPORT;
	return chat_conversation_load(db, &viewer, id, err);
}

int
chat_message_news(struct db *db, long long id, struct chat_news *out,
    struct api_error *err)
{
	static const char sql[] = "SELECT m.senderId, u.name, c.userId,"
	    " c.assignedSupportId, c.userUnreadCount, c.supportUnreadCount,"
	    " m.conversationId, m.isPrivate FROM messages m"
	    " JOIN users u ON u.id = m.senderId"
	    " JOIN conversations c ON c.id = m.conversationId WHERE m.id = ?";
	enum { SENDER, NAME, USER, SUPPORT, USER_UNREAD, SUPPORT_UNREAD,
	    CONV, PRIVATE };
	struct db_res *res;
	long long user;
	int st, to_user, bad;

	if ((st = db_exec(db, &res, sql, "i", id)) != DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0) {
		db_res_free(res);
		return api_fail(err, API_NOT_FOUND, "message not found");
	}
	out->sender = db_cell_ll(res, 0, SENDER, 0);
	bad = (size_t)snprintf(out->sender_name, sizeof(out->sender_name),
	    "%s", db_cell(res, 0, NAME)) >= sizeof(out->sender_name);
	user = db_cell_ll(res, 0, USER, 0);
	to_user = out->sender != user;
	out->recipient = to_user ? user : db_cell_ll(res, 0, SUPPORT, 0);
	out->unread = db_cell_ll(res, 0, to_user ? USER_UNREAD :
	    SUPPORT_UNREAD, 0);
	out->conversation = db_cell_ll(res, 0, CONV, 0);
	if ((out->is_private = db_cell_ll(res, 0, PRIVATE, 0) == 1)) {
		/* A note goes to the team: its agent, unless they wrote it. */
		out->recipient = db_cell_ll(res, 0, SUPPORT, 0);
		if (out->recipient == out->sender)
			out->recipient = 0;
		out->unread = 0;
	}
	db_res_free(res);
	return bad ? api_fail(err, API_INTERNAL, "bad sender name") : 0;
}

json_object *
chat_load_one(struct db *db, const struct config *cfg, const char *sql,
    long long id, chat_render_fn *render, const char *what,
    struct api_error *err)
{
	struct db_res *res;
	json_object *o = NULL;
	int st;

	if ((st = db_exec(db, &res, sql, "i", id)) != DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	if (res->nrows == 0)
		api_fail(err, API_NOT_FOUND, "%s not found", what);
	else if ((o = render(cfg, res, 0)) == NULL)
		api_fail(err, API_INTERNAL, "out of memory");
	db_res_free(res);
	return o;
}

json_object *
chat_message_load(struct db *db, const struct config *cfg, long long id,
    struct api_error *err)
{
	static const char sql[] = "SELECT " MODEL_MESSAGE_COLUMNS
	    MODEL_MESSAGE_FROM " WHERE m.id = ?";

	return chat_load_one(db, cfg, sql, id, model_message, "message", err);
}

/* Client ids are opaque but printable: letters, digits and "-_.:". */
static int
chat_client_id_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= CHAT_CLIENT_ID_MAX && strspn(s,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_.:") == n;
}

/* Text must show something: white space and invisible characters don't. */
static int
chat_blank(const char *s)
{
	return text_blank(s, strlen(s));
}

int
chat_transaction(struct db *db, chat_tx_body *body, void *arg,
    struct api_error *err)
{
	int st;

	if ((st = db_begin(db)) != DB_OK)
		return chat_db_fail(err, st);
	if (body(db, arg, err) == -1) {
		db_rollback(db);
		return -1;
	}
	if ((st = db_commit(db)) != DB_OK) {
		db_rollback(db);
		return chat_db_fail(err, st);
	}
	return 0;
}

int
chat_send_parse(const struct config *cfg, json_object *body,
    struct chat_send *out, struct api_error *err)
{
	size_t cap = (size_t)cfg->limits_max_message_length;
	const char *t;

	memset(out, 0, sizeof(*out));
	if (jsonio_id(body, "conversationId", 1, &out->conversation_id,
	    err) == -1 ||
	    jsonio_string(body, "messageType", 0, 16, &out->message_type,
	    err) == -1 ||
	    jsonio_string(body, "content", 0, cap, &out->content, err) == -1 ||
	    jsonio_id(body, "mediaId", 0, &out->media_id, err) == -1 ||
	    jsonio_string(body, "clientMessageId", 0, CHAT_CLIENT_ID_MAX,
	    &out->client_message_id, err) == -1 ||
	    jsonio_bool(body, "private", &out->is_private, err) == -1)
		return -1;
	t = out->message_type;
	if (t == NULL)
		t = out->message_type = "text";
	if (out->client_message_id != NULL &&
	    !chat_client_id_ok(out->client_message_id))
		return api_fail(err, API_VALIDATION, "clientMessageId must be "
		    "1-64 characters of letters, digits and -_.:");
	if (strcmp(t, "text") == 0) {
		if (out->content == NULL || chat_blank(out->content))
			return api_fail(err, API_VALIDATION,
			    "content is required for a text message");
		if (out->media_id != 0)
			return api_fail(err, API_VALIDATION,
			    "a text message carries no mediaId");
		return 0;
	}
	/* Media are reached through the messages that show them: a note
	 * with one would need rules of its own; notes are text. */
	if (out->is_private)
		return api_fail(err, API_VALIDATION, "a private note is text");
	if (strcmp(t, "image") != 0 && strcmp(t, "video") != 0 &&
	    strcmp(t, "audio") != 0)
		return api_fail(err, API_VALIDATION,
		    "messageType must be text, image, video or audio");
	if (out->media_id == 0)
		return api_fail(err, API_VALIDATION,
		    "mediaId is required for a %s message", t);
	return 0;
}

/* The media must exist, be the sender's and be of the message's type. */
static int
chat_check_media(struct db *db, const struct chat_user *sender,
    const struct chat_send *req, struct api_error *err)
{
	static const char sql[] = "SELECT ownerId, type FROM media WHERE id = ?";
	struct db_res *res;
	int st, ok;

	if ((st = db_exec(db, &res, sql, "i", req->media_id)) != DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0 || db_cell_ll(res, 0, 0, -1) != sender->id) {
		db_res_free(res);
		return api_fail(err, API_VALIDATION,
		    "mediaId does not name an upload of yours");
	}
	ok = strcmp(db_cell(res, 0, 1), req->message_type) == 0;
	db_res_free(res);
	if (!ok)
		return api_fail(err, API_VALIDATION,
		    "the media is not of type %s", req->message_type);
	return 0;
}

/*
 * A message this sender already stored under the same clientMessageId:
 * 1 and its id, 0 if none, -1 on error.
 */
static int
chat_find_retry(struct db *db, const struct chat_user *sender,
    const struct chat_send *req, long long *id, struct api_error *err)
{
	static const char sql[] = "SELECT id, conversationId FROM messages"
	    " WHERE senderId = ? AND clientMessageId = ?";
	struct db_res *res;
	int st, found;

	if (req->client_message_id == NULL)
		return 0;
	if ((st = db_exec(db, &res, sql, "is", sender->id,
	    req->client_message_id)) != DB_OK)
		return chat_db_fail(err, st);
	found = res->nrows > 0;
	if (found && db_cell_ll(res, 0, 1, -1) != req->conversation_id) {
		db_res_free(res);
		return api_fail(err, API_CONFLICT, "clientMessageId was "
		    "already used for another conversation");
	}
	if (found)
		*id = db_cell_ll(res, 0, 0, -1);
	db_res_free(res);
	return found;
}

int
chat_send_load(struct db *db, const struct config *cfg, struct chat_sent *out,
    struct api_error *err)
{
	if (out->message != NULL)
		return 0;	/* rendered by the insert itself */
	if ((out->message = chat_message_load(db, cfg, out->message_id,
	    err)) == NULL)
		return -1;
	return 0;
}

/* Inside the transaction: lock the conversation and check the sender. */
static int
chat_lock_conversation(struct db *db, const struct chat_user *sender,
    const struct chat_send *req, struct chat_conv *conv, long long unread[2],
    struct api_error *err)
{
	static const char *const sql[CHAT_NROLES] = CHAT_SCOPED_ACT(
	    "SELECT c.userId, c.assignedSupportId, c.userUnreadCount,"
	    " c.supportUnreadCount, c.status FROM conversations c"
	    " WHERE c.id = ? AND ", " FOR UPDATE");
	struct db_res *res;
	int st;

	if ((st = db_exec(db, &res, sql[sender->role], "ii",
	    req->conversation_id, CHAT_SCOPE_ARG(sender))) != DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0) {
		db_res_free(res);
		return api_fail(err, API_NOT_FOUND, "conversation not found");
	}
	conv->id = req->conversation_id;
	conv->user_id = db_cell_ll(res, 0, 0, -1);
	conv->support_id = db_cell_ll(res, 0, 1, 0);
	unread[0] = db_cell_ll(res, 0, 2, 0);
	unread[1] = db_cell_ll(res, 0, 3, 0);
	st = db_cell(res, 0, 4) == NULL ||
	    (size_t)snprintf(conv->status, sizeof(conv->status), "%s",
	    db_cell(res, 0, 4)) >= sizeof(conv->status);
	db_res_free(res);
	return st ? api_fail(err, API_INTERNAL, "bad conversation row") : 0;
}

static int
chat_insert(struct db *db, const struct config *cfg,
    const struct chat_user *sender, const struct chat_send *req,
    const struct chat_conv *conv, struct chat_sent *out, long long unread[2])
{
	static const char ins[] = "INSERT INTO messages (conversationId,"
	    " senderId, messageType, content, mediaId, clientMessageId,"
	    " isPrivate) VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, ?)"
	    " RETURNING " MODEL_MESSAGE_RETURNING;
	/*
	 * The workflow: a message from the user reopens a resolved or snoozed
	 * conversation (with its agent, or at the back of the queue: routing
	 * settles it after the commit, route_db.h); any message opens one
	 * that waited with an agent already assigned.  (Assignments run left
	 * to right: the times go before the status they depend on.)
	 */
	static const char upd[] = "UPDATE conversations SET lastMessageId = ?,"
	    " updatedAt = CURRENT_TIMESTAMP(3),"
	    " snoozedUntil = IF(? = 0, NULL, snoozedUntil),"
	    " resolvedAt = IF(? = 0 AND status = 'resolved', NULL, resolvedAt),"
	    " queuedAt = IF(? = 0 AND status IN ('resolved', 'snoozed'),"
	    "  IF(assignedSupportId IS NULL, CURRENT_TIMESTAMP(3), NULL),"
	    "  queuedAt),"
	    " status = CASE WHEN ? = 0 AND status IN ('resolved', 'snoozed')"
	    "  THEN IF(assignedSupportId IS NULL, 'pending', 'open')"
	    "  WHEN status = 'pending' AND assignedSupportId IS NOT"
	    "  NULL THEN 'open' ELSE status END,"
	    " userUnreadCount = userUnreadCount + ?,"
	    " supportUnreadCount = supportUnreadCount + ?,"
	    " firstResponseAt = IF(? = 1, COALESCE(firstResponseAt,"
	    "  (SELECT m.createdAt FROM messages m WHERE m.id = ?)),"
	    "  firstResponseAt) WHERE id = ?";
	struct db_res *res;
	int to_user = sender->id != conv->user_id, st;

	if ((st = db_exec(db, &res, ins, "iissisi",
	    conv->id, sender->id, req->message_type, req->content,
	    req->media_id, req->client_message_id,
	    (long long)req->is_private)) != DB_OK)
		return st;
	if (res->nrows != 1) {
		db_res_free(res);
		return DB_ERR;
	}
	out->message_id = db_cell_ll(res, 0, 0, -1);
	out->conversation_id = conv->id;
	if (req->is_private) {
		/*
		 * A note changes nothing the user could see: no last message,
		 * no unread count, no status.  Its agent hears of it, unless
		 * they wrote it.
		 */
		out->message = model_message(cfg, res, 0);
		db_res_free(res);
		out->is_private = 1;
		out->recipient_id = conv->support_id != sender->id ?
		    conv->support_id : 0;
		return DB_OK;
	}
	if ((st = db_exec(db, NULL, upd, "iiiiiiiiii", out->message_id,
	    (long long)to_user, (long long)to_user, (long long)to_user,
	    (long long)to_user, (long long)to_user, (long long)!to_user,
	    (long long)to_user, out->message_id, conv->id)) != DB_OK) {
		db_res_free(res);
		return st;
	}
	/* If this fails, chat_send_load reads the row back instead. */
	out->message = model_message(cfg, res, 0);
	db_res_free(res);
	out->recipient_id = to_user ? conv->user_id : conv->support_id;
	out->recipient_unread = to_user ? unread[0] + 1 : unread[1] + 1;
	out->reopened = !to_user && (strcmp(conv->status, "resolved") == 0 ||
	    strcmp(conv->status, "snoozed") == 0);
	return DB_OK;
}

int
chat_send_tx(struct db *db, const struct config *cfg,
    const struct chat_user *sender, const struct chat_send *req,
    struct chat_sent *out, struct api_error *err)
{
	struct chat_conv conv;
	struct limit send_limit;
	long long unread[2] = { 0, 0 };
	char who[24];
	int st;

	memset(out, 0, sizeof(*out));
	memset(&conv, 0, sizeof(conv));
	if (req->is_private && sender->role == CHAT_ROLE_USER) {
		api_fail(err, API_VALIDATION,
		    "private notes are for the support team");
		return CHAT_TX_FAILED;
	}
	if (chat_lock_conversation(db, sender, req, &conv, unread, err) == -1)
		return CHAT_TX_FAILED;
	/*
	 * One budget for an account's sends, whichever way they come (REST
	 * or socket): the bucket row is in this transaction, so a send that
	 * is not stored does not spend it.
	 */
	send_limit = limit_of(cfg, LIMIT_SEND);
	if ((size_t)snprintf(who, sizeof(who), "%lld", sender->id) >=
	    sizeof(who) || limit_take(db, &send_limit, who, err) == -1)
		return CHAT_TX_FAILED;
	out->conversation_id = conv.id;
	if (req->media_id != 0 && chat_check_media(db, sender, req, err) == -1)
		return CHAT_TX_FAILED;
	/* A user's message that reopens it: the entry goes before it. */
	if (sender->id == conv.user_id && (strcmp(conv.status, "resolved") ==
	    0 || strcmp(conv.status, "snoozed") == 0) &&
	    (st = activity_db_add(db, conv.id, &(struct activity){
	    .action = ACT_REOPENED, .actor = sender->id }, &out->activity)) !=
	    DB_OK) {
		chat_db_fail(err, st);
		return CHAT_TX_FAILED;
	}
	/*
	 * No look-up first: the unique key (senderId, clientMessageId) tells
	 * a retry, which is rare, and saves a query on every new message.
	 */
	st = chat_insert(db, cfg, sender, req, &conv, out, unread);
	if (st == DB_ERR_DUP)
		return CHAT_TX_RETRY;
	if (st != DB_OK) {
		chat_db_fail(err, st);
		return CHAT_TX_FAILED;
	}
	return CHAT_TX_STORED;
}

int
chat_send_raced(struct db *db, const struct config *cfg,
    const struct chat_user *sender, const struct chat_send *req,
    struct chat_sent *out, struct api_error *err)
{
	int found;

	/* A retry (maybe of a send still in flight): answer with the first. */
	if ((found = chat_find_retry(db, sender, req, &out->message_id,
	    err)) != 1)
		return found == 0 ? chat_db_fail(err, DB_ERR) : -1;
	out->duplicate = 1;
	return chat_send_load(db, cfg, out, err);
}

/* One attempt at a send in its own transaction. */
static int
chat_send_once(struct db *db, const struct config *cfg,
    const struct chat_user *sender, const struct chat_send *req,
    struct chat_sent *out, struct api_error *err)
{
	int st, r;

	memset(out, 0, sizeof(*out));
	if ((st = db_begin(db)) != DB_OK)
		return chat_db_fail(err, st);
	r = chat_send_tx(db, cfg, sender, req, out, err);
	if (r != CHAT_TX_STORED)
		db_rollback(db);
	if (r == CHAT_TX_FAILED)
		return -1;
	if (r == CHAT_TX_RETRY)
		return chat_send_raced(db, cfg, sender, req, out, err);
	if ((st = db_commit(db)) != DB_OK) {
		db_rollback(db);
		json_object_put(out->message);
		out->message = NULL;
		return chat_db_fail(err, st);
	}
	return chat_send_load(db, cfg, out, err);
}

int
chat_send_store(struct db *db, const struct config *cfg,
    const struct chat_user *sender, const struct chat_send *req,
    struct chat_sent *out, struct api_error *err)
{
	int attempt, rc;

	/*
	 * Concurrent sends lock a conversation and a sender's rate bucket;
	 * the server may pick this one as a deadlock victim.  It rolled it
	 * back whole, so running it again is safe.
	 */
	for (attempt = 0; attempt < 3; attempt++)
		if ((rc = chat_send_once(db, cfg, sender, req, out, err)) == 0 ||
		    !db_busy(db))
			break;
	return rc;
}
