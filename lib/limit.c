/*
 * limit.c - rate limits in the database (limit.h).
 *
 * The bucket's row holds its theoretical arrival time (tat, microseconds):
 * an event at now is allowed when max(tat, now) - now <= (burst - 1) *
 * step, and then tat becomes max(tat, now) + step.  One INSERT ... ON
 * DUPLICATE KEY UPDATE does the test and the update together, on the
 * database's clock; the affected-row count says which happened (1 or 2:
 * taken, 0: the row was left as it was, refused).
 */
#include <stdio.h>
#include <string.h>

#include "chat.h"
#include "limit.h"

#define LIMIT_KEY_MAX	160

/* now in microseconds on the database's clock, inside one statement. */
#define NOW_US	"CAST(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(6)) * 1000000 AS SIGNED)"

struct limit
limit_of(const struct config *c, enum limit_kind kind)
{
	struct limit l = { "?", 0, 1, 1 };

	switch (kind) {
	case LIMIT_SEND:
		l = (struct limit){ "send", c->limits_send_rate, 1,
		    c->limits_send_burst };
		break;
	case LIMIT_REGISTER:
		l = (struct limit){ "register", c->auth_register_per_hour,
		    3600, c->auth_register_per_hour };
		break;
	case LIMIT_LOGIN:
		/* The burst, then one attempt per backoff: never a block. */
		l = (struct limit){ "login", 1, c->auth_login_backoff,
		    c->auth_login_max_failures };
		break;
	case LIMIT_LOGIN_ADDR:
		l = (struct limit){ "login-addr", c->auth_login_max_failures_ip,
		    c->auth_login_window, c->auth_login_max_failures_ip };
		break;
	}
	return l;
}

static int
limit_key(const struct limit *l, const char *key, char *out, size_t outsz)
{
	return (size_t)snprintf(out, outsz, "%s:%s", l->name, key) >= outsz ?
	    -1 : 0;
}

static long long
limit_step(const struct limit *l)
{
	return (long long)l->period * 1000000 / l->count;
}

static long long
limit_slack(const struct limit *l)
{
	return (long long)(l->burst > 1 ? l->burst - 1 : 0) * limit_step(l);
}

/*
 * Seconds until k's bucket has room for one more (0: it has room now), or
 * -1 with err on a database error.
 */
static long long
limit_wait(struct db *db, const char *k, long long slack,
    struct api_error *err)
{
	static const char sql[] = "SELECT CEIL((tat - ? - " NOW_US ") / 1e6)"
	    " FROM rate_buckets WHERE k = ?";
	struct db_res *res;
	long long s;
	int st;

	if ((st = db_exec(db, &res, sql, "is", slack, k)) != DB_OK)
		return chat_db_fail(err, st);
	s = res->nrows > 0 ? db_cell_ll(res, 0, 0, 0) : 0;
	db_res_free(res);
	return s > 0 ? s : 0;
}

static int
limit_over(struct api_error *err, long long wait)
{
	api_fail(err, API_TOO_MANY, "too many requests, try again in %lld s",
	    wait);
	err->retry_after = (long)wait;
	return -1;
}

int
limit_take(struct db *db, const struct limit *l, const char *key,
    struct api_error *err)
{
	static const char sql[] = "INSERT INTO rate_buckets (k, tat)"
	    " VALUES (?, " NOW_US " + ?) ON DUPLICATE KEY UPDATE tat ="
	    " IF(GREATEST(tat, " NOW_US ") - " NOW_US " <= ?,"
	    " GREATEST(tat, " NOW_US ") + ?, tat)";
	char k[LIMIT_KEY_MAX];
	struct db_res *res;
	long long step, slack, wait;
	int st, taken;

	if (l->count <= 0)
		return 0;
	if (limit_key(l, key, k, sizeof(k)) == -1)
		return api_fail(err, API_INTERNAL, "rate limit key too long");
	step = limit_step(l);
	slack = limit_slack(l);
	if ((st = db_exec(db, &res, sql, "siii", k, step, slack, step)) !=
	    DB_OK)
		return chat_db_fail(err, st);
	taken = res->affected > 0;
	db_res_free(res);
	if (taken)
		return 0;
	if ((wait = limit_wait(db, k, slack, err)) == -1)
		return -1;
	return limit_over(err, wait > 0 ? wait : 1);
}

int
limit_room(struct db *db, const struct limit *l, const char *key,
    struct api_error *err)
{
	char k[LIMIT_KEY_MAX];
	long long wait;

	if (l->count <= 0)
		return 0;
	if (limit_key(l, key, k, sizeof(k)) == -1)
		return api_fail(err, API_INTERNAL, "rate limit key too long");
	if ((wait = limit_wait(db, k, limit_slack(l), err)) == -1)
		return -1;
	return wait > 0 ? limit_over(err, wait) : 0;
}

void
limit_clear(struct db *db, const struct limit *l, const char *key)
{
	static const char sql[] = "DELETE FROM rate_buckets WHERE k = ?";
	char k[LIMIT_KEY_MAX];

	if (limit_key(l, key, k, sizeof(k)) == 0)
		(void)db_exec(db, NULL, sql, "s", k);
}

void
limit_prune(struct db *db, long n)
{
	static const char sql[] = "DELETE FROM rate_buckets WHERE tat < "
	    NOW_US " LIMIT ?";

	(void)db_exec(db, NULL, sql, "i", (long long)n);
}
