/*
 * model.c - rows of the data model rendered as wire JSON.
 */
#include <stdio.h>
#include <string.h>

#include "jsonio.h"
#include "model.h"

/* Shorthands over one row of a result. */
#define CELL(c)		db_cell(res, row, (c))
#define LL(c)		db_cell_ll(res, row, (c), -1)
/* An id as the database prints it: already the wire's decimal string. */
#define ID(c)		model_str_or_null(CELL(c))

static json_object *
model_str_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/*
 * Every key here is a literal, added once to a new object: json-c need
 * neither copy it nor look for it first (lists render thousands of them).
 */
static void
model_add(json_object *o, const char *key, json_object *v)
{
	(void)json_object_object_add_ex(o, key, v,
	    JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_KEY_IS_CONSTANT);
}

int
model_media_url(const struct config *cfg, const char *file, char *out,
    size_t outsz)
{
	size_t blen = strlen(cfg->upload_base_url);

	/* A base URL given with a trailing slash must not double it. */
	if (blen > 0 && cfg->upload_base_url[blen - 1] == '/')
		blen--;
	if ((size_t)snprintf(out, outsz, "%.*s/uploads/chat/%s", (int)blen,
	    cfg->upload_base_url, file) >= outsz)
		return -1;
	return 0;
}

/* A nullable count (width, height): a number or JSON null. */
static json_object *
model_int_or_null(const char *s, long long v)
{
	return s != NULL ? json_object_new_int64(v) : NULL;
}

/*
 * The thumbnail's URL: its own file, or for an image stored before there
 * were thumbnails the file itself; JSON null for video and audio.
 */
static json_object *
model_thumb_url(const struct config *cfg, const char *type, const char *thumb,
    const char *file)
{
	char url[CFG_STR_MAX + 96];

	if (type == NULL || strcmp(type, "image") != 0)
		return NULL;
	if (model_media_url(cfg, thumb != NULL ? thumb : file, url,
	    sizeof(url)) == -1)
		return NULL;
	return json_object_new_string(url);
}

json_object *
model_media(const struct config *cfg, const struct db_res *res, unsigned row,
    unsigned col)
{
	char url[CFG_STR_MAX + 96];
	json_object *o;

	if (CELL(col) == NULL)
		return NULL;
	if (model_media_url(cfg, CELL(col + MEDIA_FILE), url, sizeof(url)) ==
	    -1 || (o = json_object_new_object()) == NULL)
		return NULL;
	model_add(o, "_id", ID(col + MEDIA_ID));
	model_add(o, "name", model_str_or_null(CELL(col + MEDIA_NAME)));
	model_add(o, "type", model_str_or_null(CELL(col + MEDIA_TYPE)));
	model_add(o, "url", json_object_new_string(url));
	model_add(o, "format", model_str_or_null(CELL(col + MEDIA_FORMAT)));
	model_add(o, "size", json_object_new_int64(LL(col + MEDIA_SIZE)));
	model_add(o, "thumbUrl", model_thumb_url(cfg, CELL(col + MEDIA_TYPE),
	    CELL(col + MEDIA_THUMB), CELL(col + MEDIA_FILE)));
	model_add(o, "width", model_int_or_null(CELL(col + MEDIA_WIDTH),
	    LL(col + MEDIA_WIDTH)));
	model_add(o, "height", model_int_or_null(CELL(col + MEDIA_HEIGHT),
	    LL(col + MEDIA_HEIGHT)));
	return o;
}

json_object *
model_message(const struct config *cfg, const struct db_res *res,
    unsigned row)
{
	json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	model_add(o, "_id", ID(MSG_ID));
	model_add(o, "conversationId", ID(MSG_CONVERSATION));
	model_add(o, "senderId", ID(MSG_SENDER));
	model_add(o, "messageType", model_str_or_null(CELL(MSG_TYPE)));
	model_add(o, "content", model_str_or_null(CELL(MSG_CONTENT)));
	model_add(o, "mediaId", model_media(cfg, res, row, MSG_MEDIA));
	model_add(o, "isRead", json_object_new_boolean(LL(MSG_READ) == 1));
	model_add(o, "readAt", jsonio_time_new(LL(MSG_READ_AT)));
	model_add(o, "createdAt", jsonio_time_new(LL(MSG_CREATED)));
	model_add(o, "clientMessageId", model_str_or_null(CELL(MSG_CLIENT_ID)));
	/* Only activity entries carry it: the seed's types keep their shape. */
	if (CELL(MSG_ACTIVITY) != NULL)
		model_add(o, "activity", json_tokener_parse(CELL(MSG_ACTIVITY)));
	/* And only notes this (the support team alone ever reads them). */
	if (LL(MSG_PRIVATE) == 1)
		model_add(o, "isPrivate", json_object_new_boolean(1));
	return o;
}

/* The rating of the conversation's current resolution, or JSON null. */
static json_object *
model_rating(const struct db_res *res, unsigned row)
{
	json_object *o;

	if (CELL(CONV_RATING_SCORE) == NULL ||
	    (o = json_object_new_object()) == NULL)
		return NULL;
	model_add(o, "score", json_object_new_int64(LL(CONV_RATING_SCORE)));
	model_add(o, "comment", model_str_or_null(CELL(CONV_RATING_COMMENT)));
	model_add(o, "createdAt", jsonio_time_new(LL(CONV_RATING_CREATED)));
	return o;
}

/* A party of a conversation: PARTY_NCOLS columns from col. */
static json_object *
model_party(const struct db_res *res, unsigned row, unsigned col)
{
	json_object *o;

	if (CELL(col) == NULL || (o = json_object_new_object()) == NULL)
		return NULL;
	model_add(o, "_id", ID(col + PARTY_ID));
	model_add(o, "name", model_str_or_null(CELL(col + PARTY_NAME)));
	model_add(o, "phone", model_str_or_null(CELL(col + PARTY_PHONE)));
	model_add(o, "role", model_str_or_null(CELL(col + PARTY_ROLE)));
	model_add(o, "isOnline",
	    json_object_new_boolean(LL(col + PARTY_ONLINE) == 1));
	model_add(o, "lastSeen", jsonio_time_new(LL(col + PARTY_LAST_SEEN)));
	return o;
}

static json_object *
model_last_message(const struct db_res *res, unsigned row, unsigned col)
{
	json_object *o;

	if (CELL(col) == NULL || (o = json_object_new_object()) == NULL)
		return NULL;
	model_add(o, "_id", ID(col + LAST_ID));
	model_add(o, "content", model_str_or_null(CELL(col + LAST_CONTENT)));
	model_add(o, "messageType",
	    model_str_or_null(CELL(col + LAST_TYPE)));
	model_add(o, "createdAt", jsonio_time_new(LL(col + LAST_CREATED)));
	model_add(o, "senderId", ID(col + LAST_SENDER));
	return o;
}

json_object *
model_conversation(const struct db_res *res, unsigned row, long long viewer_id)
{
	json_object *o;
	long long user_id = LL(CONV_USER + PARTY_ID);

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	model_add(o, "_id", ID(CONV_ID));
	model_add(o, "user", model_party(res, row, CONV_USER));
	model_add(o, "support", model_party(res, row, CONV_SUPPORT));
	model_add(o, "userId", ID(CONV_USER + PARTY_ID));
	model_add(o, "assignedSupportId", ID(CONV_SUPPORT_ID));
	model_add(o, "status", model_str_or_null(CELL(CONV_STATUS)));
	model_add(o, "unreadCount", json_object_new_int64(
	    viewer_id == user_id ? LL(CONV_USER_UNREAD) :
	    LL(CONV_SUPPORT_UNREAD)));
	model_add(o, "lastMessage",
	    model_last_message(res, row, CONV_LAST));
	model_add(o, "updatedAt", jsonio_time_new(LL(CONV_UPDATED)));
	model_add(o, "createdAt", jsonio_time_new(LL(CONV_CREATED)));
	model_add(o, "snoozedUntil", jsonio_time_new(LL(CONV_SNOOZED_UNTIL)));
	model_add(o, "resolvedAt", jsonio_time_new(LL(CONV_RESOLVED_AT)));
	model_add(o, "firstResponseAt", jsonio_time_new(LL(CONV_FIRST_RESPONSE)));
	model_add(o, "rating", model_rating(res, row));
	return o;
}

json_object *
model_account(const struct db_res *res, unsigned row)
{
	json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	model_add(o, "_id", ID(ACCOUNT_ID));
	model_add(o, "name", model_str_or_null(CELL(ACCOUNT_NAME)));
	model_add(o, "phone", model_str_or_null(CELL(ACCOUNT_PHONE)));
	model_add(o, "role", model_str_or_null(CELL(ACCOUNT_ROLE)));
	model_add(o, "isOnline",
	    json_object_new_boolean(LL(ACCOUNT_ONLINE) == 1));
	model_add(o, "lastSeen", jsonio_time_new(LL(ACCOUNT_LAST_SEEN)));
	model_add(o, "availability",
	    model_str_or_null(CELL(ACCOUNT_AVAILABILITY)));
	model_add(o, "capacity", json_object_new_int64(LL(ACCOUNT_CAPACITY)));
	model_add(o, "openCount", json_object_new_int64(LL(ACCOUNT_OPEN)));
	model_add(o, "disabled",
	    json_object_new_boolean(LL(ACCOUNT_DISABLED) == 1));
	model_add(o, "createdAt", jsonio_time_new(LL(ACCOUNT_CREATED)));
	return o;
}

json_object *
model_label(const struct db_res *res, unsigned row, unsigned col)
{
	json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	model_add(o, "_id", ID(col + LABEL_ID));
	model_add(o, "name", model_str_or_null(CELL(col + LABEL_NAME)));
	model_add(o, "color", model_str_or_null(CELL(col + LABEL_COLOR)));
	return o;
}

json_object *
model_canned(const struct db_res *res, unsigned row)
{
	json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	model_add(o, "_id", ID(CANNED_ID));
	model_add(o, "shortCode", model_str_or_null(CELL(CANNED_CODE)));
	model_add(o, "content", model_str_or_null(CELL(CANNED_CONTENT)));
	model_add(o, "createdBy", ID(CANNED_CREATED_BY));
	model_add(o, "createdAt", jsonio_time_new(LL(CANNED_CREATED)));
	model_add(o, "updatedAt", jsonio_time_new(LL(CANNED_UPDATED)));
	return o;
}
