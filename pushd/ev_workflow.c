/*
 * ev_workflow.c - a conversation's workflow as its parties hear it:
 * conversation:updated after a status change (REST PATCH, a user's message
 * that reopens it, a snooze that ends), and the timer that ends snoozes.
 *
 * Each party hears the conversation as it sees it (its own unread count):
 * the user's sockets the user's view, the room's other members and the
 * agent's personal room the support side's.  The views are loaded on the
 * db thread; the loop only sends them.
 */
#include <stdlib.h>
#include <string.h>

#include "conversations_db.h"
#include "jsonio.h"
#include "log.h"
#include "pushd.h"
#include "route_db.h"

#define WAKE_MAX	ROUTE_DRAIN_MAX	/* snoozes ended per tick */

#define UPDATED_ACTS	2	/* activity entries one change may make */

struct updated {
	long long	 conv, user, agent;
	long long	 previous;	/* the agent it was taken from, or 0 */
	int		 fresh;		/* routed: conversation:new to agent */
	json_object	*as_user, *as_agent;
	long long	 act_id[UPDATED_ACTS];	/* 0: none */
	json_object	*act[UPDATED_ACTS];	/* loaded: message objects */
};

struct updated_job {
	struct dbq_job	 job;
	long long	 conv;		/* 0: the snooze wake-up */
	long long	 agent;		/* a drain: the agent who takes */
	unsigned	 n;
	struct updated	 item[WAKE_MAX];
};

static int		 wake_busy;	/* a wake-up job is in flight */
static lws_sorted_usec_list_t wake_sul;

static void
updated_clear(struct updated *u)
{
	unsigned i;

	json_object_put(u->as_user);
	json_object_put(u->as_agent);
	for (i = 0; i < UPDATED_ACTS; i++)
		json_object_put(u->act[i]);
	memset(u, 0, sizeof(*u));
}

/* Remember activity entry id (0: none) to be loaded with u. */
static void
updated_act(struct updated *u, long long id)
{
	unsigned i;

	for (i = 0; i < UPDATED_ACTS && id > 0; i++)
		if (u->act_id[i] == 0) {
			u->act_id[i] = id;
			return;
		}
}

/* Both views of conv into u, and its activity entries; 0 or -1. */
static int
updated_load(struct db *db, long long conv, struct updated *u)
{
	struct api_error err;
	unsigned i;

	for (i = 0; i < UPDATED_ACTS; i++)
		if (u->act_id[i] > 0)
			u->act[i] = chat_message_load(db, &pd.cfg, u->act_id[i],
			    &err);

	u->conv = conv;
	u->as_user = chat_conversation_view(db, conv, 1, &u->user, &u->agent,
	    &err);
	u->as_agent = chat_conversation_view(db, conv, 0, &u->user, &u->agent,
	    &err);
	if (u->as_user != NULL && u->as_agent != NULL)
		return 0;
	updated_clear(u);
	return -1;
}

static void
updated_emit(uint64_t conv, uint64_t user, uint64_t agent, json_object *view,
    int to_user)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "conversation", json_object_get(view));
	fan_begin();
	if (to_user)
		fan_user(user);
	else {
		fan_room(conv, user);
		if (agent != 0)
			fan_user(agent);
	}
	fan_emit("conversation:updated", o);
	json_object_put(o);
}

/*
 * The agent who lost the conversation hears it once more (their list
 * drops it), then their sockets leave its room and forget it: nothing of
 * it reaches them any more, typing included.
 */
static void
updated_evict(const struct updated *u)
{
	struct session *s, *next;
	json_object *o;

	if (u->previous == 0 || u->previous == u->agent)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "conversation", json_object_get(u->as_agent));
	emit_user((uint64_t)u->previous, "conversation:updated", o);
	json_object_put(o);
	for (s = rooms_user_sessions((uint64_t)u->previous); s != NULL;
	    s = next) {
		next = s->unext;
		if (s->typing_conv == (uint64_t)u->conv)
			typing_clear(s);
		rooms_forget(s, (uint64_t)u->conv);
	}
}

/*
 * Its activity entries, as message:new in its room: to the support team's
 * sockets there, and to users' only if their client asked for them.
 */
static void
updated_activity(const struct updated *u)
{
	unsigned i;

	for (i = 0; i < UPDATED_ACTS; i++) {
		if (u->act[i] == NULL)
			continue;
		fan_begin();
		fan_room_activity((uint64_t)u->conv);
		fan_emit("message:new", u->act[i]);
	}
}

/* The agent routing gave it to hears conversation:new, as REST's would. */
static void
updated_fresh(const struct updated *u)
{
	json_object *o;

	if (!u->fresh || u->agent == 0)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "conversation", json_object_get(u->as_agent));
	emit_user((uint64_t)u->agent, "conversation:new", o);
	json_object_put(o);
}

static void
updated_done(struct dbq_job *j)
{
	struct updated_job *uj = (struct updated_job *)j;
	struct updated *u;
	unsigned i;

	for (i = 0; i < uj->n; i++) {
		u = &uj->item[i];
		updated_evict(u);
		updated_emit((uint64_t)u->conv, (uint64_t)u->user,
		    (uint64_t)u->agent, u->as_user, 1);
		updated_emit((uint64_t)u->conv, (uint64_t)u->user,
		    (uint64_t)u->agent, u->as_agent, 0);
		updated_fresh(u);
		updated_activity(u);
		updated_clear(u);
	}
	if (uj->conv == 0 && uj->agent == 0)
		wake_busy = 0;
	free(uj);
	/* Any status or assignment change may move the queue. */
	queue_touch();
}

/*
 * Route conv if it came back without an available agent (never to
 * exclude), then load its views as item u.  0 or -1.
 */
static int
updated_settle(struct db *db, long long conv, long long exclude,
    struct updated *u)
{
	struct api_error err;
	struct route_move m;

	if (route_db_settle(db, &pd.cfg, conv, exclude, &m, &err) == -1)
		log_warnx("conversation %lld: not routed: %s", conv,
		    err.message);
	updated_act(u, m.activity);
	if (updated_load(db, conv, u) == -1)
		return -1;
	u->previous = m.previous;
	u->fresh = m.agent != 0;	/* it moved to agent */
	return 0;
}

struct dbq_job *
workflow_updated_job(struct db *db, long long conv, long long previous,
    long long activity)
{
	struct updated_job *uj;

	if ((uj = calloc(1, sizeof(*uj))) == NULL)
		return NULL;
	uj->conv = conv;
	updated_act(&uj->item[0], activity);
	if (updated_load(db, conv, &uj->item[0]) == 0) {
		uj->item[0].previous = previous;
		uj->n = 1;
	}
	uj->job.done = updated_done;
	return &uj->job;
}

static void
reopened_run(struct dbq_job *j, struct db *db)
{
	struct updated_job *uj = (struct updated_job *)j;

	if (updated_settle(db, uj->conv, 0, &uj->item[0]) == 0)
		uj->n = 1;
}

void
workflow_reopened(uint64_t conv, long long activity)
{
	struct updated_job *uj;

	if ((uj = calloc(1, sizeof(*uj))) == NULL) {
		log_warnx("conversation %llu: out of memory",
		    (unsigned long long)conv);
		return;
	}
	uj->conv = (long long)conv;
	updated_act(&uj->item[0], activity);
	uj->job.run = reopened_run;
	uj->job.done = updated_done;
	dbq_submit(pd.dbq, &uj->job);
}

/* --- snoozes that end -------------------------------------------------------- */

static void
wake_run(struct dbq_job *j, struct db *db)
{
	struct updated_job *uj = (struct updated_job *)j;
	long long ids[WAKE_MAX], acts[WAKE_MAX];
	int i, n;

	if ((n = conv_db_wake(db, ids, acts, WAKE_MAX)) <= 0)
		return;
	log_debug("%d snoozed conversations reopened", n);
	for (i = 0; i < n; i++) {
		updated_act(&uj->item[uj->n], acts[i]);
		if (updated_settle(db, ids[i], 0, &uj->item[uj->n]) == 0)
			uj->n++;
	}
}

static void
wake_tick(lws_sorted_usec_list_t *sul)
{
	struct updated_job *uj;

	lws_sul_schedule(pd.ctx, 0, sul, wake_tick,
	    (lws_usec_t)pd.cfg.pushd_wake_interval * LWS_US_PER_MS);
	queue_touch();
	/* One at a time: a slow database does not pile them up. */
	if (wake_busy || pd.stopping || (uj = calloc(1, sizeof(*uj))) == NULL)
		return;
	wake_busy = 1;
	uj->job.run = wake_run;
	uj->job.done = updated_done;
	dbq_submit(pd.dbq, &uj->job);
}

void
workflow_start(void)
{
	queue_touch();		/* who waits, before the first tick */
	lws_sul_schedule(pd.ctx, 0, &wake_sul, wake_tick,
	    (lws_usec_t)pd.cfg.pushd_wake_interval * LWS_US_PER_MS);
}

/* --- an agent who can take work ---------------------------------------------- */

static void
drain_run(struct dbq_job *j, struct db *db)
{
	struct updated_job *uj = (struct updated_job *)j;
	struct route_move moves[ROUTE_DRAIN_MAX];
	struct api_error err;
	unsigned i, n;

	if (route_db_drain(db, &pd.cfg, uj->agent, moves, ROUTE_DRAIN_MAX, &n,
	    &err) == -1) {
		log_warnx("agent %lld: the queue not drained: %s", uj->agent,
		    err.message);
		return;
	}
	for (i = 0; i < n; i++) {
		updated_act(&uj->item[uj->n], moves[i].activity);
		if (updated_load(db, moves[i].conversation,
		    &uj->item[uj->n]) == 0)
			uj->item[uj->n++].fresh = 1;
	}
}

void
workflow_drain(uint64_t agent)
{
	struct updated_job *uj;

	if ((uj = calloc(1, sizeof(*uj))) == NULL) {
		log_warnx("agent %llu: out of memory",
		    (unsigned long long)agent);
		return;
	}
	uj->agent = (long long)agent;
	uj->job.run = drain_run;
	uj->job.done = updated_done;
	dbq_submit(pd.dbq, &uj->job);
}

/* --- the team's availability ------------------------------------------------ */

struct availability_job {
	struct dbq_job	 job;
	long long	 uid;
	char		 availability[16];
};

static void
availability_done(struct dbq_job *j)
{
	struct availability_job *aj = (struct availability_job *)j;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "userId", jsonio_id_new(aj->uid));
	json_object_object_add(o, "availability",
	    json_object_new_string(aj->availability));
	emit_room(ROOMS_AGENTS, 0, "agent:availability", o);
	json_object_put(o);
	free(aj);
}

struct dbq_job *
workflow_availability_job(long long uid, const char *availability)
{
	struct availability_job *aj;

	if (strlen(availability) >= sizeof(aj->availability) ||
	    (aj = calloc(1, sizeof(*aj))) == NULL)
		return NULL;
	aj->uid = uid;
	memcpy(aj->availability, availability, strlen(availability) + 1);
	aj->job.done = availability_done;
	return &aj->job;
}
