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

/* What routing moved: its parties hear it, and its new agent. */
static void
routing_announce(const struct config *cfg, const struct route_move *m)
{
	(void)notify_updated(cfg, m->conversation, m->previous, m->activity);
	if (m->agent != 0)
		(void)notify_conversation(cfg, m->conversation);
}

void
routing_drain(struct request *r, long long agent)
{
	struct route_move moves[ROUTE_DRAIN_MAX];
	struct api_error err;
	unsigned i, n;

	if (agent == 0)
		return;
	if (route_db_drain(r->db, r->cfg, agent, moves, ROUTE_DRAIN_MAX, &n,
	    &err) == -1) {
		log_warnx("agent %lld: the queue not drained: %s", agent,
		    err.message);
		return;
	}
	for (i = 0; i < n; i++)
		routing_announce(r->cfg, &moves[i]);
}

void
routing_settle(struct request *r, long long conv, long long exclude)
{
	struct route_move m;
	struct api_error err;

	if (route_db_settle(r->db, r->cfg, conv, exclude, &m, &err) == -1) {
		log_warnx("conversation %lld: not routed: %s", conv,
		    err.message);
		return;
	}
	if (m.conversation != 0)
		routing_announce(r->cfg, &m);
}
