/*
 * loadgen - a load generator for pushd, the Socket.IO v4 push daemon.
 *
 *	loadgen --url ws://HOST:PORT/socket.io/ --pairs FILE
 *	    --mode send|fanout|idle [options] --out RESULT.json
 *
 * One thread, one epoll loop, thousands of WebSocket clients (net.c)
 * speaking Engine.IO v4 / Socket.IO v5 (here).  Modes:
 *
 *   send	each pair's agent and user connect and join the pair's
 *		conversation; users send message:send open loop at an
 *		aggregate --rate; we time the ack and the agent's message:new
 *		from each message's scheduled time.
 *   fanout	pair 0's agent alternates typing:start/typing:stop at --rate;
 *		the members, joined to the same conversation, time each
 *		typing:user-typing/-stopped by its order of arrival.
 *   idle	everyone connects and stays, answering pings.
 *
 * Open loop: a send's time is fixed in advance (t0 + i / rate) and its
 * latency counts from then, so a slow server (or a slow loadgen) shows up
 * as latency instead of as a lower offered rate.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "hist.h"
#include "loadgen.h"

#define NS		1000000000LL
#define MAX_MSGS	50000000	/* 1.2 GB of schedule: surely a typo */
#define SEND_BATCH	2000		/* sends per turn when behind */
#define TICK		(NS / 1000)	/* the longest the loop sleeps */
#define TIMEOUT_SCAN	(NS / 10)	/* connect timeouts: at 10 Hz */
#define NREASONS	32
#define FD_SPARE	32		/* stdio, epoll, the result file */

enum mode { MODE_SEND, MODE_FANOUT, MODE_IDLE };
enum phase { PH_CONNECT, PH_WARMUP, PH_RUN, PH_DRAIN, PH_DONE };

static const char *const mode_names[] = { "send", "fanout", "idle" };

struct opts {
	const char	*url;
	const char	*pairs;
	const char	*out;
	enum mode	 mode;
	double		 rate;
	double		 duration;
	double		 warmup;
	double		 drain;
	double		 connect_rate;
	double		 connect_timeout;
	unsigned	 src_addrs;
	int		 verbose;
};

struct pair {
	const char	*agent;		/* tokens, in pairs_file */
	const char	*user;
	json_object	*conv;		/* conversationId, as given */
	const char	*conv_str;	/* and as text, to compare */
};

#define MSG_SENT	0x01
#define MSG_ACKED	0x02
#define MSG_ACKERR	0x04
#define MSG_DELIVERED	0x08

/* One scheduled message:send, or one fanout broadcast. */
struct msg {
	int64_t		 sched;
	uint32_t	 pair;
	uint8_t		 flags;
};

struct reason {
	char		 text[96];
	uint64_t	 n;
};

struct stats {
	uint64_t	 connect_errors;
	uint64_t	 disconnects;
	uint64_t	 connected;	/* ready at the end of the run */
	uint64_t	 sent;
	uint64_t	 skipped;	/* sender not connected */
	uint64_t	 overflow;	/* sender's output cap reached */
	uint64_t	 acked;
	uint64_t	 ack_errors;
	uint64_t	 dup_acks;	/* a second ack for one id */
	uint64_t	 dup_stored;	/* acked with duplicate: true */
	uint64_t	 delivered;
	uint64_t	 dup_deliveries;
	uint64_t	 unexpected;	/* ours, but not where due */
	uint64_t	 order_errors;	/* fanout: start/stop swapped */
	uint64_t	 error_events;	/* the server's "error" event */
	uint64_t	 pings;		/* Engine.IO pings answered */
	uint64_t	 expected;	/* fanout: sent x listening members */
	uint64_t	 listeners;	/* fanout: members ready at t0 */
	int64_t		 max_lag;	/* latest send vs. schedule */
	int64_t		 last_send;
	int64_t		 last_ack;
	int64_t		 last_delivery;
	struct hist	 ack;
	struct hist	 del;
};

static struct opts	 o = {
	.mode = MODE_SEND, .rate = 100, .duration = 10, .warmup = 1,
	.drain = 5, .connect_rate = 2000, .connect_timeout = 10,
	.src_addrs = 1
};
static struct target	 tgt;
static json_object	*pairs_file;
static struct pair	*pairs;
static size_t		 npairs;
static const char	**members;
static size_t		 nmembers;
static struct conn	*conns;
static size_t		 nconns, nlaunched, npending;
static struct msg	*msgs;
static size_t		 nmsgs, next_msg;
static struct conn	**senders;
static size_t		 nsenders;
static struct stats	 st;
static struct reason	 reasons[NREASONS];
static uint64_t		 reasons_other;
static json_tokener	*tok;
static char		 run_id[16];	/* unique clientMessageIds */
static enum phase	 phase;
static int64_t		 t_connect, t_ready, t0, t_end, t_drain, t_scan,
			 t_progress;
static volatile sig_atomic_t stop;

/* --- errors -------------------------------------------------------------- */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: loadgen --url ws://HOST:PORT/socket.io/ --pairs FILE\n"
	    "\t--mode send|fanout|idle --out RESULT.json [--rate R]\n"
	    "\t[--duration S] [--warmup S] [--drain S] [--src-addrs N]\n"
	    "\t[--connect-rate R] [--connect-timeout S] [--verbose]\n");
	exit(2);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("loadgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/*
 * Why connections failed or what the server refused, counted by text.
 * Thousands of clients failing alike must give one line, not thousands:
 * each text is printed the first time only.
 */
static void __attribute__((format(printf, 1, 2)))
reason_add(const char *fmt, ...)
{
	char text[sizeof(reasons[0].text)];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	for (i = 0; i < NREASONS && reasons[i].n > 0; i++)
		if (strcmp(reasons[i].text, text) == 0) {
			reasons[i].n++;
			return;
		}
	if (i == NREASONS) {
		reasons_other++;
		return;
	}
	memcpy(reasons[i].text, text, sizeof(text));
	reasons[i].n = 1;
	fprintf(stderr, "loadgen: %s\n", text);
}

/* json-c's last error, without the newline it ends with. */
static const char *
json_err(void)
{
	static char buf[256];
	const char *e = json_util_get_last_err();

	(void)snprintf(buf, sizeof(buf), "%s", e ? e : "unknown error");
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* --- options ------------------------------------------------------------- */

static double
parse_double(const char *s, const char *name, double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= min && v <= max))
		fatal("%s: want a number from %g to %g, not \"%s\"", name, min,
		    max, s);
	return v;
}

static enum mode
parse_mode(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(s, mode_names[i]) == 0)
			return (enum mode)i;
	fatal("--mode: send, fanout or idle, not \"%s\"", s);
}

static void
parse_args(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "pairs", required_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'o' },
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "drain", required_argument, NULL, 'D' },
		{ "src-addrs", required_argument, NULL, 's' },
		{ "connect-rate", required_argument, NULL, 'c' },
		{ "connect-timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "u:p:m:o:r:d:w:D:s:c:t:vh",
	    lopts, NULL)) != -1) {
		switch (ch) {
		case 'u': o.url = optarg; break;
		case 'p': o.pairs = optarg; break;
		case 'm': o.mode = parse_mode(optarg); break;
		case 'o': o.out = optarg; break;
		case 'r': o.rate = parse_double(optarg, "--rate", 0.001, 1e7);
			break;
		case 'd': o.duration = parse_double(optarg, "--duration",
			    0.001, 86400 * 7);
			break;
		case 'w': o.warmup = parse_double(optarg, "--warmup", 0, 3600);
			break;
		case 'D': o.drain = parse_double(optarg, "--drain", 0, 3600);
			break;
		case 's': o.src_addrs = (unsigned)parse_double(optarg,
			    "--src-addrs", 1, 254);
			break;
		case 'c': o.connect_rate = parse_double(optarg,
			    "--connect-rate", 1, 1e7);
			break;
		case 't': o.connect_timeout = parse_double(optarg,
			    "--connect-timeout", 0.1, 3600);
			break;
		case 'v': o.verbose = 1; break;
		default: usage();
		}
	}
	if (optind != argc || o.url == NULL || o.pairs == NULL ||
	    o.out == NULL)
		usage();
}

/* --- the target ---------------------------------------------------------- */

/* ws://host[:port][/path][?query]: IPv4 or a name resolving to one. */
static void
parse_url(const char *url, struct target *t)
{
	struct addrinfo hints, *res;
	char host[256], port[8], path[1024];
	const char *p, *end, *colon;
	size_t hlen;
	int r;

	if (strncmp(url, "wss://", 6) == 0)
		fatal("%s: no TLS here: use ws:// to pushd directly", url);
	if (strncmp(url, "ws://", 5) != 0)
		fatal("%s: want ws://HOST:PORT/path", url);
	p = url + 5;
	end = p + strcspn(p, "/?#");
	if ((colon = memchr(p, ':', (size_t)(end - p))) == NULL)
		colon = end;
	hlen = (size_t)(colon - p);
	if (hlen == 0 || hlen >= sizeof(host) || memchr(p, '@', hlen) ||
	    (colon < end && (size_t)(end - colon - 1) >= sizeof(port)))
		fatal("%s: bad host or port", url);
	memcpy(host, p, hlen);
	host[hlen] = '\0';
	if (colon < end) {
		memcpy(port, colon + 1, (size_t)(end - colon - 1));
		port[end - colon - 1] = '\0';
	} else
		(void)snprintf(port, sizeof(port), "80");
	(void)snprintf(path, sizeof(path), "%s%.*s", *end == '/' ? "" : "/",
	    (int)strcspn(end, "#"), end);
	r = snprintf(t->path, sizeof(t->path), "%s%cEIO=4&transport=websocket",
	    path, strchr(path, '?') ? '&' : '?');
	if (r < 0 || (size_t)r >= sizeof(t->path) ||
	    strlen(end) >= sizeof(path))
		fatal("%s: path too long", url);
	(void)snprintf(t->host, sizeof(t->host), "%.*s", (int)(end - p), p);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0)
		fatal("%s: %s", host, gai_strerror(r));
	memcpy(&t->dst, res->ai_addr, sizeof(t->dst));
	freeaddrinfo(res);
	/* 127.0.0.x sources only reach a loopback server. */
	t->nsrc = o.src_addrs;
	t->bind_src = (ntohl(t->dst.sin_addr.s_addr) >> 24) == 127;
	if (!t->bind_src && o.src_addrs > 1)
		fatal("--src-addrs needs a server on 127.0.0.0/8");
}

/* --- the pairs file ------------------------------------------------------ */

static const char *
file_string(json_object *obj, const char *key, size_t i)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0)
		fatal("%s: pairs[%zu].%s: want a non-empty string", o.pairs,
		    i, key);
	return json_object_get_string(v);
}

static void
load_pair(json_object *obj, size_t i)
{
	struct pair *p = &pairs[i];
	json_object *v;

	if (!json_object_is_type(obj, json_type_object))
		fatal("%s: pairs[%zu]: want an object", o.pairs, i);
	p->agent = file_string(obj, "agentToken", i);
	p->user = file_string(obj, "userToken", i);
	if (!json_object_object_get_ex(obj, "conversationId", &v) ||
	    !(json_object_is_type(v, json_type_string) ||
	    json_object_is_type(v, json_type_int)))
		fatal("%s: pairs[%zu].conversationId: want a string or an "
		    "integer", o.pairs, i);
	p->conv = v;
	p->conv_str = json_object_get_string(v);
}

static void
load_pairs(void)
{
	json_object *a, *v;
	size_t i;

	if ((pairs_file = json_object_from_file(o.pairs)) == NULL)
		fatal("%s: %s", o.pairs, json_err());
	if (!json_object_object_get_ex(pairs_file, "pairs", &a) ||
	    !json_object_is_type(a, json_type_array) ||
	    (npairs = json_object_array_length(a)) == 0)
		fatal("%s: want {\"pairs\": [at least one pair], ...}",
		    o.pairs);
	if ((pairs = calloc(npairs, sizeof(*pairs))) == NULL)
		fatal("out of memory");
	for (i = 0; i < npairs; i++)
		load_pair(json_object_array_get_idx(a, i), i);
	if (!json_object_object_get_ex(pairs_file, "members", &a))
		return;
	if (!json_object_is_type(a, json_type_array))
		fatal("%s: members: want an array of tokens", o.pairs);
	nmembers = json_object_array_length(a);
	if (nmembers > 0 &&
	    (members = calloc(nmembers, sizeof(*members))) == NULL)
		fatal("out of memory");
	for (i = 0; i < nmembers; i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string))
			fatal("%s: members[%zu]: want a token", o.pairs, i);
		members[i] = json_object_get_string(v);
	}
}

/* --- setup --------------------------------------------------------------- */

static void
add_conn(enum role role, uint32_t idx, const char *token)
{
	struct conn *c = &conns[nconns];

	c->fd = -1;
	c->state = CS_NEW;
	c->role = role;
	c->id = (uint32_t)nconns;
	c->idx = idx;
	c->token = token;
	nconns++;
}

static void
setup_conns(void)
{
	size_t i, n;

	if (o.mode == MODE_FANOUT && nmembers == 0)
		fatal("%s: fanout needs \"members\"", o.pairs);
	n = o.mode == MODE_FANOUT ? 1 + nmembers : 2 * npairs +
	    (o.mode == MODE_IDLE ? nmembers : 0);
	if ((conns = calloc(n, sizeof(*conns))) == NULL)
		fatal("out of memory");
	if (o.mode == MODE_FANOUT) {
		add_conn(ROLE_BCAST, 0, pairs[0].agent);
		for (i = 0; i < nmembers; i++)
			add_conn(ROLE_MEMBER, (uint32_t)i, members[i]);
		return;
	}
	for (i = 0; i < npairs; i++) {
		add_conn(ROLE_AGENT, (uint32_t)i, pairs[i].agent);
		add_conn(ROLE_USER, (uint32_t)i, pairs[i].user);
	}
	for (i = 0; o.mode == MODE_IDLE && i < nmembers; i++)
		add_conn(ROLE_MEMBER, (uint32_t)i, members[i]);
}

/* The whole schedule is allocated before the first connect. */
static void
setup_schedule(void)
{
	double n = o.rate * o.duration;

	if (o.mode == MODE_IDLE)
		return;
	if (n < 1 || n > MAX_MSGS)
		fatal("--rate x --duration gives %.0f sends: want 1 to %d", n,
		    MAX_MSGS);
	nmsgs = (size_t)n;
	/* End on a stop, or the server's own stop 5 s later is extra. */
	if (o.mode == MODE_FANOUT && (nmsgs &= ~(size_t)1) == 0)
		nmsgs = 2;
	if ((msgs = calloc(nmsgs, sizeof(*msgs))) == NULL)
		fatal("out of memory for %zu sends", nmsgs);
	if (o.mode == MODE_SEND &&
	    (senders = calloc(npairs, sizeof(*senders))) == NULL)
		fatal("out of memory");
}

/* Every client is a descriptor: the soft limit goes up to the hard one. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("getrlimit: %s", strerror(errno));
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			fatal("setrlimit: %s", strerror(errno));
	}
	if (rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)nconns + FD_SPARE > rl.rlim_cur)
		fatal("%zu clients need %zu descriptors; the limit is %llu",
		    nconns, nconns + FD_SPARE, (unsigned long long)rl.rlim_cur);
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	if (sigemptyset(&sa.sa_mask) == -1 || sigaction(SIGPIPE, &sa,
	    NULL) == -1)
		fatal("sigaction: %s", strerror(errno));
	sa.sa_handler = on_signal;
	if (sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1)
		fatal("sigaction: %s", strerror(errno));
}

/* --- JSON helpers -------------------------------------------------------- */

/* One whole JSON text from a packet; NULL if it does not parse. */
static json_object *
jparse(const char *p, size_t len)
{
	json_object *v;

	if (len == 0 || len > INT32_MAX)
		return NULL;
	json_tokener_reset(tok);
	v = json_tokener_parse_ex(tok, p, (int)len);
	if (v != NULL && json_tokener_get_parse_end(tok) != len) {
		json_object_put(v);
		return NULL;
	}
	return v;
}

/* Adds v (NULL from a failed allocation counts as an error) to o. */
static int
jset(json_object *obj, const char *key, json_object *v)
{
	if (v == NULL)
		return -1;
	if (json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static int
jpush(json_object *a, json_object *v)
{
	if (v == NULL)
		return -1;
	if (json_object_array_add(a, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static const char *
jstr(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int
jtrue(json_object *obj, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) &&
	    json_object_is_type(v, json_type_boolean) &&
	    json_object_get_boolean(v);
}

/* The code of an {ok: false, error: {code}} answer, for the counts. */
static const char *
jerror_code(json_object *obj)
{
	json_object *e;
	const char *s;

	if (!json_object_object_get_ex(obj, "error", &e) ||
	    (s = jstr(e, "code")) == NULL)
		return "(no code)";
	return s;
}

static json_object *
jconv(json_object *conv)
{
	json_object *obj;

	if ((obj = json_object_new_object()) == NULL)
		return NULL;
	if (jset(obj, "conversationId", json_object_get(conv)) == -1) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/* --- Socket.IO out ------------------------------------------------------- */

/*
 * Sends 42["name",arg], or 42<ack>["name",arg] when ack >= 0; takes arg.
 * 0, or -1 when it was not sent (see conn_send).
 */
static int
emit(struct conn *c, long long ack, const char *name, json_object *arg)
{
	json_object *a;
	const char *s;
	char hdr[32];
	size_t len;
	int n, r = -1;

	if (arg == NULL)
		return -1;
	if ((a = json_object_new_array()) == NULL) {
		json_object_put(arg);
		return -1;
	}
	if (jpush(a, json_object_new_string(name)) == -1 ||
	    jpush(a, arg) == -1) {
		json_object_put(a);
		return -1;
	}
	if (ack < 0)
		n = snprintf(hdr, sizeof(hdr), "42");
	else
		n = snprintf(hdr, sizeof(hdr), "42%lld", ack);
	s = json_object_to_json_string_length(a, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (s != NULL && n > 0 && (size_t)n < sizeof(hdr))
		r = conn_send(c, WS_OP_TEXT, hdr, (size_t)n, s, len);
	json_object_put(a);
	return r;
}

/* Socket.IO CONNECT to "/" with the token as the auth object. */
static void
sio_connect(struct conn *c)
{
	json_object *auth;
	const char *s;
	size_t len;

	if ((auth = json_object_new_object()) == NULL ||
	    jset(auth, "token", json_object_new_string(c->token)) == -1 ||
	    (s = json_object_to_json_string_length(auth,
	    JSON_C_TO_STRING_PLAIN, &len)) == NULL ||
	    conn_send(c, WS_OP_TEXT, "40", 2, s, len) == -1) {
		json_object_put(auth);
		conn_close(c, "cannot send CONNECT");
		return;
	}
	json_object_put(auth);
	c->state = CS_SIO;
}

static const struct pair *
conn_pair(const struct conn *c)
{
	if (c->role == ROLE_AGENT || c->role == ROLE_USER)
		return &pairs[c->idx];
	return &pairs[0];	/* fanout: everyone meets in pair 0's */
}

static void
ready(struct conn *c)
{
	c->state = CS_READY;
	npending--;
}

/* Ack id 0 is the join; message i uses ack id i + 1. */
static void
join(struct conn *c)
{
	if (emit(c, 0, "conversation:join", jconv(conn_pair(c)->conv)) ==
	    -1) {
		conn_close(c, "cannot send conversation:join");
		return;
	}
	c->state = CS_JOIN;
}

/* --- Socket.IO in -------------------------------------------------------- */

static void
eio_open(struct conn *c, const char *p, size_t len)
{
	json_object *obj;

	if (c->state != CS_EIO) {
		conn_close(c, "engine.io: OPEN twice");
		return;
	}
	obj = jparse(p, len);
	if (obj == NULL || jstr(obj, "sid") == NULL) {
		json_object_put(obj);
		conn_close(c, "engine.io: bad OPEN packet");
		return;
	}
	json_object_put(obj);
	sio_connect(c);
}

static void
sio_connected(struct conn *c, const char *p, size_t len)
{
	json_object *obj;

	if (c->state != CS_SIO) {
		conn_close(c, "socket.io: unexpected CONNECT");
		return;
	}
	obj = jparse(p, len);
	if (obj == NULL || jstr(obj, "sid") == NULL) {
		json_object_put(obj);
		conn_close(c, "socket.io: CONNECT reply without a sid");
		return;
	}
	json_object_put(obj);
	if (o.mode == MODE_IDLE)
		ready(c);
	else
		join(c);
}

static void
sio_connect_error(struct conn *c, const char *p, size_t len)
{
	json_object *obj = jparse(p, len);
	const char *msg = obj ? jstr(obj, "message") : NULL;
	char why[80];

	(void)snprintf(why, sizeof(why), "CONNECT_ERROR %s",
	    msg ? msg : "(no message)");
	json_object_put(obj);
	conn_close(c, why);
}

/* The ack id in front of a packet's JSON: its length, or 0 if none. */
static size_t
sio_id(const char *p, size_t len, long long *id)
{
	size_t i;

	*id = 0;
	/* 15 digits fit a long long and the server's 2^53 cap. */
	for (i = 0; i < len && i < 15 && p[i] >= '0' && p[i] <= '9'; i++)
		*id = *id * 10 + (p[i] - '0');
	return i;
}

static void
join_ack(struct conn *c, json_object *arg)
{
	char why[80];

	if (c->state != CS_JOIN) {
		st.unexpected++;
		return;
	}
	if (jtrue(arg, "ok")) {
		ready(c);
		return;
	}
	(void)snprintf(why, sizeof(why), "conversation:join refused: %s",
	    jerror_code(arg));
	conn_close(c, why);
}

static void
msg_ack(struct conn *c, size_t i, json_object *arg, int64_t now)
{
	struct msg *m = &msgs[i];

	if (o.mode != MODE_SEND || i >= nmsgs || c->role != ROLE_USER ||
	    m->pair != c->idx || !(m->flags & MSG_SENT)) {
		st.unexpected++;
		return;
	}
	if (m->flags & (MSG_ACKED | MSG_ACKERR)) {
		st.dup_acks++;
		return;
	}
	if (!jtrue(arg, "ok")) {
		m->flags |= MSG_ACKERR;
		st.ack_errors++;
		reason_add("message:send refused: %s", jerror_code(arg));
		return;
	}
	m->flags |= MSG_ACKED;
	st.acked++;
	st.last_ack = now;
	hist_add(&st.ack, (uint64_t)(now - m->sched) / 1000);
	/* An old run's id: nothing is broadcast, so no delivery comes. */
	if (jtrue(arg, "duplicate"))
		st.dup_stored++;
}

static void
sio_ack(struct conn *c, const char *p, size_t len, int64_t now)
{
	json_object *a, *arg;
	long long id;
	size_t n;

	if ((n = sio_id(p, len, &id)) == 0) {
		conn_close(c, "socket.io: ACK without an id");
		return;
	}
	if ((a = jparse(p + n, len - n)) == NULL ||
	    !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		conn_close(c, "socket.io: bad ACK");
		return;
	}
	/* An ack without {ok: true} (even with no argument) is a refusal. */
	arg = json_object_array_get_idx(a, 0);
	if (id == 0)
		join_ack(c, arg);
	else if ((unsigned long long)id <= nmsgs)
		msg_ack(c, (size_t)id - 1, arg, now);
	else
		st.unexpected++;
	json_object_put(a);
}

/* lg-<run>-<pair>-<seq>: the message's index, or -1 if not this run's. */
static long long
our_message(const char *cmid, uint32_t *pair)
{
	size_t n = strlen(run_id);
	unsigned long long p, seq;
	char *end;

	if (cmid == NULL || strncmp(cmid, "lg-", 3) != 0 ||
	    strncmp(cmid + 3, run_id, n) != 0 || cmid[3 + n] != '-')
		return -1;
	errno = 0;
	p = strtoull(cmid + 4 + n, &end, 10);
	if (errno != 0 || *end != '-' || p > UINT32_MAX)
		return -1;
	seq = strtoull(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || seq >= nmsgs)
		return -1;
	*pair = (uint32_t)p;
	return (long long)seq;
}

static void
on_message_new(struct conn *c, json_object *arg, int64_t now)
{
	long long i;
	uint32_t pair;
	struct msg *m;

	if (o.mode != MODE_SEND || c->role != ROLE_AGENT ||
	    (i = our_message(jstr(arg, "clientMessageId"), &pair)) == -1)
		return;
	m = &msgs[i];
	if (pair != c->idx || m->pair != pair || !(m->flags & MSG_SENT)) {
		st.unexpected++;
		return;
	}
	if (m->flags & MSG_DELIVERED) {
		st.dup_deliveries++;
		return;
	}
	m->flags |= MSG_DELIVERED;
	st.delivered++;
	st.last_delivery = now;
	hist_add(&st.del, (uint64_t)(now - m->sched) / 1000);
}

/*
 * Typing events carry no time: broadcast k is the k-th event every member
 * receives, as one socket's events keep their order all the way.
 */
static void
on_typing(struct conn *c, json_object *arg, int typing, int64_t now)
{
	json_object *v;
	const char *conv;
	uint64_t k;

	if (o.mode != MODE_FANOUT || c->role != ROLE_MEMBER ||
	    !json_object_object_get_ex(arg, "conversationId", &v) ||
	    (conv = json_object_get_string(v)) == NULL ||
	    strcmp(conv, pairs[0].conv_str) != 0)
		return;
	k = c->rx_typing++;
	if (k >= nmsgs || !(msgs[k].flags & MSG_SENT)) {
		st.unexpected++;
		return;
	}
	if (typing != (k % 2 == 0))
		st.order_errors++;
	st.delivered++;
	st.last_delivery = now;
	hist_add(&st.del, (uint64_t)(now - msgs[k].sched) / 1000);
}

enum ev { EV_NONE, EV_NEW, EV_TYPING, EV_STOPPED, EV_ERROR };

/*
 * The event's name, read without parsing: most events (message:sent,
 * notifications, presence) are of no interest and thousands of clients
 * should not pay json-c for them.  Names with escapes match nothing.
 */
static enum ev
event_kind(const char *p, size_t len)
{
	static const struct {
		const char	*name;
		enum ev		 ev;
	} tab[] = {
		{ "message:new", EV_NEW },
		{ "typing:user-typing", EV_TYPING },
		{ "typing:user-stopped", EV_STOPPED },
		{ "error", EV_ERROR }
	};
	const char *q;
	size_t i, n;

	if (len < 4 || p[0] != '[' || p[1] != '"' ||
	    (q = memchr(p + 2, '"', len - 2)) == NULL)
		return EV_NONE;
	n = (size_t)(q - (p + 2));
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strlen(tab[i].name) == n && memcmp(p + 2, tab[i].name,
		    n) == 0)
			return tab[i].ev;
	return EV_NONE;
}

static void
sio_event(struct conn *c, const char *p, size_t len, int64_t now)
{
	json_object *a, *arg;
	long long id;
	size_t n = sio_id(p, len, &id);
	enum ev ev;

	if ((ev = event_kind(p + n, len - n)) == EV_NONE)
		return;
	if ((a = jparse(p + n, len - n)) == NULL ||
	    !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		conn_close(c, "socket.io: bad EVENT");
		return;
	}
	/* No argument, or null: none of ours, so not worth a look. */
	if ((arg = json_object_array_get_idx(a, 1)) == NULL) {
		json_object_put(a);
		return;
	}
	switch (ev) {
	case EV_NEW:
		on_message_new(c, arg, now);
		break;
	case EV_TYPING:
	case EV_STOPPED:
		on_typing(c, arg, ev == EV_TYPING, now);
		break;
	default:
		st.error_events++;
		reason_add("error event: %s %s", jstr(arg, "event") ?
		    jstr(arg, "event") : "?", jstr(arg, "code") ?
		    jstr(arg, "code") : "?");
		break;
	}
	json_object_put(a);
}

static void
sio_packet(struct conn *c, const char *p, size_t len, int64_t now)
{
	if (len == 0) {
		conn_close(c, "socket.io: empty packet");
		return;
	}
	if (c->state < CS_SIO) {
		conn_close(c, "socket.io: packet before CONNECT");
		return;
	}
	switch (p[0]) {
	case '0':
		sio_connected(c, p + 1, len - 1);
		break;
	case '1':
		conn_close(c, "socket.io: disconnected by the server");
		break;
	case '2':
		sio_event(c, p + 1, len - 1, now);
		break;
	case '3':
		sio_ack(c, p + 1, len - 1, now);
		break;
	case '4':
		sio_connect_error(c, p + 1, len - 1);
		break;
	default:
		/* Binary: pushd never sends any, and we asked for none. */
		conn_close(c, "socket.io: unexpected packet type");
		break;
	}
}

/* --- callbacks from net.c ------------------------------------------------ */

void
lg_on_open(struct conn *c)
{
	/* The server speaks first (OPEN): nothing to do yet. */
	(void)c;
}

void
lg_on_text(struct conn *c, const char *p, size_t len)
{
	/* Read once per packet: every latency ends here. */
	int64_t now = now_ns();

	if (len == 0) {
		conn_close(c, "engine.io: empty packet");
		return;
	}
	switch (p[0]) {
	case '0':
		eio_open(c, p + 1, len - 1);
		break;
	case '1':
		conn_close(c, "engine.io: CLOSE from the server");
		break;
	case '2':
		/* v4: the server pings, we pong, echoing any payload. */
		if (conn_send(c, WS_OP_TEXT, "3", 1, p + 1, len - 1) == 0)
			st.pings++;
		break;
	case '3':
	case '5':
	case '6':
		break;
	case '4':
		sio_packet(c, p + 1, len - 1, now);
		break;
	default:
		conn_close(c, "engine.io: unknown packet type");
		break;
	}
}

void
lg_on_close(struct conn *c, enum cstate was, const char *why)
{
	static const char *const what[] = {
		"new", "tcp", "upgrade", "engine.io open", "socket.io connect",
		"join", "ready", "dead"
	};

	if (was < CS_READY) {
		st.connect_errors++;
		npending--;
		reason_add("connect (%s, %s): %s", c->role == ROLE_MEMBER ?
		    "member" : c->role == ROLE_USER ? "user" : "agent",
		    what[was], why);
	} else {
		st.disconnects++;
		reason_add("disconnect: %s", why);
	}
}

/* --- phases -------------------------------------------------------------- */

static void
launch_connects(int64_t now)
{
	double due = (double)(now - t_connect) * o.connect_rate / NS + 1;

	while (nlaunched < nconns && (double)nlaunched < due) {
		npending++;
		conn_start(&conns[nlaunched++], &tgt, now);
	}
}

static void
check_timeouts(int64_t now)
{
	static const char *const waiting[] = {
		"", "TCP", "the 101", "OPEN", "the CONNECT reply",
		"the join ack"
	};
	char why[64];
	size_t i;

	if (now < t_scan)
		return;
	t_scan = now + TIMEOUT_SCAN;
	for (i = 0; i < nlaunched; i++) {
		if (conns[i].state < CS_TCP || conns[i].state >= CS_READY ||
		    now - conns[i].t_start < (int64_t)(o.connect_timeout * NS))
			continue;
		(void)snprintf(why, sizeof(why), "timeout waiting for %s",
		    waiting[conns[i].state]);
		conn_close(&conns[i], why);
	}
}

static size_t
count_ready(enum role role)
{
	size_t i, n = 0;

	for (i = 0; i < nconns; i++)
		if (conns[i].state == CS_READY && conns[i].role == role)
			n++;
	return n;
}

static void
begin_warmup(int64_t now)
{
	t_ready = now;
	fprintf(stderr, "loadgen: %zu of %zu clients ready in %.2f s\n",
	    nconns - (size_t)st.connect_errors, nconns,
	    (double)(now - t_connect) / NS);
	phase = PH_WARMUP;
	/* Idle holds right away: there is nothing to warm up. */
	t0 = now + (o.mode == MODE_IDLE ? 0 : (int64_t)(o.warmup * NS));
}

static void
begin_run(int64_t now)
{
	size_t i;

	(void)now;
	t_end = t0 + (int64_t)(o.duration * NS);
	phase = PH_RUN;
	if (o.mode == MODE_SEND) {
		/* Only complete pairs send: a lone user has no one to hear. */
		for (i = 0; i < npairs; i++)
			if (conns[2 * i].state == CS_READY &&
			    conns[2 * i + 1].state == CS_READY)
				senders[nsenders++] = &conns[2 * i + 1];
		if (nsenders == 0)
			fprintf(stderr, "loadgen: no complete pair: "
			    "nothing will be sent\n");
	} else if (o.mode == MODE_FANOUT)
		st.listeners = count_ready(ROLE_MEMBER);
}

static void
mark_sent(struct msg *m, int64_t now)
{
	m->flags |= MSG_SENT;
	st.sent++;
	st.last_send = now;
	if (now - m->sched > st.max_lag)
		st.max_lag = now - m->sched;
}

static json_object *
message_body(size_t i, const struct pair *p, uint32_t pair)
{
	json_object *obj;
	char content[64], cmid[64];

	(void)snprintf(content, sizeof(content), "lg %zu %lld", i,
	    (long long)(msgs[i].sched - t0) / 1000);
	(void)snprintf(cmid, sizeof(cmid), "lg-%s-%u-%zu", run_id, pair, i);
	if ((obj = jconv(p->conv)) == NULL)
		return NULL;
	if (jset(obj, "messageType", json_object_new_string("text")) == -1 ||
	    jset(obj, "content", json_object_new_string(content)) == -1 ||
	    jset(obj, "clientMessageId", json_object_new_string(cmid)) == -1) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/* Message i goes to the users in turn: each gets rate / users. */
static void
send_message(size_t i, int64_t now)
{
	struct conn *c;
	struct msg *m = &msgs[i];

	if (nsenders == 0) {
		st.skipped++;
		return;
	}
	c = senders[i % nsenders];
	m->pair = c->idx;
	if (c->state != CS_READY) {
		st.skipped++;
		return;
	}
	if (emit(c, (long long)i + 1, "message:send",
	    message_body(i, &pairs[c->idx], c->idx)) == -1) {
		if (c->state == CS_READY)
			st.overflow++;
		else
			st.skipped++;
		return;
	}
	mark_sent(m, now);
}

/* Even broadcasts start typing, odd ones stop it. */
static void
send_typing(size_t i, int64_t now)
{
	struct conn *c = &conns[0];

	if (c->state != CS_READY) {
		st.skipped++;
		return;
	}
	if (emit(c, -1, i % 2 == 0 ? "typing:start" : "typing:stop",
	    jconv(pairs[0].conv)) == -1) {
		if (c->state == CS_READY)
			st.overflow++;
		else
			st.skipped++;
		return;
	}
	mark_sent(&msgs[i], now);
}

/*
 * Sends what is due, late ones too, a batch at a time so that input is
 * not starved; how long until the next one is due (0: already).
 */
static int64_t
send_due(int64_t now)
{
	size_t budget = SEND_BATCH;
	int64_t sched;

	for (; next_msg < nmsgs; next_msg++) {
		sched = t0 + (int64_t)((double)next_msg * NS / o.rate);
		if (sched > now)
			return sched - now;
		if (budget-- == 0)
			return 0;
		msgs[next_msg].sched = sched;
		if (o.mode == MODE_SEND)
			send_message(next_msg, now);
		else
			send_typing(next_msg, now);
	}
	return TICK;
}

static void
begin_drain(int64_t now)
{
	size_t i;

	for (i = 0; i < nconns; i++)
		if (conns[i].state == CS_READY)
			st.connected++;
	if (o.mode == MODE_FANOUT)
		st.expected = st.sent * st.listeners;
	phase = PH_DRAIN;
	t_drain = now + (int64_t)(o.drain * NS);
}

static int
drained(void)
{
	if (o.mode == MODE_SEND)
		return st.acked + st.ack_errors >= st.sent &&
		    st.delivered + st.ack_errors + st.dup_stored >= st.sent;
	if (o.mode == MODE_FANOUT)
		return st.delivered >= st.expected;
	return 1;
}

static void
progress(int64_t now)
{
	if (!o.verbose || now < t_progress)
		return;
	t_progress = now + NS;
	fprintf(stderr, "loadgen: +%.0fs pending %zu errors %llu sent %llu "
	    "acked %llu delivered %llu lag %.1f ms\n",
	    (double)(now - t_connect) / NS, npending,
	    (unsigned long long)st.connect_errors,
	    (unsigned long long)st.sent, (unsigned long long)st.acked,
	    (unsigned long long)st.delivered, (double)st.max_lag / 1e6);
}

/*
 * One turn of the schedule; how long the loop may then sleep, so that
 * sends leave on time rather than on the next millisecond.
 */
static int64_t
tick(int64_t now)
{
	int64_t wait;

	progress(now);
	switch (phase) {
	case PH_CONNECT:
		launch_connects(now);
		check_timeouts(now);
		if (nlaunched == nconns && npending == 0)
			begin_warmup(now);
		break;
	case PH_WARMUP:
		if (now < t0)
			return t0 - now < TICK ? t0 - now : TICK;
		begin_run(now);
		/* FALLTHROUGH */
	case PH_RUN:
		if ((wait = send_due(now)) == 0)
			return 0;
		if (now >= t_end && next_msg == nmsgs)
			begin_drain(now);
		return wait < TICK ? wait : TICK;
	case PH_DRAIN:
		if (drained() || now >= t_drain)
			phase = PH_DONE;
		break;
	default:
		break;
	}
	return TICK;
}

/* --- results ------------------------------------------------------------- */

static json_object *
jdouble(double d)
{
	char s[64];

	/* json-c would print 17 digits; three decimals say enough. */
	(void)snprintf(s, sizeof(s), "%.3f", d);
	return json_object_new_double_s(d, s);
}

static json_object *
jcount(uint64_t n)
{
	return json_object_new_uint64(n);
}

static json_object *
latency_json(const struct hist *h)
{
	json_object *obj;

	if ((obj = json_object_new_object()) == NULL)
		return NULL;
	if (jset(obj, "p50", jcount(hist_pct(h, 0.50))) == -1 ||
	    jset(obj, "p90", jcount(hist_pct(h, 0.90))) == -1 ||
	    jset(obj, "p99", jcount(hist_pct(h, 0.99))) == -1 ||
	    jset(obj, "p999", jcount(hist_pct(h, 0.999))) == -1 ||
	    jset(obj, "max", jcount(h->max)) == -1 ||
	    jset(obj, "mean", jdouble(hist_mean(h))) == -1 ||
	    jset(obj, "count", jcount(h->count)) == -1) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static json_object *
reasons_json(void)
{
	json_object *obj;
	size_t i;

	if ((obj = json_object_new_object()) == NULL)
		return NULL;
	for (i = 0; i < NREASONS && reasons[i].n > 0; i++)
		if (jset(obj, reasons[i].text, jcount(reasons[i].n)) == -1)
			goto fail;
	if (reasons_other > 0 &&
	    jset(obj, "(other)", jcount(reasons_other)) == -1)
		goto fail;
	return obj;
fail:
	json_object_put(obj);
	return NULL;
}

static uint64_t
sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static uint64_t
missing_acks(void)
{
	return o.mode == MODE_SEND ? sub0(st.sent, st.acked + st.ack_errors) :
	    0;
}

static uint64_t
missing_deliveries(void)
{
	if (o.mode == MODE_SEND)
		return sub0(st.sent, st.delivered + st.ack_errors +
		    st.dup_stored);
	if (o.mode == MODE_FANOUT)
		return sub0(st.expected, st.delivered);
	return 0;
}

/*
 * What the server sustained: acks (send) or broadcasts (fanout) over the
 * run, or over the time until the last one if that took longer.
 */
static double
achieved_rate(void)
{
	double span = o.duration;
	int64_t last = o.mode == MODE_SEND ? st.last_ack : st.last_send;
	uint64_t n = o.mode == MODE_SEND ? st.acked : st.sent;

	if (o.mode == MODE_IDLE || n == 0)
		return 0;
	if ((double)(last - t0) / NS > span)
		span = (double)(last - t0) / NS;
	return (double)n / span;
}

static json_object *
result_json(int interrupted)
{
	json_object *r;
	int bad;

	if ((r = json_object_new_object()) == NULL)
		return NULL;
	bad = jset(r, "mode", json_object_new_string(mode_names[o.mode])) ||
	    jset(r, "rate", jdouble(o.mode == MODE_IDLE ? 0 : o.rate)) ||
	    jset(r, "duration_s", jdouble(o.duration)) ||
	    jset(r, "clients", jcount(nconns)) ||
	    jset(r, "connected", jcount(st.connected)) ||
	    jset(r, "connect_errors", jcount(st.connect_errors)) ||
	    jset(r, "disconnects", jcount(st.disconnects)) ||
	    jset(r, "sent", jcount(st.sent)) ||
	    jset(r, "acked", jcount(st.acked)) ||
	    jset(r, "ack_errors", jcount(st.ack_errors)) ||
	    jset(r, "delivered", jcount(st.delivered)) ||
	    jset(r, "missing_acks", jcount(missing_acks())) ||
	    jset(r, "missing_deliveries", jcount(missing_deliveries())) ||
	    jset(r, "ack_latency_us", latency_json(&st.ack)) ||
	    jset(r, "deliver_latency_us", latency_json(&st.del)) ||
	    jset(r, "deliveries_per_s", jdouble((double)st.delivered /
	    o.duration)) ||
	    jset(r, "achieved_rate", jdouble(achieved_rate())) ||
	    jset(r, "scheduled", jcount(nmsgs)) ||
	    jset(r, "send_skipped", jcount(st.skipped)) ||
	    jset(r, "send_overflow", jcount(st.overflow)) ||
	    jset(r, "max_send_lag_us", jcount((uint64_t)st.max_lag / 1000)) ||
	    jset(r, "duplicate_acks", jcount(st.dup_acks)) ||
	    jset(r, "duplicate_stored", jcount(st.dup_stored)) ||
	    jset(r, "duplicate_deliveries", jcount(st.dup_deliveries)) ||
	    jset(r, "unexpected", jcount(st.unexpected)) ||
	    jset(r, "order_errors", jcount(st.order_errors)) ||
	    jset(r, "error_events", jcount(st.error_events)) ||
	    jset(r, "listeners", jcount(st.listeners)) ||
	    jset(r, "pings", jcount(st.pings)) ||
	    jset(r, "connect_s", jdouble((double)(t_ready - t_connect) / NS)) ||
	    jset(r, "src_addrs", jcount(o.src_addrs)) ||
	    jset(r, "interrupted", json_object_new_boolean(interrupted)) ||
	    jset(r, "reasons", reasons_json());
	if (bad) {
		json_object_put(r);
		return NULL;
	}
	return r;
}

static void
write_result(int interrupted)
{
	json_object *r;

	if ((r = result_json(interrupted)) == NULL)
		fatal("out of memory building the result");
	if (json_object_to_file_ext(o.out, r, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE) == -1)
		fatal("%s: %s", o.out, json_err());
	json_object_put(r);
}

static void
print_summary(void)
{
	printf("%s: %zu clients, %llu connected, %llu connect errors, "
	    "%llu disconnects", mode_names[o.mode], nconns,
	    (unsigned long long)st.connected,
	    (unsigned long long)st.connect_errors,
	    (unsigned long long)st.disconnects);
	if (o.mode != MODE_IDLE)
		printf("; rate %g/s for %g s: sent %llu, acked %llu "
		    "(%llu errors, %llu missing), delivered %llu (%llu "
		    "missing, %.0f/s); ack p50 %.2f p99 %.2f ms, deliver p50 "
		    "%.2f p99 %.2f max %.2f ms", o.rate, o.duration,
		    (unsigned long long)st.sent, (unsigned long long)st.acked,
		    (unsigned long long)st.ack_errors,
		    (unsigned long long)missing_acks(),
		    (unsigned long long)st.delivered,
		    (unsigned long long)missing_deliveries(),
		    (double)st.delivered / o.duration,
		    (double)hist_pct(&st.ack, 0.5) / 1000,
		    (double)hist_pct(&st.ack, 0.99) / 1000,
		    (double)hist_pct(&st.del, 0.5) / 1000,
		    (double)hist_pct(&st.del, 0.99) / 1000,
		    (double)st.del.max / 1000);
	printf("\n");
	if (fflush(stdout) == EOF)
		fatal("stdout: %s", strerror(errno));
}

/* --- main ---------------------------------------------------------------- */

static void
cleanup(void)
{
	size_t i;

	for (i = 0; i < nconns; i++)
		conn_abandon(&conns[i]);
	net_fini();
	json_tokener_free(tok);
	json_object_put(pairs_file);
	free(conns);
	free(msgs);
	free(senders);
	free(pairs);
	free(members);
}

int
main(int argc, char **argv)
{
	int64_t now;

	parse_args(argc, argv);
	parse_url(o.url, &tgt);
	load_pairs();
	setup_conns();
	setup_schedule();
	raise_nofile();
	setup_signals();
	if ((tok = json_tokener_new()) == NULL)
		fatal("out of memory");
	if (net_init() == -1)
		fatal("epoll: %s", strerror(errno));
	now = now_ns();
	(void)snprintf(run_id, sizeof(run_id), "%08llx",
	    (unsigned long long)((now / 1000) ^ ((int64_t)getpid() << 20)) &
	    0xffffffffULL);
	t_connect = t_scan = t_progress = now;
	phase = PH_CONNECT;
	while (phase != PH_DONE && !stop) {
		if (net_poll(tick(now_ns())) == -1)
			fatal("epoll_wait: %s", strerror(errno));
	}
	if (stop && phase < PH_DRAIN)
		begin_drain(now_ns());
	if (t_ready == 0)
		t_ready = now_ns();	/* interrupted while connecting */
	write_result(stop != 0);
	print_summary();
	cleanup();
	return stop ? 1 : 0;
}
