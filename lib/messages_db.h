/*
 * messages_db.h - pages of a conversation's history, for the REST history
 * and for the catch-up of conversation:join (storing a message is
 * chat_send_* in chat.h, read receipts chat_read.c).
 */
#ifndef CHAT_MESSAGES_DB_H
#define CHAT_MESSAGES_DB_H

#include <json-c/json.h>

#include "chat.h"

struct msg_page {
	json_object	*messages;	/* array, oldest first (caller puts) */
	int		 more;		/* another page beyond this one */
	long long	 edge;		/* the last id read: the next page's key */
};

/*
 * Up to limit messages of conversation conv that u may see: the newest
 * before id `before` (LLONG_MAX: the newest of all), or with after > 0 the
 * oldest after it.  Activity entries are in it for the support team, and
 * for a user when activity is set (their client asked); private notes for
 * the support team only.  0, or -1 with err
 * (404 if the conversation is not u's).
 */
int	msg_db_page(struct db *db, const struct config *cfg,
	    const struct chat_user *u, long long conv, long long before,
	    long long after, long limit, int activity, struct msg_page *out,
	    struct api_error *err);

#endif
