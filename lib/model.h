/*
 * model.h - the rows of the data model as SQL column lists and as JSON.
 *
 * Each entity has one column list (used by every query that returns it) and
 * one renderer that turns a row of that list into its wire object, so REST
 * and pushd send the same shapes.  Times are selected as epoch milliseconds
 * (MODEL_MS) and rendered as ISO 8601 UTC.
 */
#ifndef CHAT_MODEL_H
#define CHAT_MODEL_H

#include <json-c/json.h>

#include "config.h"
#include "db.h"

#define MODEL_MS(col)	"ROUND(UNIX_TIMESTAMP(" col ") * 1000)"

/* A message with its media populated: 20 columns from m and md. */
#define MODEL_MESSAGE_COLUMNS						\
	"m.id, m.conversationId, m.senderId, m.messageType, m.content, "\
	"m.isRead, " MODEL_MS("m.readAt") ", " MODEL_MS("m.createdAt") ", "\
	"m.clientMessageId, m.activity, m.isPrivate, "			\
	"md.id, md.name, md.type, md.fileName, md.format, md.size, "	\
	"md.thumbFileName, md.width, md.height"
#define MODEL_MESSAGE_FROM						\
	" FROM messages m LEFT JOIN media md ON md.id = m.mediaId"
/* The media columns, from where they start in a row. */
enum model_media_col {
	MEDIA_ID, MEDIA_NAME, MEDIA_TYPE, MEDIA_FILE, MEDIA_FORMAT,
	MEDIA_SIZE, MEDIA_THUMB, MEDIA_WIDTH, MEDIA_HEIGHT, MEDIA_NCOLS
};
/* Its columns by name, in the order of the list above. */
enum model_message_col {
	MSG_ID, MSG_CONVERSATION, MSG_SENDER, MSG_TYPE, MSG_CONTENT,
	MSG_READ, MSG_READ_AT, MSG_CREATED, MSG_CLIENT_ID, MSG_ACTIVITY,
	MSG_PRIVATE,
	MSG_MEDIA,				/* MEDIA_NCOLS columns */
	MODEL_MESSAGE_NCOLS = MSG_MEDIA + MEDIA_NCOLS
};
/*
 * The same 20 columns of the row an INSERT ... RETURNING just wrote, so a
 * new message is rendered without reading it back (RETURNING names no
 * tables: the media comes by one-value subqueries, NULL without media).
 */
#define MODEL_MEDIA_OF(col)	"(SELECT " col " FROM media WHERE id = mediaId)"
#define MODEL_MESSAGE_RETURNING						\
	"id, conversationId, senderId, messageType, content, isRead, "	\
	MODEL_MS("readAt") ", " MODEL_MS("createdAt") ", clientMessageId, "\
	"activity, isPrivate, "						\
	MODEL_MEDIA_OF("id") ", " MODEL_MEDIA_OF("name") ", "		\
	MODEL_MEDIA_OF("type") ", " MODEL_MEDIA_OF("fileName") ", "	\
	MODEL_MEDIA_OF("format") ", " MODEL_MEDIA_OF("size") ", "	\
	MODEL_MEDIA_OF("thumbFileName") ", " MODEL_MEDIA_OF("width") ", "\
	MODEL_MEDIA_OF("height")

/* A media row: 9 columns. */
#define MODEL_MEDIA_COLUMNS	"md.id, md.name, md.type, md.fileName, md.format, md.size, "\
	"md.thumbFileName, md.width, md.height"

/*
 * A conversation with both parties, the last message and its workflow
 * times, from c (conversation), u (its user), s (its agent), lm (last
 * message) and rt (the rating of its current resolution, if any); enum
 * model_conversation_col names the columns.
 */
#define MODEL_CONVERSATION_COLUMNS					\
	"c.id, c.status, c.userUnreadCount, c.supportUnreadCount, "	\
	MODEL_MS("c.updatedAt") ", " MODEL_MS("c.createdAt") ", "	\
	"c.assignedSupportId, "						\
	"u.id, u.name, u.phone, u.role, u.isOnline, " MODEL_MS("u.lastSeen") ", "\
	"s.id, s.name, s.phone, s.role, s.isOnline, " MODEL_MS("s.lastSeen") ", "\
	"lm.id, LEFT(lm.content, 120), lm.messageType, "		\
	MODEL_MS("lm.createdAt") ", lm.senderId, "			\
	MODEL_MS("c.snoozedUntil") ", " MODEL_MS("c.resolvedAt") ", "	\
	MODEL_MS("c.firstResponseAt") ", "				\
	"rt.score, rt.comment, " MODEL_MS("rt.createdAt")
/* A party (u, s): its columns from where they start. */
enum model_party_col {
	PARTY_ID, PARTY_NAME, PARTY_PHONE, PARTY_ROLE, PARTY_ONLINE,
	PARTY_LAST_SEEN, PARTY_NCOLS
};
/* The last message (lm): its columns from where they start. */
enum model_last_col {
	LAST_ID, LAST_CONTENT, LAST_TYPE, LAST_CREATED, LAST_SENDER,
	LAST_NCOLS
};
/* The conversation's columns by name, in the order of the list above. */
enum model_conversation_col {
	CONV_ID, CONV_STATUS, CONV_USER_UNREAD, CONV_SUPPORT_UNREAD,
	CONV_UPDATED, CONV_CREATED, CONV_SUPPORT_ID,
	CONV_USER,				/* PARTY_NCOLS columns */
	CONV_SUPPORT = CONV_USER + PARTY_NCOLS,	/* PARTY_NCOLS columns */
	CONV_LAST = CONV_SUPPORT + PARTY_NCOLS,	/* LAST_NCOLS columns */
	CONV_SNOOZED_UNTIL = CONV_LAST + LAST_NCOLS,
	CONV_RESOLVED_AT, CONV_FIRST_RESPONSE,
	CONV_RATING_SCORE, CONV_RATING_COMMENT, CONV_RATING_CREATED,
	MODEL_CONVERSATION_NCOLS
};
#define MODEL_CONVERSATION_FROM						\
	" FROM conversations c JOIN users u ON u.id = c.userId"		\
	" LEFT JOIN users s ON s.id = c.assignedSupportId"		\
	" LEFT JOIN messages lm ON lm.id = c.lastMessageId"		\
	" LEFT JOIN conversation_ratings rt ON rt.conversationId = c.id"\
	" AND rt.resolvedAt = c.resolvedAt"

/*
 * An account as admins see it (GET/POST/PATCH /api/v1/users), from u; the
 * one parameter is assign.capacity, the capacity of those without their
 * own.
 */
#define MODEL_ACCOUNT_COLUMNS						\
	"u.id, u.name, u.phone, u.role, u.isOnline, "			\
	MODEL_MS("u.lastSeen") ", u.availability, "			\
	"COALESCE(u.capacity, ?), u.disabled, " MODEL_MS("u.createdAt")	\
	", (SELECT COUNT(*) FROM conversations a WHERE "		\
	"a.assignedSupportId = u.id AND a.status IN ('open', 'pending'))"
enum model_account_col {
	ACCOUNT_ID, ACCOUNT_NAME, ACCOUNT_PHONE, ACCOUNT_ROLE,
	ACCOUNT_ONLINE, ACCOUNT_LAST_SEEN, ACCOUNT_AVAILABILITY,
	ACCOUNT_CAPACITY, ACCOUNT_DISABLED, ACCOUNT_CREATED, ACCOUNT_OPEN,
	MODEL_ACCOUNT_NCOLS
};

/* A canned response (GET/POST/PATCH /api/v1/chat/canned-responses), from cr. */
#define MODEL_CANNED_COLUMNS						\
	"cr.id, cr.shortCode, cr.content, cr.createdBy, "		\
	MODEL_MS("cr.createdAt") ", " MODEL_MS("cr.updatedAt")
enum model_canned_col {
	CANNED_ID, CANNED_CODE, CANNED_CONTENT, CANNED_CREATED_BY,
	CANNED_CREATED, CANNED_UPDATED, MODEL_CANNED_NCOLS
};

json_object	*model_account(const struct db_res *res, unsigned row);
json_object	*model_canned(const struct db_res *res, unsigned row);
json_object	*model_media(const struct config *cfg, const struct db_res *res,
		    unsigned row, unsigned col);
json_object	*model_message(const struct config *cfg,
		    const struct db_res *res, unsigned row);
/* unreadCount is the viewer's own: the user's or the agent side's. */
json_object	*model_conversation(const struct db_res *res, unsigned row,
		    long long viewer_id);
/* "<base_url>/uploads/chat/<fileName>" into out; 0 or -1 if too long. */
int		 model_media_url(const struct config *cfg, const char *file,
		    char *out, size_t outsz);

/* A label, from l: 3 columns. */
#define MODEL_LABEL_COLUMNS	"l.id, l.name, l.color"
/* Its columns, from where they start in a row. */
enum model_label_col {
	LABEL_ID, LABEL_NAME, LABEL_COLOR, MODEL_LABEL_NCOLS
};
/* {_id, name, color} from the label columns that start at col. */
json_object	*model_label(const struct db_res *res, unsigned row,
		    unsigned col);

#endif
