/*
 * bus.h - the Redis a cluster of pushd nodes shares (pushd.cluster): its
 * address, its channels, and the FastCGI side's one-shot publish.
 *
 * Two channels per installation (named after db.name, so that two
 * installations may share one Redis):
 *
 *	chat:<db.name>:fanout	a node's broadcasts (pushd/envelope.h), which
 *				every other node delivers to its own sockets
 *	chat:<db.name>:notify	the FastCGI side's notifications (the JSON of
 *				a datagram, notify.h), which every node treats
 *				as a datagram of its own
 *
 * pushd's side, non-blocking on its loop, is pushd/cluster.c.
 */
#ifndef CHAT_BUS_H
#define CHAT_BUS_H

#include <stddef.h>

#include "config.h"

#define BUS_HOST_MAX		256
#define BUS_CHANNEL_MAX		(CFG_STR_MAX + 16)
#define BUS_PUBLISH_MS		200	/* a FastCGI publish waits this long */

enum bus_channel { BUS_FANOUT, BUS_NOTIFY };

/* 1 if pushd.cluster names a Redis. */
int	bus_enabled(const struct config *cfg);
/*
 * redis://host[:port][/] (port 6379 by default) into host and port; 0, or
 * -1 if url is none of that.  Nothing else (user, password, database) is
 * taken: pub/sub ignores the database number anyway.
 */
int	bus_parse_url(const char *url, char *host, size_t hostsz, int *port);
/* The name of channel ch into buf; 0, or -1 if it does not fit. */
int	bus_channel(const struct config *cfg, enum bus_channel ch, char *buf,
	    size_t bufsz);
/*
 * PUBLISH text on the notify channel with a blocking connection, at most
 * BUS_PUBLISH_MS to connect and as long to answer; kept open for the
 * request's next notifications and for the next requests.  Returns the
 * number of nodes that heard it (0 or more), or -1 if Redis could not be
 * reached (the caller falls back to the datagram).
 */
int	bus_publish_notify(const struct config *cfg, const char *text,
	    size_t len);

#endif
