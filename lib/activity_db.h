/*
 * activity_db.h - activity entries: every status or assignment change is
 * stored in the conversation's timeline as a message of type "activity",
 * its content an English sentence ("Asha Verma resolved the conversation"),
 * its activity object what a client needs to say it in its own language:
 * {action, actorId, actorName, agentId, agentName, until}.
 *
 * An entry is read from the start (it never counts as unread), is never a
 * conversation's lastMessage, and reaches a user only if their client asks
 * (?include=activity, docs/api.md): the seed's clients know four types.
 */
#ifndef CHAT_ACTIVITY_DB_H
#define CHAT_ACTIVITY_DB_H

#include "db.h"

enum activity_action {
	ACT_RESOLVED,
	ACT_REOPENED,
	ACT_SNOOZED,		/* until */
	ACT_PENDING,
	ACT_WOKE,		/* the snooze ended (no actor) */
	ACT_ASSIGNED,		/* by an admin, to agent */
	ACT_TAKEN,		/* from the queue, by the actor */
	ACT_TRANSFERRED,	/* by its agent, to agent */
	ACT_UNASSIGNED,		/* back in the queue (actor 0: routing) */
	ACT_ROUTED,		/* to agent, by routing (no actor) */
	ACT_NACTIONS
};

struct activity {
	enum activity_action	action;
	long long		actor;		/* 0: routing or the clock */
	long long		agent;		/* ASSIGNED, TRANSFERRED, ROUTED */
	long long		until_ms;	/* SNOOZED */
};

/*
 * Store a in conversation conv, inside the caller's transaction; its
 * message id into *id.  A DB_* status.
 */
int	activity_db_add(struct db *db, long long conv, const struct activity *a,
	    long long *id);
/* The action for a status set by hand (open, pending, resolved, snoozed). */
enum activity_action activity_of_status(const char *status);

#endif
