/*
 * presence.c - online/offline and last seen.
 *
 * pushd owns presence: at start every user is offline; a user's first
 * session sets isOnline = 1, the last one to go sets isOnline = 0 and
 * lastSeen.  user:online / user:offline go to the people who share a
 * conversation with that user (their agent; an agent's users), not to
 * every socket.  The jobs run in order on the db thread, so a quick
 * reconnect (offline then online) ends online.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "log.h"
#include "pushd.h"

#define PRESENCE_MAX_PEERS	100000

struct presence_job {
	struct dbq_job	 job;
	uint64_t	 uid;
	int		 online;
	long long	 last_seen_ms;
	long long	*peers;
	unsigned	 npeers;
};

void
presence_reset(struct db *db)
{
	if (db_exec(db, NULL, "UPDATE users SET isOnline = 0"
	    " WHERE isOnline = 1", "") != DB_OK)
		log_warnx("could not reset presence");
}

static void
presence_run(struct dbq_job *j, struct db *db)
{
	static const char on[] = "UPDATE users SET isOnline = 1 WHERE id = ?";
	static const char off[] = "UPDATE users SET isOnline = 0,"
	    " lastSeen = CURRENT_TIMESTAMP(3) WHERE id = ?";
	static const char seen[] = "SELECT " "ROUND(UNIX_TIMESTAMP(lastSeen)"
	    " * 1000) FROM users WHERE id = ?";
	static const char peers[] = "SELECT assignedSupportId FROM conversations"
	    " WHERE userId = ? AND assignedSupportId IS NOT NULL"
	    " UNION SELECT userId FROM conversations WHERE assignedSupportId = ?";
	struct presence_job *p = (struct presence_job *)j;
	long long uid = (long long)p->uid;
	struct db_res *res;
	unsigned i;

	if (db_exec(db, NULL, p->online ? on : off, "i", uid) != DB_OK)
		log_warnx("presence of user %lld not stored", uid);
	if (!p->online && db_exec(db, &res, seen, "i", uid) == DB_OK) {
		p->last_seen_ms = db_cell_ll(res, 0, 0, -1);
		db_res_free(res);
	}
	if (db_exec(db, &res, peers, "ii", uid, uid) != DB_OK)
		return;
	if (res->nrows > 0 && res->nrows <= PRESENCE_MAX_PEERS &&
	    (p->peers = calloc(res->nrows, sizeof(*p->peers))) != NULL) {
		for (i = 0; i < res->nrows; i++)
			p->peers[i] = db_cell_ll(res, i, 0, 0);
		p->npeers = res->nrows;
	}
	db_res_free(res);
}

static void
presence_done(struct dbq_job *j)
{
	struct presence_job *p = (struct presence_job *)j;
	json_object *o;
	unsigned i;

	/* A newer change of the same user may be queued; emit anyway, in order. */
	o = json_object_new_object();
	json_object_object_add(o, "userId", jsonio_id_new((long long)p->uid));
	if (!p->online)
		json_object_object_add(o, "lastSeen",
		    jsonio_time_new(p->last_seen_ms));
	fan_begin();
	for (i = 0; i < p->npeers; i++)
		fan_user((uint64_t)p->peers[i]);
	fan_emit(p->online ? "user:online" : "user:offline", o);
	json_object_put(o);
	free(p->peers);
	free(p);
}

static void
presence_submit(struct session *s, int online)
{
	struct presence_job *p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		log_warnx("out of memory");
		return;
	}
	p->uid = (uint64_t)s->user.id;
	p->online = online;
	p->last_seen_ms = -1;
	p->job.run = presence_run;
	p->job.done = presence_done;
	dbq_submit(pd.dbq, &p->job);
}

void
presence_connected(struct session *s)
{
	/* Only the first session of a user changes anything. */
	if (s->unext == NULL && s->uprev == NULL)
		presence_submit(s, 1);
}

void
presence_disconnected(struct session *s)
{
	presence_submit(s, 0);
}
