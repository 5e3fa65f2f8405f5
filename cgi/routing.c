/*
 * routing.c - what a request's change means for routing (route_db.h),
 * and telling pushd of what moved.
 *
 * The change itself is committed by then: routing after it is its own
 * transaction, and a failure there only leaves a conversation waiting in
 * the queue for the next agent who frees up, so it never fails the request.
 */
#include "handlers.h"
#include "log.h"
#include "notify.h"
#include "route_db.h"

/* conv moved from previous (0: none) to agent (0: the queue). */
static void
routing_announce(const struct config *cfg, long long conv, long long agent,
    long long previous)
{
	(void)notify_assigned(cfg, conv, previous);
	if (agent != 0)
		(void)notify_conversation(cfg, conv);
}

void
routing_drain(struct request *r, long long agent)
{
	long long ids[ROUTE_DRAIN_MAX];
	struct api_error err;
	unsigned i, n;

	if (agent == 0)
		return;
	if (route_db_drain(r->db, r->cfg, agent, ids, ROUTE_DRAIN_MAX, &n,
	    &err) == -1) {
		log_warnx("agent %lld: the queue not drained: %s", agent,
		    err.message);
		return;
	}
	for (i = 0; i < n; i++)
		routing_announce(r->cfg, ids[i], agent, 0);
}

void
routing_settle(struct request *r, long long conv, long long exclude)
{
	long long agent, previous;
	struct api_error err;

	if (route_db_settle(r->db, r->cfg, conv, exclude, &agent, &previous,
	    &err) == -1) {
		log_warnx("conversation %lld: not routed: %s", conv,
		    err.message);
		return;
	}
	if (previous != 0 || agent != 0)	/* it moved */
		routing_announce(r->cfg, conv, agent, previous);
}
