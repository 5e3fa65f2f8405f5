/*
 * chat.h - the rules of the chat, shared by the REST API and pushd.
 *
 * Who may see a conversation, and how a message is stored: both the
 * FastCGI programs and pushd call these, so a message sent over REST and
 * one sent over a socket obey the same checks and the same transaction.
 */
#ifndef CHAT_CHAT_H
#define CHAT_CHAT_H

#include <json-c/json.h>

#include "apierr.h"
#include "config.h"
#include "db.h"
#include "phone.h"

#define CHAT_NAME_MAX		100
#define CHAT_CLIENT_ID_MAX	64

/* Roles, as the database's users.role ENUM names them. */
enum chat_role {
	CHAT_ROLE_USER,			/* an end user (a farmer) */
	CHAT_ROLE_SUPPORT,		/* an agent */
	CHAT_ROLE_ADMIN
};
#define CHAT_NROLES	3

/* The caller of a request: who the token names, as the database says. */
struct chat_user {
	long long	id;
	enum chat_role	role;
	char		name[CHAT_NAME_MAX * 4 + 1];
	char		phone[PHONE_MAX + 1];
};

struct chat_conv {
	long long	id;
	long long	user_id;
	long long	support_id;	/* 0 when unassigned */
	char		status[16];
};

/* A message:send / POST /chat/messages request, validated. */
struct chat_send {
	long long	 conversation_id;
	const char	*message_type;		/* text|image|video|audio */
	const char	*content;		/* NULL for media without caption */
	long long	 media_id;		/* 0 for text */
	const char	*client_message_id;	/* NULL: no idempotency */
	int		 is_private;		/* a note for the team ("private") */
};

struct chat_sent {
	json_object	*message;	/* rendered, media populated; caller puts */
	long long	 message_id;
	long long	 conversation_id;
	long long	 recipient_id;	/* 0 when the conversation has no agent */
	long long	 recipient_unread;
	int		 duplicate;	/* a retry: stored before, nothing new */
	int		 reopened;	/* it reopened a resolved or snoozed one */
	int		 is_private;	/* a note: the support team alone hears */
	long long	 activity;	/* then: the activity entry that says so */
};

/* "User", "Support", "Admin". */
const char *chat_role_name(enum chat_role role);
/* The role a name stands for; 0, or -1 if it is none. */
int	chat_role_parse(const char *name, enum chat_role *role);
/* Map a db status to an api_error; returns -1. */
int	chat_db_fail(struct api_error *err, int db_status);
/*
 * body(db, arg, err) in a transaction of its own: committed when it
 * returns 0, rolled back otherwise (its error passed on).  0, or -1 + err.
 */
typedef int chat_tx_body(struct db *db, void *arg, struct api_error *err);
int	chat_transaction(struct db *db, chat_tx_body *body, void *arg,
	    struct api_error *err);

/*
 * The one access rule, written once, as SQL over conversations c.  Who
 * sees a conversation (reads it, its history and its media, joins its
 * room): a user their own, an agent those assigned to them and the queue
 * (unassigned ones, to decide which to take), an admin all.  Who acts in
 * it (sends, types, marks read, changes its status): the same, but an
 * agent only in their own.  Each role's condition takes one integer
 * parameter, the caller's id (CHAT_SCOPE_ARG), so that one statement per
 * role serves a single-row check and a list alike:
 *
 *	static const char *const sql[CHAT_NROLES] = CHAT_SCOPED(
 *	    "SELECT ... FROM conversations c WHERE c.id = ? AND ", "");
 *	db_exec(db, &res, sql[u->role], "ii", id, CHAT_SCOPE_ARG(u));
 */
#define CHAT_SCOPE_USER		"c.userId = ?"
#define CHAT_SCOPE_SUPPORT	"c.assignedSupportId = ? OR c.assignedSupportId IS NULL"
#define CHAT_SCOPE_SUPPORT_ACT	"c.assignedSupportId = ?"
#define CHAT_SCOPE_ADMIN	"? > 0"
#define CHAT_SCOPED(pre, post) { \
	[CHAT_ROLE_USER] = pre "(" CHAT_SCOPE_USER ")" post, \
	[CHAT_ROLE_SUPPORT] = pre "(" CHAT_SCOPE_SUPPORT ")" post, \
	[CHAT_ROLE_ADMIN] = pre "(" CHAT_SCOPE_ADMIN ")" post }
#define CHAT_SCOPED_ACT(pre, post) { \
	[CHAT_ROLE_USER] = pre "(" CHAT_SCOPE_USER ")" post, \
	[CHAT_ROLE_SUPPORT] = pre "(" CHAT_SCOPE_SUPPORT_ACT ")" post, \
	[CHAT_ROLE_ADMIN] = pre "(" CHAT_SCOPE_ADMIN ")" post }
#define CHAT_SCOPE_ARG(u)	((u)->id)
/* 0 when u may see conversation id (filling conv), else -1 (404, 503). */
int	chat_conversation_access(struct db *db, const struct chat_user *u,
	    long long id, struct chat_conv *conv, struct api_error *err);
/* The same for acting in it (sending, typing, marking read). */
int	chat_conversation_act(struct db *db, const struct chat_user *u,
	    long long id, struct chat_conv *conv, struct api_error *err);
/* 0 when u may see media id, else -1 with err (404, 503). */
int	chat_media_access(struct db *db, const struct chat_user *u,
	    long long id, struct api_error *err);
/*
 * For pushd's announcements, not a caller's request: conversation id's
 * agent (*agent, 0 if none) and the conversation as that agent sees it.
 */
json_object *chat_conversation_for_agent(struct db *db, long long id,
	    long long *agent, struct api_error *err);
/*
 * For announcements, not a caller's request: conversation id as its user
 * (as_user) or its support side sees it (their own unread count), and who
 * its user and agent are (*user_id, *agent_id; 0: none).
 */
json_object *chat_conversation_view(struct db *db, long long id, int as_user,
	    long long *user_id, long long *agent_id, struct api_error *err);
/*
 * The conversation as the wire object for viewer u, or NULL with err.
 * The support side's objects (and views) carry its labels (labels_db.h).
 */
json_object *chat_conversation_load(struct db *db, const struct chat_user *u,
	    long long id, struct api_error *err);
/* Who is told of a stored message: its sender and the other side. */
struct chat_news {
	long long	sender;
	char		sender_name[CHAT_NAME_MAX * 4 + 1];
	long long	conversation;
	long long	recipient;	/* 0: nobody assigned yet */
	long long	unread;		/* the recipient's count after it */
	int		is_private;	/* a note: recipient is the agent (0 when
					   the agent wrote it), unread 0 */
};
/* The news of message id (stored by someone else, e.g. over REST). */
int	chat_message_news(struct db *db, long long id, struct chat_news *out,
	    struct api_error *err);
/* Render row of res as a wire object. */
typedef json_object *chat_render_fn(const struct config *,
	    const struct db_res *, unsigned row);
/*
 * The one row sql (one id parameter) selects, rendered; NULL with err
 * (404 "<what> not found", 503, ...).
 */
json_object *chat_load_one(struct db *db, const struct config *cfg,
	    const char *sql, long long id, chat_render_fn *render,
	    const char *what, struct api_error *err);
/* One message with media populated, or NULL with err. */
json_object *chat_message_load(struct db *db, const struct config *cfg,
	    long long id, struct api_error *err);

/* Validate a send request body; pointers in out borrow from body. */
int	chat_send_parse(const struct config *cfg, json_object *body,
	    struct chat_send *out, struct api_error *err);
/* What chat_send_tx did inside the caller's transaction. */
enum chat_tx {
	CHAT_TX_FAILED = -1,	/* err says why; roll back (to a savepoint) */
	CHAT_TX_STORED = 0,	/* inserted: commit, then chat_send_load */
	CHAT_TX_RETRY = 1	/* the clientMessageId is taken (a retry, or a
				   concurrent one won): roll back, then
				   chat_send_raced outside the transaction */
};

/*
 * The body of a send inside a transaction the caller opened (no BEGIN,
 * COMMIT or ROLLBACK here), so that pushd can store many concurrent sends
 * under one commit.  Returns an enum chat_tx.
 */
int	chat_send_tx(struct db *db, const struct config *cfg,
	    const struct chat_user *sender, const struct chat_send *req,
	    struct chat_sent *out, struct api_error *err);
int	chat_send_raced(struct db *db, const struct config *cfg,
	    const struct chat_user *sender, const struct chat_send *req,
	    struct chat_sent *out, struct api_error *err);
/* out->message for out->message_id after the commit, unless the insert
 * already rendered it (it reads the row back only when it must). */
int	chat_send_load(struct db *db, const struct config *cfg,
	    struct chat_sent *out, struct api_error *err);

/*
 * Store a message in one transaction: the message, the conversation's
 * lastMessage/updatedAt/status, the recipient's unread count.  A retry with
 * a known clientMessageId returns the first message with duplicate = 1.
 */
int	chat_send_store(struct db *db, const struct config *cfg,
	    const struct chat_user *sender, const struct chat_send *req,
	    struct chat_sent *out, struct api_error *err);

/* --- read receipts (chat_read.c) --- */

#define CHAT_READ_IDS_MAX	500

struct chat_read {
	long long	 conversation_id;
	long long	 reader_id;
	long long	 other_id;	/* the other party, 0 if none */
	json_object	*marked;	/* ["id", ...] marked by this read */
	long long	*senders;	/* their distinct senders */
	unsigned	 nsenders;
	long long	 read_at;	/* epoch ms */
	char		 read_at_sql[32];
};

/* {messageIds: ["1", ...]} as the JSON text JSON_TABLE reads; NULL + err. */
char	*chat_read_ids(json_object *body, struct api_error *err);
/* Mark the other party's messages (ids: NULL for all) read. */
int	 chat_mark_read(struct db *db, const struct chat_user *u,
	    long long conversation_id, const char *ids, struct chat_read *r,
	    struct api_error *err);
/* What one chat_mark_read marked, found again by its readAt (pushd). */
int	 chat_read_reload(struct db *db, long long conversation_id,
	    long long reader, const char *read_at_sql, struct chat_read *r);
/* message:read {conversationId, messageIds, readBy, readAt}. */
json_object *chat_read_event(const struct chat_read *r);
void	 chat_read_clear(struct chat_read *r);

#endif
