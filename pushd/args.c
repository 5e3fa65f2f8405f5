/*
 * args.c - socket event arguments and notify datagrams, checked.
 */
#include <string.h>

#include "args.h"
#include "chat.h"
#include "jsonio.h"
#include "token.h"

int
args_conversation(json_object *arg, uint64_t *conv, struct api_error *err)
{
	long long v;

	if (jsonio_id(arg, "conversationId", 1, &v, err) == -1)
		return -1;
	*conv = (uint64_t)v;
	return 0;
}

int
args_join(json_object *arg, uint64_t *conv, long long *after,
    struct api_error *err)
{
	if (args_conversation(arg, conv, err) == -1 ||
	    jsonio_id(arg, "lastMessageId", 0, after, err) == -1)
		return -1;
	return 0;
}

int
args_read(json_object *arg, uint64_t *conv, char **ids,
    struct api_error *err)
{
	*ids = NULL;
	if (args_conversation(arg, conv, err) == -1 ||
	    (*ids = chat_read_ids(arg, err)) == NULL)
		return -1;
	return 0;
}

static const struct {
	const char		*name;
	enum args_notify_type	 type;
} args_notify_types[] = {
	{ "message", ARGS_NOTIFY_MESSAGE },
	{ "conversation", ARGS_NOTIFY_CONVERSATION },
	{ "updated", ARGS_NOTIFY_UPDATED },
	{ "availability", ARGS_NOTIFY_AVAILABILITY },
	{ "read", ARGS_NOTIFY_READ },
	{ "logout", ARGS_NOTIFY_LOGOUT },
	{ "revoke", ARGS_NOTIFY_REVOKE },
};

#define ARGS_NOTIFY_NTYPES \
	(sizeof(args_notify_types) / sizeof(args_notify_types[0]))

int
args_notify(json_object *o, struct args_notify *out, struct api_error *err)
{
	const char *type;
	json_object *v;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (jsonio_string(o, "type", 1, 32, &type, err) == -1)
		return -1;
	for (i = 0; i < ARGS_NOTIFY_NTYPES; i++)
		if (strcmp(type, args_notify_types[i].name) == 0)
			break;
	if (i == ARGS_NOTIFY_NTYPES)
		return api_fail(err, API_VALIDATION,
		    "unknown notification type");
	out->type = args_notify_types[i].type;
	switch (out->type) {
	case ARGS_NOTIFY_MESSAGE:
		return jsonio_id(o, "messageId", 1, &out->message_id, err);
	case ARGS_NOTIFY_UPDATED:
		if (jsonio_id(o, "previousSupportId", 0, &out->previous,
		    err) == -1 ||
		    jsonio_id(o, "activityId", 0, &out->activity, err) == -1)
			return -1;
		/* FALLTHROUGH */
	case ARGS_NOTIFY_CONVERSATION:
		return jsonio_id(o, "conversationId", 1,
		    &out->conversation_id, err);
	case ARGS_NOTIFY_READ:
		if (jsonio_id(o, "conversationId", 1, &out->conversation_id,
		    err) == -1 ||
		    jsonio_id(o, "readBy", 1, &out->read_by, err) == -1 ||
		    jsonio_string(o, "readAt", 1, ARGS_READ_AT_MAX,
		    &out->read_at, err) == -1)
			return -1;
		return 0;
	case ARGS_NOTIFY_LOGOUT:
		return jsonio_id(o, "userId", 1, &out->user_id, err) == -1 ||
		    jsonio_string(o, "jti", 1, TOKEN_JTI_LEN, &out->jti,
		    err) == -1 ? -1 : 0;
	case ARGS_NOTIFY_AVAILABILITY:
		return jsonio_id(o, "userId", 1, &out->user_id, err) == -1 ||
		    jsonio_string(o, "availability", 1, 16, &out->availability,
		    err) == -1 ? -1 : 0;
	case ARGS_NOTIFY_REVOKE:
		if (jsonio_id(o, "userId", 1, &out->user_id, err) == -1)
			return -1;
		if (!json_object_object_get_ex(o, "before", &v) ||
		    !json_object_is_type(v, json_type_int) ||
		    (out->before_ms = json_object_get_int64(v)) <= 0)
			return api_fail(err, API_VALIDATION,
			    "before must be a time in milliseconds");
		return 0;
	}
	return 0;
}
