/*
 * conversations_db.c - the statements about conversations: a caller's
 * list (under the one access rule, chat.h's CHAT_SCOPED) and a user's
 * "start or continue" (conversations_db.h).
 */
#include <string.h>
#include <time.h>

#include "activity_db.h"
#include "conversations_db.h"
#include "jsonio.h"
#include "labels_db.h"
#include "model.h"
#include "route_db.h"

/*
 * The list and its count for each role, over the same rows: the one access
 * rule (chat.h's CHAT_SCOPED), then the filter (LIST_FILTER, the same
 * parameters for every role).  The list carries the count as a last column
 * (a window over the rows that match), which saves a round trip; the count
 * alone serves a page past the end, which has no row to carry it.
 *
 * Filter parameters: the assignee kind (CONV_ANY, CONV_AGENT with its id,
 * CONV_QUEUE), the status ("": the default, all but resolved; "all"; or
 * one status), the user (0: any), a time (epoch ms; 0: any) after which
 * it changed, and a label it carries (0: any).  The queue lists oldest
 * first, everything else the most recently active first.
 */
#define LIST_FILTER \
	" AND (? = 0 OR (? = 1 AND c.assignedSupportId = ?)" \
	"  OR (? = 2 AND c.assignedSupportId IS NULL))" \
	" AND (? = 'all' OR c.status = ? OR (? = '' AND c.status <> 'resolved'))" \
	" AND (? = 0 OR c.userId = ?)" \
	" AND (? = 0 OR c.updatedAt > FROM_UNIXTIME(? / 1000))" \
	" AND (? = 0 OR EXISTS (SELECT 1 FROM conversation_labels cl" \
	"  WHERE cl.conversationId = c.id AND cl.labelId = ?))"
#define LIST_ORDER \
	" ORDER BY IF(? = 2, COALESCE(c.queuedAt, c.createdAt), NULL) ASC, c.updatedAt DESC," \
	" c.id DESC LIMIT ? OFFSET ?"
static const char *const conv_list[CHAT_NROLES] = CHAT_SCOPED(
    "SELECT " MODEL_CONVERSATION_COLUMNS ", COUNT(*) OVER ()"
    MODEL_CONVERSATION_FROM " WHERE ", LIST_FILTER LIST_ORDER);
static const char *const conv_count[CHAT_NROLES] = CHAT_SCOPED(
    "SELECT COUNT(*) FROM conversations c WHERE ", LIST_FILTER);

/* The filter's parameters after the scope's, as both statements take them. */
#define FILTER_ARGS(f) \
	(long long)(f)->kind, (long long)(f)->kind, (f)->agent, \
	(long long)(f)->kind, (f)->status, (f)->status, (f)->status, \
	(f)->user, (f)->user, (f)->updated_after, (f)->updated_after, \
	(f)->label, (f)->label

/* The total: from the first row, or counted when the page is empty. */
static int
conv_db_total(struct db *db, const struct chat_user *u,
    const struct conv_filter *f, long pg, const struct db_res *res,
    long long *total)
{
	struct db_res *cnt;
	int st;

	if (res->nrows > 0) {
		*total = db_cell_ll(res, 0, MODEL_CONVERSATION_NCOLS, 0);
		return DB_OK;
	}
	*total = 0;
	if (pg == 1)
		return DB_OK;
	if ((st = db_exec(db, &cnt, conv_count[u->role], "iiiiisssiiiiii",
	    CHAT_SCOPE_ARG(u), FILTER_ARGS(f))) != DB_OK)
		return st;
	*total = db_cell_ll(cnt, 0, 0, 0);
	db_res_free(cnt);
	return DB_OK;
}

json_object *
conv_db_list(struct db *db, const struct chat_user *u,
    const struct conv_filter *f, long pg, long limit, long long *total,
    struct api_error *err)
{
	struct db_res *res;
	json_object *data;
	unsigned row;
	int st;

	if ((st = db_exec(db, &res, conv_list[u->role], "iiiiisssiiiiiiiii",
	    CHAT_SCOPE_ARG(u), FILTER_ARGS(f), (long long)f->kind,
	    (long long)limit, (long long)(pg - 1) * limit)) != DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	if ((st = conv_db_total(db, u, f, pg, res, total)) != DB_OK) {
		db_res_free(res);
		chat_db_fail(err, st);
		return NULL;
	}
	data = json_object_new_array();
	for (row = 0; row < res->nrows; row++)
		json_object_array_add(data, model_conversation(res, row, u->id));
	db_res_free(res);
	/* Labels are the support side's: a user's objects carry none. */
	if (u->role != CHAT_ROLE_USER && labels_db_attach(db, data, err) == -1) {
		json_object_put(data);
		return NULL;
	}
	return data;
}

static int
conv_status_ok(const char *s)
{
	return strcmp(s, "open") == 0 || strcmp(s, "pending") == 0 ||
	    strcmp(s, "resolved") == 0 || strcmp(s, "snoozed") == 0;
}

int
conv_filter_parse(const struct chat_user *u, const char *assignee,
    const char *status, struct conv_filter *f, struct api_error *err)
{
	long long id;

	memset(f, 0, sizeof(*f));
	/* A user's own list shows every status unless asked: the seed's app. */
	f->status = status != NULL ? status :
	    u->role == CHAT_ROLE_USER ? "all" : "";
	if (status != NULL && strcmp(status, "all") != 0 &&
	    !conv_status_ok(status))
		return api_fail(err, API_VALIDATION, "status must be open, "
		    "pending, resolved, snoozed or all");
	if (u->role == CHAT_ROLE_USER)
		return 0;		/* their own, whoever holds them */
	/* The default: an agent's own, an admin's everything (as before). */
	if (assignee == NULL)
		assignee = u->role == CHAT_ROLE_ADMIN ? "all" : "me";
	if (strcmp(assignee, "me") == 0) {
		f->kind = CONV_AGENT;
		f->agent = u->id;
	} else if (strcmp(assignee, "unassigned") == 0)
		f->kind = CONV_QUEUE;
	else if (strcmp(assignee, "all") == 0 || id_parse(assignee, &id) == 0) {
		if (u->role != CHAT_ROLE_ADMIN)
			return api_fail(err, API_FORBIDDEN, "only admins list "
			    "all conversations or another agent's");
		if (strcmp(assignee, "all") == 0)
			f->kind = CONV_ANY;
		else {
			f->kind = CONV_AGENT;
			f->agent = id;
		}
	} else
		return api_fail(err, API_VALIDATION, "assignee must be me, "
		    "unassigned, all or an agent's id");
	return 0;
}

/*
 * Inside a transaction holding the user's row lock: the open conversation's
 * id, or a new one routed (route_db.h) to an agent or, if none can take
 * it, into the queue.
 */
static int
conv_db_find_or_open(struct db *db, const struct config *cfg,
    const struct chat_user *u, long long *id, int *created)
{
	static const char find[] = "SELECT id FROM conversations"
	    " WHERE userId = ? AND status <> 'resolved'"
	    " ORDER BY updatedAt DESC LIMIT 1";
	static const char ins[] = "INSERT INTO conversations (userId,"
	    " assignedSupportId, status, queuedAt) VALUES (?, NULLIF(?, 0),"
	    " IF(? = 0, 'pending', 'open'),"
	    " IF(? = 0, CURRENT_TIMESTAMP(3), NULL))";
	struct activity act = { 0 };
	struct db_res *res;
	long long agent, act_id;
	int st;

	*created = 0;
	if ((st = db_exec(db, &res, find, "i", u->id)) != DB_OK)
		return st;
	*id = db_cell_ll(res, 0, 0, 0);
	db_res_free(res);
	if (*id > 0)
		return DB_OK;
	if ((st = route_db_pick(db, cfg, 0, &agent)) != DB_OK)
		return st;
	if ((st = db_exec(db, &res, ins, "iiii", u->id, agent, agent,
	    agent)) != DB_OK)
		return st;
	*id = (long long)res->insert_id;
	db_res_free(res);
	*created = 1;
	if (agent == 0)
		return DB_OK;
	act.action = ACT_ROUTED;
	act.agent = agent;
	return activity_db_add(db, *id, &act, &act_id);
}

int
conv_db_open(struct db *db, const struct config *cfg,
    const struct chat_user *u, long long *id, int *created,
    struct api_error *err)
{
	static const char lock[] = "SELECT id FROM users WHERE id = ? FOR UPDATE";
	int st;

	*id = 0;
	*created = 0;
	/* The user's row lock makes two concurrent starts open one. */
	if ((st = db_begin_fresh(db)) != DB_OK ||
	    (st = db_exec(db, NULL, lock, "i", u->id)) != DB_OK ||
	    (st = conv_db_find_or_open(db, cfg, u, id, created)) != DB_OK ||
	    (st = db_commit(db)) != DB_OK) {
		db_rollback(db);
		return chat_db_fail(err, st);
	}
	return 0;
}


int
conv_db_set_status(struct db *db, const struct chat_user *u, long long id,
    const char *status, long long until_ms, long long *activity,
    struct api_error *err)
{
	/*
	 * The assigned agent or an admin (the one access rule; a user is
	 * never one).  The times first: assignments run left to right.
	 */
	static const char *const sql[CHAT_NROLES] = CHAT_SCOPED_ACT(
	    "UPDATE conversations c SET"
	    " c.snoozedUntil = IF(? = 'snoozed', FROM_UNIXTIME(? / 1000), NULL),"
	    " c.resolvedAt = IF(? = 'resolved', CURRENT_TIMESTAMP(3), NULL),"
	    " c.queuedAt = IF(? = 'pending' AND c.assignedSupportId IS NULL,"
	    "  COALESCE(c.queuedAt, CURRENT_TIMESTAMP(3)), NULL),"
	    " c.status = ?, c.updatedAt = CURRENT_TIMESTAMP(3)"
	    " WHERE c.id = ? AND ", "");
	struct activity act = { 0 };
	struct timespec ts;
	struct db_res *res;
	long long now;
	int st, changed;

	*activity = 0;
	if (!conv_status_ok(status))
		return api_fail(err, API_VALIDATION, "status must be open, "
		    "pending, resolved or snoozed");
	clock_gettime(CLOCK_REALTIME, &ts);
	now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (strcmp(status, "snoozed") == 0 && until_ms <= now)
		return api_fail(err, API_VALIDATION,
		    "snoozedUntil must be a time in the future");
	if (strcmp(status, "snoozed") != 0 && until_ms != 0)
		return api_fail(err, API_VALIDATION,
		    "snoozedUntil goes only with status snoozed");
	if (u->role == CHAT_ROLE_USER)
		return api_fail(err, API_NOT_FOUND, "conversation not found");
	act.action = activity_of_status(status);
	act.actor = u->id;
	act.until_ms = until_ms;
	/* The change and its activity entry, together or not at all. */
	if ((st = db_begin(db)) != DB_OK)
		return chat_db_fail(err, st);
	if ((st = db_exec(db, &res, sql[u->role], "sisssii", status, until_ms,
	    status, status, status, id, CHAT_SCOPE_ARG(u))) != DB_OK) {
		db_rollback(db);
		return chat_db_fail(err, st);
	}
	changed = res->affected > 0;
	db_res_free(res);
	if (!changed) {
		db_rollback(db);
		return api_fail(err, API_NOT_FOUND, "conversation not found");
	}
	if ((st = activity_db_add(db, id, &act, activity)) != DB_OK ||
	    (st = db_commit(db)) != DB_OK) {
		db_rollback(db);
		*activity = 0;
		return chat_db_fail(err, st);
	}
	return 0;
}

int
conv_db_wake(struct db *db, long long *ids, long long *acts, unsigned max)
{
	static const char due[] = "SELECT id FROM conversations"
	    " WHERE status = 'snoozed' AND snoozedUntil <= CURRENT_TIMESTAMP(3)"
	    " ORDER BY snoozedUntil LIMIT ?";
	/* Only if still snoozed: a message may have reopened it meanwhile. */
	static const char wake[] = "UPDATE conversations SET"
	    " queuedAt = IF(assignedSupportId IS NULL, CURRENT_TIMESTAMP(3),"
	    " NULL), status = IF(assignedSupportId IS NULL, 'pending', 'open'),"
	    " snoozedUntil = NULL, updatedAt = CURRENT_TIMESTAMP(3)"
	    " WHERE id = ? AND status = 'snoozed'";
	struct activity act = { .action = ACT_WOKE };
	struct db_res *res, *w;
	unsigned i, n = 0;
	long long id;
	int woke;

	if (db_exec(db, &res, due, "i", (long long)max) != DB_OK)
		return -1;
	for (i = 0; i < res->nrows && n < max; i++) {
		id = db_cell_ll(res, i, 0, 0);
		if (db_begin(db) != DB_OK)
			break;
		if (db_exec(db, &w, wake, "i", id) != DB_OK) {
			db_rollback(db);
			continue;
		}
		woke = w->affected > 0;
		db_res_free(w);
		/* The change and its entry, together. */
		if (!woke || activity_db_add(db, id, &act, &acts[n]) != DB_OK ||
		    db_commit(db) != DB_OK) {
			db_rollback(db);
			continue;
		}
		ids[n++] = id;
	}
	db_res_free(res);
	return (int)n;
}

/* 0 if id is an agent or admin whose account is not disabled, else -1. */
static int
conv_assignee_ok(struct db *db, long long id, struct api_error *err)
{
	static const char sql[] = "SELECT COUNT(*) FROM users WHERE id = ?"
	    " AND role IN ('Support', 'Admin') AND disabled = 0";
	struct db_res *res;
	int st, ok;

	if ((st = db_exec(db, &res, sql, "i", id)) != DB_OK)
		return chat_db_fail(err, st);
	ok = db_cell_ll(res, 0, 0, 0) == 1;
	db_res_free(res);
	return ok ? 0 : api_fail(err, API_VALIDATION,
	    "supportId must name an agent");
}

/* The assignment rule: may u move a conversation held by current to to? */
static int
conv_may_assign(const struct chat_user *u, long long current, long long to)
{
	switch (u->role) {
	case CHAT_ROLE_ADMIN:
		return 1;
	case CHAT_ROLE_SUPPORT:
		/* Take from the queue, or pass on / back one's own. */
		return current == 0 ? to == u->id : current == u->id;
	default:
		return 0;
	}
}

/* How an assignment by u of one held by current to agent reads. */
static enum activity_action
conv_assign_action(const struct chat_user *u, long long current,
    long long agent)
{
	if (agent == 0)
		return ACT_UNASSIGNED;
	if (agent == u->id)
		return ACT_TAKEN;
	return current == u->id ? ACT_TRANSFERRED : ACT_ASSIGNED;
}

static int
conv_assign_tx(struct db *db, const struct chat_user *u, long long id,
    long long agent, long long *previous, long long *activity,
    struct api_error *err)
{
	struct activity act = { 0 };
	static const char lock[] = "SELECT assignedSupportId FROM conversations"
	    " WHERE id = ? FOR UPDATE";
	/* Out of the queue it is open; back in the queue it waits. */
	static const char set[] = "UPDATE conversations SET"
	    " queuedAt = IF(? = 0, CURRENT_TIMESTAMP(3), NULL),"
	    " status = IF(? = 0, 'pending', IF(status = 'pending', 'open',"
	    " status)), assignedSupportId = NULLIF(?, 0),"
	    " updatedAt = CURRENT_TIMESTAMP(3) WHERE id = ?";
	struct db_res *res;
	int st, found;

	if ((st = db_exec(db, &res, lock, "i", id)) != DB_OK)
		return chat_db_fail(err, st);
	found = res->nrows == 1;
	*previous = found ? db_cell_ll(res, 0, 0, 0) : 0;
	db_res_free(res);
	if (!found || !conv_may_assign(u, *previous, agent))
		return api_fail(err, API_NOT_FOUND, "conversation not found");
	if (agent != 0 && conv_assignee_ok(db, agent, err) == -1)
		return -1;
	if ((st = db_exec(db, NULL, set, "iiii", agent, agent, agent, id)) !=
	    DB_OK)
		return chat_db_fail(err, st);
	act.action = conv_assign_action(u, *previous, agent);
	act.actor = u->id;
	act.agent = agent;
	if ((st = activity_db_add(db, id, &act, activity)) != DB_OK)
		return chat_db_fail(err, st);
	return 0;
}

struct conv_assignment {
	const struct chat_user	*u;
	long long		 id;
	long long		 agent;
	long long		*previous;
	long long		*activity;
};

static int
conv_assign_body(struct db *db, void *arg, struct api_error *err)
{
	struct conv_assignment *a = arg;

	return conv_assign_tx(db, a->u, a->id, a->agent, a->previous,
	    a->activity, err);
}

int
conv_db_assign(struct db *db, const struct chat_user *u, long long id,
    long long agent, long long *previous, long long *activity,
    struct api_error *err)
{
	struct conv_assignment a = { u, id, agent, previous, activity };

	*previous = *activity = 0;
	if (u->role == CHAT_ROLE_USER)
		return api_fail(err, API_NOT_FOUND, "conversation not found");
	return chat_transaction(db, conv_assign_body, &a, err);
}
