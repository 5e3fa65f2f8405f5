/*
 * cluster.h - pushd as one node of several (pushd.cluster): the broadcasts
 * this node makes go to the others through Redis pub/sub, theirs come back
 * to this node's sockets, and the FastCGI side's notifications come in
 * from there as datagrams would (lib/bus.h names the channels).
 *
 * Everything runs on pushd's loop: hiredis's async API on libev, with two
 * connections (a subscribed one cannot publish).  While Redis is away the
 * node serves its own sockets alone, says so in its log and in /metrics,
 * and connects again by itself.
 */
#ifndef PUSHD_CLUSTER_H
#define PUSHD_CLUSTER_H

#include <stddef.h>

#include "envelope.h"

struct ev_loop;

struct cluster_stats {
	int			 enabled;
	int			 connected;	/* both links up, subscribed */
	unsigned long long	 published;	/* envelopes sent */
	unsigned long long	 received;	/* from other nodes, delivered */
	unsigned long long	 notifications;	/* FastCGI side's, taken */
	unsigned long long	 dropped;	/* not sent: down or over a cap */
	unsigned long long	 refused;	/* heard, not valid or too big */
	unsigned long long	 reconnects;	/* times a link came up again */
	size_t			 pending;	/* bytes sent, not yet answered */
};

/* Nothing (0) when pushd.cluster is empty; -1 if it is not valid. */
int		 cluster_start(struct ev_loop *loop);
void		 cluster_stop(void);
/* 1 if this node is one of a cluster (connected or not). */
int		 cluster_enabled(void);
/* This node's id (pushd.node_id, or hostname:port). */
const char	*cluster_node_id(void);
/*
 * Pass a broadcast on: the frame this node just sent its own sockets, for
 * the targets it named.  Counted as dropped if Redis is away.
 */
void		 cluster_publish(const char *event, const struct fan_target *t,
		    size_t nt, const char *frame, size_t len);
void		 cluster_stats(struct cluster_stats *out);

#endif
