/*
 * route_db.h - routing: which agent a conversation goes to, and the queue
 * of those that wait for one.
 *
 * The rule, in one place: a conversation that needs an agent goes to the
 * agent who is connected (isOnline, kept by pushd), available ("online"),
 * not disabled and under their capacity (users.capacity, else
 * assign.capacity), the one with the fewest active (open or pending)
 * conversations; if there is none it waits, pending and unassigned, in a
 * first-come queue (queuedAt).  When an agent may take more (comes online,
 * becomes available, drops under capacity), the oldest waiting ones are
 * assigned to them at once.
 *
 * Automatic assignments to an agent are serialised by a lock on that
 * agent's users row, and counted again under it, so two routings never
 * push an agent past capacity; the queue is taken with SKIP LOCKED, so two
 * agents draining it at once never get the same conversation.  (An admin's
 * or an agent's own explicit assignment is not held to capacity.)
 */
#ifndef CHAT_ROUTE_DB_H
#define CHAT_ROUTE_DB_H

#include "apierr.h"
#include "chat.h"
#include "config.h"
#include "db.h"

#define ROUTE_DRAIN_MAX	64	/* conversations one drain hands out */

/* What routing did to one conversation. */
struct route_move {
	long long	conversation;	/* 0: nothing moved */
	long long	agent;		/* who has it now (0: the queue) */
	long long	previous;	/* who had it (0: nobody) */
	long long	activity;	/* the activity entry that says so */
};

/*
 * Inside the caller's READ COMMITTED transaction (db_begin_fresh): the
 * agent a conversation should go to, other than exclude (0: none), in
 * *agent (0: nobody can take it); that agent's row stays locked until the
 * transaction ends.  A DB_* status.
 */
int	route_db_pick(struct db *db, const struct config *cfg,
	    long long exclude, long long *agent);

/*
 * Give agent the oldest waiting conversations while they are eligible and
 * under capacity: at most max moves into moves, *n of them.  0, or -1
 * with err.
 */
int	route_db_drain(struct db *db, const struct config *cfg,
	    long long agent, struct route_move *moves, unsigned max,
	    unsigned *n, struct api_error *err);

/*
 * A conversation that came back (a user's message reopened it, a snooze
 * ended, an agent put it back in the queue): if it has no agent, or one
 * who is not available, route it (never to exclude) into *m
 * (m->conversation 0: nothing moved).  0, or -1 with err.
 */
int	route_db_settle(struct db *db, const struct config *cfg, long long id,
	    long long exclude, struct route_move *m, struct api_error *err);

/*
 * The active (open or pending) conversations agent holds, at most max of
 * their ids into ids, *n of them (to route them elsewhere when the agent
 * is disabled).  0 or -1.
 */
int	route_db_held(struct db *db, long long agent, long long *ids,
	    unsigned max, unsigned *n);

/* One place in the queue: the conversation, its user, 1 = next. */
struct route_place {
	long long	conversation;
	long long	user;
	long long	position;
};

/*
 * The queue in order, at most max places into a malloc'd *out (free it),
 * *n of them.  0 or -1.
 */
int	route_db_queue(struct db *db, unsigned max, struct route_place **out,
	    unsigned *n);

#endif
