/*
 * bus.c - the cluster's Redis: address, channel names, the FastCGI side's
 * publish (bus.h).
 */
#include <sys/time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "bus.h"
#include "log.h"

/* After a failure, this long without trying (a request must not wait). */
#define BUS_DOWN_S	5

int
bus_enabled(const struct config *cfg)
{
	return cfg->pushd_cluster[0] != '\0';
}

int
bus_parse_url(const char *url, char *host, size_t hostsz, int *port)
{
	const char *p, *colon, *end;
	char *e;
	size_t n;
	long v = 6379;

	if (strncmp(url, "redis://", 8) != 0)
		return -1;
	p = url + 8;
	end = p + strcspn(p, "/");
	if (*end == '/' && end[1] != '\0')
		return -1;	/* a database or a path: not ours */
	colon = memchr(p, ':', (size_t)(end - p));
	n = (size_t)((colon != NULL ? colon : end) - p);
	if (n == 0 || n >= hostsz || memchr(p, '@', n) != NULL)
		return -1;
	if (colon != NULL) {
		errno = 0;
		v = strtol(colon + 1, &e, 10);
		if (errno != 0 || e == colon + 1 || e != end || v < 1 ||
		    v > 65535)
			return -1;
	}
	memcpy(host, p, n);
	host[n] = '\0';
	*port = (int)v;
	return 0;
}

int
bus_channel(const struct config *cfg, enum bus_channel ch, char *buf,
    size_t bufsz)
{
	int n = snprintf(buf, bufsz, "chat:%s:%s", cfg->db_name,
	    ch == BUS_FANOUT ? "fanout" : "notify");

	return n < 0 || (size_t)n >= bufsz ? -1 : 0;
}

/*
 * One connection per FastCGI process, opened on the first notification
 * and kept: a request costs a round trip, not a connect.  Dropped on any
 * error and opened again on the next notification, though not within
 * BUS_DOWN_S of a failure, so that a Redis that is away costs one timeout
 * every few seconds, not one per request.
 */
static redisContext	*bus_ctx;
static time_t		 bus_failed_at;

static void
bus_drop(void)
{
	if (bus_ctx != NULL)
		redisFree(bus_ctx);
	bus_ctx = NULL;
	bus_failed_at = time(NULL);
}

static int
bus_connect(const struct config *cfg)
{
	const struct timeval tv = { 0, BUS_PUBLISH_MS * 1000 };
	char host[BUS_HOST_MAX];
	int port;

	if (bus_ctx != NULL)
		return 0;
	if (time(NULL) - bus_failed_at < BUS_DOWN_S)
		return -1;
	if (bus_parse_url(cfg->pushd_cluster, host, sizeof(host), &port) == -1) {
		log_warnx("pushd.cluster: not redis://host:port");
		bus_failed_at = time(NULL);
		return -1;
	}
	if ((bus_ctx = redisConnectWithTimeout(host, port, tv)) == NULL ||
	    bus_ctx->err != 0) {
		log_warnx("redis %s:%d: %s", host, port, bus_ctx != NULL ?
		    bus_ctx->errstr : "out of memory");
		bus_drop();
		return -1;
	}
	if (redisSetTimeout(bus_ctx, tv) != REDIS_OK) {
		bus_drop();
		return -1;
	}
	return 0;
}

int
bus_publish_notify(const struct config *cfg, const char *text, size_t len)
{
	char chan[BUS_CHANNEL_MAX];
	redisReply *r;
	int rc = -1;

	if (!bus_enabled(cfg) || bus_channel(cfg, BUS_NOTIFY, chan,
	    sizeof(chan)) == -1 || bus_connect(cfg) == -1)
		return -1;
	r = redisCommand(bus_ctx, "PUBLISH %s %b", chan, text, len);
	if (r == NULL) {
		log_warnx("redis: %s", bus_ctx->errstr);
		bus_drop();
		return -1;
	}
	if (r->type == REDIS_REPLY_INTEGER)
		rc = r->integer > 0 ? (int)(r->integer > 1000 ? 1000 :
		    r->integer) : 0;
	else
		log_warnx("redis PUBLISH: %s", r->type == REDIS_REPLY_ERROR ?
		    r->str : "unexpected reply");
	freeReplyObject(r);
	return rc;
}
