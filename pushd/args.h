/*
 * args.h - the arguments of socket events and the datagrams the FastCGI
 * side sends, read and checked apart from the event loop and the database.
 *
 * The handlers in ev_*.c call these first; tests/fuzz/fuzz_bodies.c calls
 * the same functions, which is why they live here and not next to the
 * handlers (those need libwebsockets).  Each returns 0, or -1 with err set
 * to what the client is told.  Strings borrow from the JSON object.
 */
#ifndef PUSHD_ARGS_H
#define PUSHD_ARGS_H

#include <stdint.h>

#include <json-c/json.h>

#include "apierr.h"

#define ARGS_READ_AT_MAX	31	/* "YYYY-MM-DD hh:mm:ss.fff" and more */

/* {conversationId}: typing:*, conversation:leave, mark-all-read. */
int	args_conversation(json_object *arg, uint64_t *conv,
	    struct api_error *err);
/* conversation:join {conversationId, lastMessageId?}; *after 0 if absent. */
int	args_join(json_object *arg, uint64_t *conv, long long *after,
	    struct api_error *err);
/* message:read {conversationId, messageIds}; *ids as chat_read_ids(). */
int	args_read(json_object *arg, uint64_t *conv, char **ids,
	    struct api_error *err);

enum args_notify_type {
	ARGS_NOTIFY_MESSAGE,		/* {messageId} */
	ARGS_NOTIFY_CONVERSATION,	/* {conversationId} */
	ARGS_NOTIFY_UPDATED,		/* {conversationId, previousSupportId?,
					   activityId?} */
	ARGS_NOTIFY_AVAILABILITY,	/* {userId, availability} */
	ARGS_NOTIFY_READ,		/* {conversationId, readBy, readAt} */
	ARGS_NOTIFY_LOGOUT,		/* {userId, jti} */
	ARGS_NOTIFY_REVOKE		/* {userId, before} */
};

/* A datagram from lib/notify.c, by its type. */
struct args_notify {
	enum args_notify_type	 type;
	long long		 message_id;
	long long		 conversation_id;
	long long		 read_by;
	const char		*read_at;	/* for chat_read_reload() */
	long long		 user_id;	/* logout */
	const char		*jti;		/* logout: the revoked token */
	long long		 before_ms;	/* revoke: tokens issued before */
	long long		 previous;	/* updated: the agent it left */
	long long		 activity;	/* updated: its activity entry */
	const char		*availability;	/* online | busy | offline */
};

int	args_notify(json_object *o, struct args_notify *out,
	    struct api_error *err);

#endif
