/*
 * limit.h - rate limits kept in the database, where every stateless
 * FastCGI process and pushd see the same counter.
 *
 * Each limited thing is a row of rate_buckets under a key ("send:42",
 * "register:203.0.113.9", ...), one generic cell rate algorithm bucket:
 * burst events at once, then one every period/count.  Taking one is a
 * single atomic statement, so parallel requests cannot slip past it.
 */
#ifndef CHAT_LIMIT_H
#define CHAT_LIMIT_H

#include "apierr.h"
#include "config.h"
#include "db.h"

struct limit {
	const char	*name;		/* key prefix, "send" */
	long		 count;		/* events per period (0: no limit) */
	long		 period;	/* seconds */
	long		 burst;		/* at once, at most */
};

/* The limits of the API, one place for each (limit.c's table). */
enum limit_kind {
	LIMIT_SEND,		/* messages of one account, REST and socket */
	LIMIT_REGISTER,		/* registrations from one address */
	LIMIT_LOGIN,		/* login attempts for one phone from one address */
	LIMIT_LOGIN_ADDR	/* failed logins from one address, any phone */
};

/* The limit of that kind as configured. */
struct limit limit_of(const struct config *cfg, enum limit_kind kind);

/*
 * Take one event of l for key (a user id, an address).  0 if it may go
 * ahead; -1 with err set: 429 with err->retry_after when over, or the
 * database's error.
 */
int	limit_take(struct db *db, const struct limit *l, const char *key,
	    struct api_error *err);
/* The same test without taking: -1 with err (429) if l is over for key. */
int	limit_room(struct db *db, const struct limit *l, const char *key,
	    struct api_error *err);
/* Forget key's bucket (a successful login refunds its attempts). */
void	limit_clear(struct db *db, const struct limit *l, const char *key);
/* Delete up to n buckets that are full again (any row may go then). */
void	limit_prune(struct db *db, long n);

#endif
