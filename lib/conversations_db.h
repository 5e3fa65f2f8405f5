/*
 * conversations_db.h - the statements about conversations that are not
 * the chat rules of chat.h: a caller's list, a user's start.
 */
#ifndef CHAT_CONVERSATIONS_DB_H
#define CHAT_CONVERSATIONS_DB_H

#include <json-c/json.h>

#include "chat.h"

/* Which conversations a list shows, of those its caller may see. */
enum conv_assignee { CONV_ANY, CONV_AGENT, CONV_QUEUE };
struct conv_filter {
	enum conv_assignee	 kind;
	long long		 agent;		/* CONV_AGENT */
	const char		*status;	/* "": all but resolved; "all" */
	long long		 user;		/* only this user's (0: any) */
	long long		 updated_after;	/* changed since, epoch ms (0) */
	long long		 label;		/* carrying this label (0: any) */
};

/*
 * The filter of ?assignee= (me, unassigned, all, an agent's id; NULL: me
 * for an agent, all for an admin)
 * and ?status= (open, pending, resolved, snoozed, all; NULL: all but
 * resolved, or all for a user) for u: all and another agent's are for
 * admins (403).  0, or -1 with err.
 */
int	conv_filter_parse(const struct chat_user *u, const char *assignee,
	    const char *status, struct conv_filter *f, struct api_error *err);
/*
 * Page pg (of limit) of the conversations u may see that f lets through
 * (the queue oldest first, the rest newest first), as an array of wire
 * objects; *total: how many in all.  NULL with err.
 */
json_object *conv_db_list(struct db *db, const struct chat_user *u,
	    const struct conv_filter *f, long pg, long limit, long long *total,
	    struct api_error *err);
/*
 * User u's conversation that is not resolved, or a new one (*created),
 * routed to an agent or into the queue (route_db.h).  0 or -1 with err.
 */
int	conv_db_open(struct db *db, const struct config *cfg,
	    const struct chat_user *u, long long *id, int *created,
	    struct api_error *err);

/*
 * Set conversation id's status (open, pending, resolved, snoozed; until:
 * epoch ms, only and required for snoozed, in the future) as u: the
 * assigned agent or an admin.  0, or -1 with err (400 bad status or time,
 * 404 not u's to change, 503).  *activity: the activity entry's id.
 */
int	conv_db_set_status(struct db *db, const struct chat_user *u,
	    long long id, const char *status, long long until_ms,
	    long long *activity, struct api_error *err);
/*
 * Assign conversation id to agent (0: back to the queue) as u: an admin
 * any agent or admin; an agent may take an unassigned one (agent = self),
 * and pass one of their own to another agent or back to the queue.
 * *previous: who had it (0: nobody); *activity: the entry's id.  0, or
 * -1 with err (400 not an agent, 404 not u's to assign, 503).
 */
int	conv_db_assign(struct db *db, const struct chat_user *u, long long id,
	    long long agent, long long *previous, long long *activity,
	    struct api_error *err);
/*
 * Reopen snoozed conversations whose time has come: their ids (at most
 * max) into ids, their activity entries' into acts; how many, or -1.
 */
int	conv_db_wake(struct db *db, long long *ids, long long *acts,
	    unsigned max);

#endif
