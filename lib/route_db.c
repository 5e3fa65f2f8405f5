/*
 * route_db.c - routing and the queue (route_db.h says the rule).
 */
#include <stdlib.h>
#include <string.h>

#include "activity_db.h"
#include "route_db.h"

/* An agent's active conversations: what capacity counts. */
#define ROUTE_LOAD	"(SELECT COUNT(*) FROM conversations a" \
	" WHERE a.assignedSupportId = u.id AND a.status IN ('open', 'pending'))"
/* Who may be given work: connected, available, an agent, not disabled. */
#define ROUTE_ELIGIBLE	"u.role = 'Support' AND u.disabled = 0" \
	" AND u.isOnline = 1 AND u.availability = 'online'"
/* Who may keep a conversation that comes back: the same, any staff role. */
#define ROUTE_AVAILABLE	"u.disabled = 0 AND u.isOnline = 1" \
	" AND u.availability = 'online' AND u.role IN ('Support', 'Admin')"

/* How many more agent may be given now (0 if not eligible); DB_*. */
static int
route_room(struct db *db, const struct config *cfg, long long agent,
    long long *room)
{
	static const char lock[] = "SELECT id FROM users WHERE id = ?"
	    " FOR UPDATE";
	/* A plain read after the lock: READ COMMITTED sees the latest. */
	static const char sql[] = "SELECT COALESCE(u.capacity, ?) - "
	    ROUTE_LOAD " FROM users u WHERE u.id = ? AND " ROUTE_ELIGIBLE;
	struct db_res *res;
	int st;

	*room = 0;
	if ((st = db_exec(db, NULL, lock, "i", agent)) != DB_OK ||
	    (st = db_exec(db, &res, sql, "ii", (long long)cfg->assign_capacity,
	    agent)) != DB_OK)
		return st;
	*room = db_cell_ll(res, 0, 0, 0);
	db_res_free(res);
	return DB_OK;
}

int
route_db_pick(struct db *db, const struct config *cfg, long long exclude,
    long long *agent)
{
	static const char sql[] = "SELECT u.id FROM users u WHERE "
	    ROUTE_ELIGIBLE " AND u.id <> ? AND " ROUTE_LOAD
	    " < COALESCE(u.capacity, ?) ORDER BY " ROUTE_LOAD ", u.id LIMIT 1";
	struct db_res *res;
	long long cand, room;
	int attempt, st;

	*agent = 0;
	/*
	 * The choice is made without a lock, then checked under the agent's:
	 * another routing may have taken their last place meanwhile, and the
	 * next look sees that.
	 */
	for (attempt = 0; attempt < 4; attempt++) {
		if ((st = db_exec(db, &res, sql, "ii", exclude,
		    (long long)cfg->assign_capacity)) != DB_OK)
			return st;
		cand = db_cell_ll(res, 0, 0, 0);
		db_res_free(res);
		if (cand == 0)
			return DB_OK;
		if ((st = route_room(db, cfg, cand, &room)) != DB_OK)
			return st;
		if (room > 0) {
			*agent = cand;
			return DB_OK;
		}
	}
	return DB_OK;
}

/*
 * conv from previous to agent (0: back in the queue, its place taken now
 * if it had none), with its activity entry: m says what moved.
 */
static int
route_set(struct db *db, long long conv, long long previous, long long agent,
    struct route_move *m)
{
	static const char sql[] = "UPDATE conversations SET"
	    " queuedAt = IF(? = 0, COALESCE(queuedAt, CURRENT_TIMESTAMP(3)),"
	    " NULL), status = IF(? = 0, 'pending', 'open'),"
	    " assignedSupportId = NULLIF(?, 0),"
	    " updatedAt = CURRENT_TIMESTAMP(3) WHERE id = ?";
	struct activity act = { 0 };
	int st;

	if ((st = db_exec(db, NULL, sql, "iiii", agent, agent, agent,
	    conv)) != DB_OK)
		return st;
	act.action = agent != 0 ? ACT_ROUTED : ACT_UNASSIGNED;
	act.agent = agent;
	if ((st = activity_db_add(db, conv, &act, &m->activity)) != DB_OK)
		return st;
	m->conversation = conv;
	m->agent = agent;
	m->previous = previous;
	return DB_OK;
}

static int
route_drain_tx(struct db *db, const struct config *cfg, long long agent,
    struct route_move *moves, unsigned max, unsigned *n)
{
	/* Oldest first; a row another drain holds is skipped, not waited on. */
	static const char queue[] = "SELECT id FROM conversations"
	    " WHERE assignedSupportId IS NULL AND status = 'pending'"
	    " ORDER BY queuedAt, id LIMIT ? FOR UPDATE SKIP LOCKED";
	struct db_res *res;
	long long room;
	unsigned i;
	int st;

	if ((st = route_room(db, cfg, agent, &room)) != DB_OK || room <= 0)
		return st;
	if (room > (long long)max)
		room = (long long)max;
	if ((st = db_exec(db, &res, queue, "i", room)) != DB_OK)
		return st;
	for (i = 0; i < res->nrows; i++)
		if ((st = route_set(db, db_cell_ll(res, i, 0, 0), 0, agent,
		    &moves[i])) != DB_OK)
			break;
	*n = st == DB_OK ? res->nrows : 0;
	db_res_free(res);
	return st;
}

int
route_db_drain(struct db *db, const struct config *cfg, long long agent,
    struct route_move *moves, unsigned max, unsigned *n,
    struct api_error *err)
{
	int st;

	*n = 0;
	if ((st = db_begin_fresh(db)) != DB_OK ||
	    (st = route_drain_tx(db, cfg, agent, moves, max, n)) != DB_OK ||
	    (st = db_commit(db)) != DB_OK) {
		db_rollback(db);
		*n = 0;
		return chat_db_fail(err, st);
	}
	return 0;
}

/* 1 if agent may keep a conversation that comes back, 0, or a DB_*. */
static int
route_available(struct db *db, long long agent)
{
	static const char sql[] = "SELECT COUNT(*) FROM users u"
	    " WHERE u.id = ? AND " ROUTE_AVAILABLE;
	struct db_res *res;
	int st, ok;

	if ((st = db_exec(db, &res, sql, "i", agent)) != DB_OK)
		return st;
	ok = db_cell_ll(res, 0, 0, 0) == 1;
	db_res_free(res);
	return ok;
}

static int
route_settle_tx(struct db *db, const struct config *cfg, long long id,
    long long exclude, struct route_move *m)
{
	static const char lock[] = "SELECT assignedSupportId, status"
	    " FROM conversations WHERE id = ? FOR UPDATE";
	struct db_res *res;
	long long cur, to;
	int st, waiting, active;

	if ((st = db_exec(db, &res, lock, "i", id)) != DB_OK)
		return st;
	if (res->nrows == 0) {
		db_res_free(res);
		return DB_OK;
	}
	cur = db_cell_ll(res, 0, 0, 0);
	active = db_cell(res, 0, 1) != NULL &&
	    (db_cell(res, 0, 1)[0] == 'o' || db_cell(res, 0, 1)[0] == 'p');
	waiting = db_cell(res, 0, 1) != NULL && db_cell(res, 0, 1)[0] == 'p';
	db_res_free(res);
	if (!active)
		return DB_OK;		/* resolved or snoozed: nothing to route */
	if (cur != 0 && cur != exclude) {
		if ((st = route_available(db, cur)) != 0)
			return st == 1 ? DB_OK : st;	/* it stays */
	}
	if ((st = route_db_pick(db, cfg, exclude, &to)) != DB_OK)
		return st;
	if (to == 0 && cur == 0 && waiting)
		return DB_OK;		/* it waits, and keeps its place */
	return route_set(db, id, cur, to, m);
}

int
route_db_settle(struct db *db, const struct config *cfg, long long id,
    long long exclude, struct route_move *m, struct api_error *err)
{
	int st;

	memset(m, 0, sizeof(*m));
	if ((st = db_begin_fresh(db)) != DB_OK ||
	    (st = route_settle_tx(db, cfg, id, exclude, m)) != DB_OK ||
	    (st = db_commit(db)) != DB_OK) {
		db_rollback(db);
		memset(m, 0, sizeof(*m));
		return chat_db_fail(err, st);
	}
	return 0;
}

int
route_db_queue(struct db *db, unsigned max, struct route_place **out,
    unsigned *n)
{
	static const char sql[] = "SELECT id, userId FROM conversations"
	    " WHERE assignedSupportId IS NULL AND status = 'pending'"
	    " ORDER BY queuedAt, id LIMIT ?";
	struct db_res *res;
	unsigned i;

	*out = NULL;
	*n = 0;
	if (db_exec(db, &res, sql, "i", (long long)max) != DB_OK)
		return -1;
	if (res->nrows > 0 &&
	    (*out = calloc(res->nrows, sizeof(**out))) == NULL) {
		db_res_free(res);
		return -1;
	}
	for (i = 0; i < res->nrows; i++) {
		(*out)[i].conversation = db_cell_ll(res, i, 0, 0);
		(*out)[i].user = db_cell_ll(res, i, 1, 0);
		(*out)[i].position = (long long)i + 1;
	}
	*n = res->nrows;
	db_res_free(res);
	return 0;
}

int
route_db_held(struct db *db, long long agent, long long *ids, unsigned max,
    unsigned *n)
{
	static const char sql[] = "SELECT id FROM conversations"
	    " WHERE assignedSupportId = ? AND status IN ('open', 'pending')"
	    " ORDER BY id LIMIT ?";
	struct db_res *res;
	unsigned i;

	*n = 0;
	if (db_exec(db, &res, sql, "ii", agent, (long long)max) != DB_OK)
		return -1;
	for (i = 0; i < res->nrows; i++)
		ids[i] = db_cell_ll(res, i, 0, 0);
	*n = res->nrows;
	db_res_free(res);
	return 0;
}
