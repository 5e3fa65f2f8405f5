/*
 * queue.c - queue:position {conversationId, position}: each waiting user's
 * place in the queue (1 = next in line), sent whenever it changes.
 *
 * The queue lives in the database (route_db.h); pushd reads it in order
 * after anything that may have moved it (a conversation started, assigned,
 * resolved, reopened; a datagram from the FastCGI side) and on every wake
 * tick, and tells only the users whose place changed.  One read at a time:
 * a change while one is in flight asks for one more after it, so a burst
 * of changes costs two reads, not one each.  The last places sent are kept
 * here, by user, for a socket that connects while its user waits.
 *
 * The support team hears the queue's length, queue:updated {count}, when
 * it changes (and each agent's socket as it connects), so the dashboard's
 * Unassigned tab is live without polling.
 */
#include <stdlib.h>

#include "jsonio.h"
#include "log.h"
#include "pushd.h"
#include "route_db.h"

#define QUEUE_MAX	10000	/* places read (and told) per refresh */

struct place {
	struct hmap_node	 node;		/* key: the user's id */
	long long		 conv;
	long long		 position;
	unsigned		 gen;		/* the refresh that saw it */
};

struct queue_job {
	struct dbq_job		 job;
	struct route_place	*places;
	unsigned		 n;
	int			 ok;
};

static struct hmap	 places;
static unsigned		 gen;
static int		 busy, again, ready;
static long long	 waiting = -1;	/* its length as last told (-1: never) */

static json_object *
queue_event(const struct place *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "conversationId", jsonio_id_new(p->conv));
	json_object_object_add(o, "position",
	    json_object_new_int64(p->position));
	return o;
}

/*
 * Every node of a cluster reads the queue itself and tells its own
 * sockets (fan_local): passed on, each place would be told once per node.
 */
static void
queue_tell(const struct place *p)
{
	json_object *o = queue_event(p);

	fan_begin();
	fan_local();
	fan_user(p->node.key);
	fan_emit("queue:position", o);
	json_object_put(o);
}

/* One place as read: new or moved, it is told. */
static void
queue_update(const struct route_place *rp)
{
	struct hmap_node *n = hmap_get(&places, (uint64_t)rp->user);
	struct place *p;

	if (n == NULL) {
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return;
		p->node.key = (uint64_t)rp->user;
		if (hmap_put(&places, &p->node) == -1) {
			free(p);
			return;
		}
	} else {
		p = HMAP_ENTRY(n, struct place, node);
		if (p->conv == rp->conversation && p->position == rp->position) {
			p->gen = gen;
			return;
		}
	}
	p->conv = rp->conversation;
	p->position = rp->position;
	p->gen = gen;
	queue_tell(p);
}

/* Forget the places this refresh did not see: out of the queue. */
static void
queue_sweep(int all)
{
	struct hmap_node **pp, *n;
	struct place *p;
	size_t i;

	for (i = 0; i < places.nb; i++) {
		for (pp = &places.b[i]; (n = *pp) != NULL; ) {
			p = HMAP_ENTRY(n, struct place, node);
			if (all || p->gen != gen) {
				*pp = n->next;
				places.n--;
				free(p);
			} else
				pp = &n->next;
		}
	}
}

/* queue:updated {count} to the support team's sockets. */
static json_object *
queue_count_event(void)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "count", json_object_new_int64(waiting));
	return o;
}

static void
queue_count(long long n)
{
	json_object *o;

	if (n == waiting)
		return;
	waiting = n;
	o = queue_count_event();
	fan_begin();
	fan_local();		/* each node tells its own (queue_tell) */
	fan_room(ROOMS_AGENTS, 0);
	fan_emit("queue:updated", o);
	json_object_put(o);
}

static void
queue_run(struct dbq_job *j, struct db *db)
{
	struct queue_job *qj = (struct queue_job *)j;

	qj->ok = route_db_queue(db, QUEUE_MAX, &qj->places, &qj->n) == 0;
}

static void
queue_done(struct dbq_job *j)
{
	struct queue_job *qj = (struct queue_job *)j;
	unsigned i;

	busy = 0;
	if (qj->ok && !pd.stopping) {
		gen++;
		for (i = 0; i < qj->n; i++)
			queue_update(&qj->places[i]);
		queue_sweep(0);
		queue_count((long long)qj->n);
	}
	free(qj->places);
	free(qj);
	if (again) {
		again = 0;
		queue_touch();
	}
}

void
queue_touch(void)
{
	struct queue_job *qj;

	if (!ready || pd.stopping)
		return;
	if (busy) {
		again = 1;
		return;
	}
	if ((qj = calloc(1, sizeof(*qj))) == NULL) {
		log_warnx("queue: out of memory");
		return;
	}
	busy = 1;
	qj->job.run = queue_run;
	qj->job.done = queue_done;
	dbq_submit(pd.dbq, &qj->job);
}

void
queue_connected(struct session *s)
{
	struct hmap_node *n;
	json_object *o;

	if (!ready)
		return;
	if (s->user.role != CHAT_ROLE_USER) {
		if (waiting >= 0) {
			o = queue_count_event();
			sio_emit(s, "queue:updated", o);
			json_object_put(o);
		}
		return;
	}
	if ((n = hmap_get(&places, (uint64_t)s->user.id)) == NULL)
		return;
	o = queue_event(HMAP_ENTRY(n, struct place, node));
	sio_emit(s, "queue:position", o);
	json_object_put(o);
}

int
queue_init(void)
{
	if (hmap_init(&places) == -1)
		return -1;
	ready = 1;
	return 0;
}

void
queue_free(void)
{
	if (!ready)
		return;
	queue_sweep(1);
	hmap_free(&places);
	ready = 0;
}
