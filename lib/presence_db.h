/*
 * presence_db.h - who is online, as the database keeps it for the REST
 * side (isOnline, lastSeen), and who hears of a user's presence.  pushd
 * owns presence and calls these on its database thread.
 */
#ifndef CHAT_PRESENCE_DB_H
#define CHAT_PRESENCE_DB_H

#include "db.h"

/* Everyone offline (pushd starting: no socket is open). 0 or -1. */
int	presence_db_reset(struct db *db);
/*
 * Store uid online or offline (then lastSeen is now: *last_seen_ms).
 * 0 or -1.
 */
int	presence_db_set(struct db *db, long long uid, int online,
	    long long *last_seen_ms);
/*
 * The people who share a conversation with uid (their agents; an agent's
 * users), at most max of them: a malloc'd array in *peers (free it) and
 * its length, or -1.
 */
int	presence_db_peers(struct db *db, long long uid, unsigned max,
	    long long **peers, unsigned *n);

#endif
