/*
 * metrics.c - what pushd has been doing, for an operator: GET /health and
 * GET /metrics (Prometheus text format 0.0.4) on pushd's own port, from a
 * loopback peer only (the web server forwards only /socket.io/ there).
 *
 * Counters are plain integers bumped on the loop thread; the database
 * thread's figures come from dbq (queue depth, job latency), which keeps
 * them under its own lock.  Nothing here allocates per event.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cluster.h"
#include "log.h"
#include "pushd.h"

#define METRICS_MAX	16384	/* bytes of one /metrics answer */

/* Server-to-client events by name; anything else counts as "other". */
static const char *const out_names[] = {
	"message:new", "message:sent", "message:read", "message:error",
	"notification:new-message", "conversation:new", "conversation:joined",
	"conversation:updated", "typing:user-typing", "typing:user-stopped",
	"user:online", "user:offline", "agent:availability", "queue:position",
	"queue:updated", "error", "other"
};
#define NOUT	(sizeof(out_names) / sizeof(out_names[0]))

static unsigned long long	 events_in[METRICS_EVENTS_IN];
static unsigned long long	 events_out[NOUT];
static unsigned long long	 errors[API_NCODES];
static unsigned long long	 handshakes, closes;

void
metrics_event_in(unsigned i)
{
	if (i < METRICS_EVENTS_IN)
		events_in[i]++;
}

void
metrics_event_out(const char *event, unsigned n)
{
	size_t i;

	for (i = 0; i < NOUT - 1; i++)
		if (strcmp(out_names[i], event) == 0)
			break;
	events_out[i] += n;
}

void
metrics_error(enum api_code code)
{
	if ((unsigned)code < API_NCODES)
		errors[code]++;
}

void
metrics_session(int opened)
{
	if (opened)
		handshakes++;
	else
		closes++;
}

/* A bounded text builder: every append checked, the answer cut if full. */
struct mbuf {
	char	*p;
	size_t	 len, cap;
	int	 full;
};

static void
mb_add(struct mbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
mb_add(struct mbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->full = 1;
		b->p[b->len] = '\0';
		return;
	}
	b->len += (size_t)n;
}

static void
metrics_sessions(struct mbuf *b)
{
	unsigned long long polling = 0, websocket = 0, pending = 0;
	struct hmap_node *n;
	struct session *s;
	size_t i;

	for (i = 0; i < pd.sessions.nb; i++)
		for (n = pd.sessions.b[i]; n != NULL; n = n->next) {
			s = HMAP_ENTRY(n, struct session, node);
			if (s->state != SESS_CONNECTED)
				pending++;
			else if (s->upgraded)
				websocket++;
			else
				polling++;
		}
	mb_add(b, "# HELP chat_pushd_connections Socket.IO sockets by transport.\n"
	    "# TYPE chat_pushd_connections gauge\n"
	    "chat_pushd_connections{transport=\"polling\"} %llu\n"
	    "chat_pushd_connections{transport=\"websocket\"} %llu\n"
	    "chat_pushd_connections{transport=\"connecting\"} %llu\n",
	    polling, websocket, pending);
	mb_add(b, "# HELP chat_pushd_sessions_total Engine.IO sessions opened "
	    "and closed.\n# TYPE chat_pushd_sessions_total counter\n"
	    "chat_pushd_sessions_total{what=\"opened\"} %llu\n"
	    "chat_pushd_sessions_total{what=\"closed\"} %llu\n",
	    handshakes, closes);
	mb_add(b, "# HELP chat_pushd_rooms Conversation rooms with a member.\n"
	    "# TYPE chat_pushd_rooms gauge\nchat_pushd_rooms %zu\n"
	    "# HELP chat_pushd_users_online Users with a socket here.\n"
	    "# TYPE chat_pushd_users_online gauge\n"
	    "chat_pushd_users_online %zu\n", pd.rooms.n, pd.users.n);
}

static void
metrics_events(struct mbuf *b)
{
	size_t i;

	mb_add(b, "# HELP chat_pushd_events_in_total Client events received.\n"
	    "# TYPE chat_pushd_events_in_total counter\n");
	for (i = 0; i < METRICS_EVENTS_IN; i++)
		mb_add(b, "chat_pushd_events_in_total{event=\"%s\"} %llu\n",
		    sio_event_name(i), events_in[i]);
	mb_add(b, "# HELP chat_pushd_events_out_total Events sent, counted "
	    "per recipient socket.\n"
	    "# TYPE chat_pushd_events_out_total counter\n");
	for (i = 0; i < NOUT; i++)
		mb_add(b, "chat_pushd_events_out_total{event=\"%s\"} %llu\n",
		    out_names[i], events_out[i]);
	mb_add(b, "# HELP chat_pushd_errors_total Events refused, by error "
	    "code.\n# TYPE chat_pushd_errors_total counter\n");
	for (i = 0; i < API_NCODES; i++)
		if (errors[i] > 0)
			mb_add(b, "chat_pushd_errors_total{code=\"%s\"} %llu\n",
			    api_code_name((enum api_code)i), errors[i]);
}

static void
metrics_dbq(struct mbuf *b)
{
	struct dbq_stats st;
	unsigned long long cum = 0;
	size_t i;

	dbq_stats(pd.dbq, &st);
	mb_add(b, "# HELP chat_pushd_dbq_depth Jobs waiting for the database "
	    "thread, and notifications from the FastCGI side.\n"
	    "# TYPE chat_pushd_dbq_depth gauge\n"
	    "chat_pushd_dbq_depth{queue=\"jobs\"} %u\n"
	    "chat_pushd_dbq_depth{queue=\"notifications\"} %u\n",
	    st.jobs, st.inbox);
	mb_add(b, "# HELP chat_pushd_dbq_job_seconds From a job's submission "
	    "to its answer on the loop.\n"
	    "# TYPE chat_pushd_dbq_job_seconds histogram\n");
	for (i = 0; i < DBQ_NBUCKETS; i++) {
		cum += st.buckets[i];
		mb_add(b, "chat_pushd_dbq_job_seconds_bucket{le=\"%g\"} %llu\n",
		    dbq_bucket_le[i], cum);
	}
	cum += st.buckets[DBQ_NBUCKETS];
	mb_add(b, "chat_pushd_dbq_job_seconds_bucket{le=\"+Inf\"} %llu\n"
	    "chat_pushd_dbq_job_seconds_sum %.6f\n"
	    "chat_pushd_dbq_job_seconds_count %llu\n", cum, st.seconds, cum);
}

/* Only on a node of a cluster: a single pushd's answer is as it was. */
static void
metrics_cluster(struct mbuf *b)
{
	struct cluster_stats st;

	cluster_stats(&st);
	if (!st.enabled)
		return;
	mb_add(b, "# HELP chat_pushd_cluster_connected 1 while this node "
	    "publishes to and hears the cluster's Redis.\n"
	    "# TYPE chat_pushd_cluster_connected gauge\n"
	    "chat_pushd_cluster_connected %d\n", st.connected);
	mb_add(b, "# HELP chat_pushd_cluster_broadcasts_total Broadcasts "
	    "passed on to the other nodes, heard from them, not passed on "
	    "(Redis away or too slow), heard and refused.\n"
	    "# TYPE chat_pushd_cluster_broadcasts_total counter\n"
	    "chat_pushd_cluster_broadcasts_total{what=\"published\"} %llu\n"
	    "chat_pushd_cluster_broadcasts_total{what=\"received\"} %llu\n"
	    "chat_pushd_cluster_broadcasts_total{what=\"dropped\"} %llu\n"
	    "chat_pushd_cluster_broadcasts_total{what=\"refused\"} %llu\n",
	    st.published, st.received, st.dropped, st.refused);
	mb_add(b, "# HELP chat_pushd_cluster_notifications_total The FastCGI "
	    "side's notifications heard through Redis.\n"
	    "# TYPE chat_pushd_cluster_notifications_total counter\n"
	    "chat_pushd_cluster_notifications_total %llu\n"
	    "# HELP chat_pushd_cluster_reconnects_total Times the link to "
	    "Redis came back.\n"
	    "# TYPE chat_pushd_cluster_reconnects_total counter\n"
	    "chat_pushd_cluster_reconnects_total %llu\n"
	    "# HELP chat_pushd_cluster_pending_bytes Published, not yet "
	    "answered by Redis.\n"
	    "# TYPE chat_pushd_cluster_pending_bytes gauge\n"
	    "chat_pushd_cluster_pending_bytes %zu\n", st.notifications,
	    st.reconnects, st.pending);
}

int
metrics_http(struct lws *wsi, const char *uri, int *handled)
{
	static char text[METRICS_MAX];
	struct mbuf b = { text, 0, sizeof(text), 0 };

	*handled = 0;
	if (strcmp(uri, "/health") != 0 && strcmp(uri, "/metrics") != 0)
		return 0;
	*handled = 1;
	if (!addr_is_loopback(wsi))
		return eio_http_reply(wsi, HTTP_STATUS_NOT_FOUND,
		    "text/plain; charset=UTF-8", "not found", 9);
	if (strcmp(uri, "/health") == 0)
		return eio_http_reply(wsi, HTTP_STATUS_OK, "application/json",
		    "{\"status\":\"ok\"}", 15);
	metrics_sessions(&b);
	metrics_events(&b);
	metrics_dbq(&b);
	metrics_cluster(&b);
	if (b.full)
		log_warnx("metrics cut at %d bytes", METRICS_MAX);
	return eio_http_reply(wsi, HTTP_STATUS_OK,
	    "text/plain; version=0.0.4; charset=utf-8", text, b.len);
}
