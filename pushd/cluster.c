/*
 * cluster.c - this pushd as one node of several, through Redis pub/sub
 * (cluster.h; lib/bus.h names the channels).
 *
 * Two hiredis async connections on pushd's libev loop: "pub" PUBLISHes,
 * "sub" is SUBSCRIBEd to both channels (a subscribed connection can do
 * nothing else).  Neither ever blocks the loop: hiredis connects, writes
 * and reads only when libev says the socket is ready.
 *
 * Order.  All of a node's broadcasts go out on one channel through one
 * connection, and Redis delivers a channel's messages to each subscriber
 * in the order one connection published them; so every node hears one
 * node's broadcasts in the order that node sent them to its own sockets,
 * which keeps the order within a conversation (and across conversations:
 * conversation:updated before the message:new that follows it).  One
 * channel per conversation (or shard) would keep no more order and would
 * cost a SUBSCRIBE per room change.  Broadcasts of two nodes about one
 * conversation are ordered by nothing but their arrival, as they are by a
 * single pushd's two db jobs; the messages' ids and createdAt order them
 * for good.
 *
 * Lifecycle.  A link is a redisAsyncContext or NULL.  hiredis frees a
 * context itself after its disconnect callback (and after a failed
 * connect's callback), so those callbacks only forget it; a context is
 * freed here (redisAsyncFree) only from the tick, never inside one of its
 * callbacks.  A callback of a context already forgotten (l->ac != c) is
 * ignored.  The tick (CLUSTER_TICK_S) connects a link that is down once
 * its backoff has passed, gives up a connect that takes too long (hiredis
 * 0.14's async connect has no timeout of its own), and PINGs through pub:
 * a Redis that stopped answering without closing is noticed too.
 *
 * Caps.  What is published and not yet answered is at most
 * CLUSTER_PENDING_MAX bytes (more is dropped and counted: Redis is too
 * slow); what is heard is refused past ENVELOPE_MAX (a notification past
 * NOTIFY_MAX).  hiredis reads a whole reply before it hands it over, so
 * the bound on what it buffers is the publishers' own caps (every
 * publisher is a node or the FastCGI side) and Redis's
 * client-output-buffer-limit for pubsub clients (32 MB by default), past
 * which Redis drops a subscriber that lags.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>
#include <hiredis/hiredis.h>
#include <hiredis/async.h>
#include <hiredis/adapters/libev.h>

#include "bus.h"
#include "cluster.h"
#include "jsonio.h"
#include "log.h"
#include "notify.h"
#include "pushd.h"

#define CLUSTER_TICK_S		0.2	/* the tick's period */
#define CLUSTER_BACKOFF_MIN	0.2	/* first wait before a reconnect */
#define CLUSTER_BACKOFF_MAX	2.0	/* doubling up to this */
#define CLUSTER_CONNECT_S	3.0	/* a connect (and SUBSCRIBE) may take */
#define CLUSTER_PING_S		2.0	/* between PINGs on pub */
#define CLUSTER_PONG_S		5.0	/* a PING may take, then pub is reset */
#define CLUSTER_PENDING_MAX	(16 * 1024 * 1024)

struct link {
	const char		*name;		/* for the log */
	redisAsyncContext	*ac;		/* NULL: down */
	int			 up;		/* pub: connected; sub: subscribed */
	int			 logged_down;	/* the loss is in the log */
	unsigned		 subscribed;	/* sub: channels confirmed */
	ev_tstamp		 started;	/* the connect began */
	ev_tstamp		 retry_at;	/* when ac == NULL */
	ev_tstamp		 backoff;
};

static struct {
	struct ev_loop		*loop;
	ev_timer		 tick;
	int			 enabled, stopping;
	char			 host[BUS_HOST_MAX];
	int			 port;
	char			 node[ENVELOPE_ORIGIN_MAX + 1];
	char			 ch_fanout[BUS_CHANNEL_MAX];
	char			 ch_notify[BUS_CHANNEL_MAX];
	struct link		 pub, sub;
	ev_tstamp		 ping_sent;	/* 0: no PING in flight */
	ev_tstamp		 ping_last;
	int			 ever_up;
	struct cluster_stats	 st;
} cl = {
	.pub = { .name = "publisher", .backoff = CLUSTER_BACKOFF_MIN },
	.sub = { .name = "subscriber", .backoff = CLUSTER_BACKOFF_MIN },
};

int
cluster_enabled(void)
{
	return cl.enabled;
}

const char *
cluster_node_id(void)
{
	return cl.node;
}

static int
cluster_up(void)
{
	return cl.pub.up && cl.sub.up;
}

static void
link_up(struct link *l)
{
	int was = cluster_up();

	l->up = 1;
	l->backoff = CLUSTER_BACKOFF_MIN;
	l->logged_down = 0;
	if (!was && cluster_up()) {
		if (cl.ever_up)
			cl.st.reconnects++;
		cl.ever_up = 1;
		log_info("cluster: connected to redis %s:%d as node %s",
		    cl.host, cl.port, cl.node);
	}
}

/* l is down (its context already forgotten): say so once, try later. */
static void
link_down(struct link *l, const char *why)
{
	int was = cluster_up();

	l->up = 0;
	l->subscribed = 0;
	if (l == &cl.pub)
		cl.ping_sent = 0;
	l->retry_at = ev_now(cl.loop) + l->backoff;
	l->backoff = l->backoff * 2 > CLUSTER_BACKOFF_MAX ?
	    CLUSTER_BACKOFF_MAX : l->backoff * 2;
	if (cl.stopping)
		return;
	if (was || !l->logged_down)
		log_warnx("cluster: redis %s:%d (%s): %s; this node serves "
		    "its own sockets alone until it is back", cl.host, cl.port,
		    l->name, why);
	else
		log_debug("cluster: redis %s:%d (%s): %s", cl.host, cl.port,
		    l->name, why);
	l->logged_down = 1;
}

/* From the tick only: free l's context and count it down. */
static void
link_reset(struct link *l, const char *why)
{
	redisAsyncContext *ac = l->ac;

	l->ac = NULL;
	link_down(l, why);
	if (ac != NULL)
		redisAsyncFree(ac);
}

static struct link *
link_of(const redisAsyncContext *c)
{
	struct link *l = c->data;

	return l != NULL && l->ac == c ? l : NULL;
}

static void
on_connect(const redisAsyncContext *c, int status)
{
	struct link *l = link_of(c);

	if (l == NULL)
		return;
	if (status != REDIS_OK) {
		l->ac = NULL;	/* hiredis frees it */
		link_down(l, c->errstr);
		return;
	}
	if (l == &cl.pub)
		link_up(l);
	/* sub is up once both channels are confirmed (on_sub_reply). */
}

static void
on_disconnect(const redisAsyncContext *c, int status)
{
	struct link *l = link_of(c);

	if (l == NULL)
		return;
	l->ac = NULL;		/* hiredis frees it */
	link_down(l, status == REDIS_OK ? "closed" : c->errstr);
}

/* --- what this node hears ------------------------------------------------ */

static void
heard_fanout(const char *buf, size_t len)
{
	struct envelope e;

	if (len > ENVELOPE_MAX || envelope_decode(buf, len, &e) == -1) {
		cl.st.refused++;
		log_warnx("cluster: a broadcast of %zu bytes refused (not an "
		    "envelope, or too big)", len);
		return;
	}
	/* Its own: already sent to this node's sockets when it was made. */
	if (e.origin_len == strlen(cl.node) &&
	    memcmp(e.origin, cl.node, e.origin_len) == 0)
		return;
	cl.st.received++;
	fan_replay(&e);
}

static void
heard_notify(const char *buf, size_t len)
{
	struct api_error err;
	json_object *o;

	if (len > NOTIFY_MAX ||
	    (o = jsonio_parse_object(buf, len, &err)) == NULL) {
		cl.st.refused++;
		log_warnx("cluster: a notification of %zu bytes refused", len);
		return;
	}
	cl.st.notifications++;
	dbq_notify(pd.dbq, o);
}

static int
reply_is(const redisReply *r, const char *s)
{
	return r->type == REDIS_REPLY_STRING && r->len == strlen(s) &&
	    memcmp(r->str, s, r->len) == 0;
}

/* Every reply of the subscribed connection: confirmations, messages. */
static void
on_sub_reply(redisAsyncContext *c, void *reply, void *priv)
{
	redisReply *r = reply, *kind, *chan, *body;
	struct link *l = link_of(c);

	(void)priv;
	if (r == NULL || l != &cl.sub)
		return;		/* the connection is going */
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 3)
		return;
	kind = r->element[0];
	chan = r->element[1];
	body = r->element[2];
	if (reply_is(kind, "subscribe")) {
		if (++l->subscribed == 2)
			link_up(l);
		return;
	}
	if (!reply_is(kind, "message") || body->type != REDIS_REPLY_STRING)
		return;
	if (reply_is(chan, cl.ch_fanout))
		heard_fanout(body->str, body->len);
	else if (reply_is(chan, cl.ch_notify))
		heard_notify(body->str, body->len);
}

/* --- the links ------------------------------------------------------------- */

static void
link_connect(struct link *l)
{
	redisAsyncContext *ac;

	l->started = ev_now(cl.loop);
	if ((ac = redisAsyncConnect(cl.host, cl.port)) == NULL) {
		link_down(l, "out of memory");
		return;
	}
	if (ac->err != 0) {
		link_down(l, ac->errstr);
		redisAsyncFree(ac);
		return;
	}
	ac->data = l;
	if (redisLibevAttach(cl.loop, ac) != REDIS_OK ||
	    redisAsyncSetConnectCallback(ac, on_connect) != REDIS_OK ||
	    redisAsyncSetDisconnectCallback(ac, on_disconnect) != REDIS_OK) {
		link_down(l, "cannot attach to the loop");
		redisAsyncFree(ac);
		return;
	}
	l->ac = ac;
	/* Queued by hiredis until the connect completes. */
	if (l == &cl.sub && redisAsyncCommand(ac, on_sub_reply, NULL,
	    "SUBSCRIBE %s %s", cl.ch_fanout, cl.ch_notify) != REDIS_OK)
		link_reset(l, "SUBSCRIBE not sent");
}

static void
on_pong(redisAsyncContext *c, void *reply, void *priv)
{
	(void)priv;
	if (reply != NULL && link_of(c) == &cl.pub)
		cl.ping_sent = 0;
}

static void
link_tick(struct link *l, ev_tstamp now)
{
	if (l->ac == NULL) {
		if (now >= l->retry_at)
			link_connect(l);
	} else if (!l->up && now - l->started > CLUSTER_CONNECT_S)
		link_reset(l, "no answer to the connect");
}

static void
on_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
	ev_tstamp now = ev_now(loop);

	(void)w;
	(void)revents;
	link_tick(&cl.pub, now);
	link_tick(&cl.sub, now);
	if (!cl.pub.up)
		return;
	if (cl.ping_sent > 0 && now - cl.ping_sent > CLUSTER_PONG_S)
		link_reset(&cl.pub, "no answer to PING");
	else if (cl.ping_sent == 0 && now - cl.ping_last >= CLUSTER_PING_S) {
		if (redisAsyncCommand(cl.pub.ac, on_pong, NULL, "PING") ==
		    REDIS_OK)
			cl.ping_sent = cl.ping_last = now;
	}
}

/* --- publishing -------------------------------------------------------- */

static void
on_published(redisAsyncContext *c, void *reply, void *priv)
{
	redisReply *r = reply;
	size_t len = (size_t)(uintptr_t)priv;

	(void)c;
	cl.st.pending = cl.st.pending >= len ? cl.st.pending - len : 0;
	if (r != NULL && r->type == REDIS_REPLY_ERROR)
		log_warnx("cluster: PUBLISH: %s", r->str);
}

void
cluster_publish(const char *event, const struct fan_target *t, size_t nt,
    const char *frame, size_t len)
{
	unsigned char *env;
	size_t elen;

	if (!cl.enabled)
		return;
	if (!cl.pub.up || cl.st.pending + len > CLUSTER_PENDING_MAX) {
		cl.st.dropped++;
		return;
	}
	if ((env = envelope_encode(cl.node, event, t, nt, frame, len,
	    &elen)) == NULL) {
		cl.st.dropped++;
		log_warnx("cluster: %s to %zu targets not passed on (too big, "
		    "or out of memory)", event, nt);
		return;
	}
	if (redisAsyncCommand(cl.pub.ac, on_published, (void *)(uintptr_t)elen,
	    "PUBLISH %s %b", cl.ch_fanout, env, elen) == REDIS_OK) {
		cl.st.pending += elen;
		cl.st.published++;
	} else
		cl.st.dropped++;
	free(env);
}

void
cluster_stats(struct cluster_stats *out)
{
	*out = cl.st;
	out->enabled = cl.enabled;
	out->connected = cluster_up();
}

/* --- start and stop -------------------------------------------------------- */

static int
node_id(void)
{
	char host[256];
	int n;

	if (pd.cfg.pushd_node_id[0] != '\0') {
		n = snprintf(cl.node, sizeof(cl.node), "%s",
		    pd.cfg.pushd_node_id);
	} else {
		if (gethostname(host, sizeof(host)) == -1) {
			log_warn("gethostname");
			return -1;
		}
		host[sizeof(host) - 1] = '\0';
		n = snprintf(cl.node, sizeof(cl.node), "%s:%ld", host,
		    pd.cfg.pushd_port);
	}
	if (n < 0 || (size_t)n >= sizeof(cl.node)) {
		log_error("pushd.node_id: longer than %d bytes",
		    ENVELOPE_ORIGIN_MAX);
		return -1;
	}
	return 0;
}

int
cluster_start(struct ev_loop *loop)
{
	if (!bus_enabled(&pd.cfg))
		return 0;
	if (bus_parse_url(pd.cfg.pushd_cluster, cl.host, sizeof(cl.host),
	    &cl.port) == -1) {
		log_error("pushd.cluster: expected redis://host:port, not %s",
		    pd.cfg.pushd_cluster);
		return -1;
	}
	if (node_id() == -1 ||
	    bus_channel(&pd.cfg, BUS_FANOUT, cl.ch_fanout,
	    sizeof(cl.ch_fanout)) == -1 ||
	    bus_channel(&pd.cfg, BUS_NOTIFY, cl.ch_notify,
	    sizeof(cl.ch_notify)) == -1) {
		log_error("pushd.cluster: names too long");
		return -1;
	}
	cl.loop = loop;
	cl.enabled = 1;
	log_info("cluster: node %s, redis %s:%d", cl.node, cl.host, cl.port);
	link_connect(&cl.pub);
	link_connect(&cl.sub);
	ev_timer_init(&cl.tick, on_tick, CLUSTER_TICK_S, CLUSTER_TICK_S);
	ev_timer_start(loop, &cl.tick);
	return 0;
}

void
cluster_stop(void)
{
	if (!cl.enabled)
		return;
	cl.stopping = 1;
	ev_timer_stop(cl.loop, &cl.tick);
	link_reset(&cl.pub, "stopping");
	link_reset(&cl.sub, "stopping");
	cl.enabled = 0;
}
