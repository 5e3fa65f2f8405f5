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
#include "presence_db.h"
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
	if (presence_db_reset(db) == -1)
		log_warnx("could not reset presence");
}

static void
presence_run(struct dbq_job *j, struct db *db)
{
	struct presence_job *p = (struct presence_job *)j;
	long long uid = (long long)p->uid;

	if (presence_db_set(db, uid, p->online, &p->last_seen_ms) == -1)
		log_warnx("presence of user %lld not stored", uid);
	(void)presence_db_peers(db, uid, PRESENCE_MAX_PEERS, &p->peers,
	    &p->npeers);
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
	/*
	 * Only the first session of a user changes anything; an agent who
	 * connects may take work from the queue (after the presence job:
	 * routing counts only connected agents).
	 */
	if (s->unext == NULL && s->uprev == NULL) {
		presence_submit(s, 1);
		if (s->user.role == CHAT_ROLE_SUPPORT)
			workflow_drain((uint64_t)s->user.id);
	}
	queue_connected(s);
}

void
presence_disconnected(struct session *s)
{
	presence_submit(s, 0);
}
