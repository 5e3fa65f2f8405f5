/*
 * pushd - the realtime push daemon: Socket.IO v4 over libwebsockets.
 *
 *	pushd [-c chat.conf] [-l logfile] [-d]
 *
 * Listens on pushd.listen:pushd.port for Engine.IO (polling and WebSocket)
 * at /socket.io/, and on the UNIX datagram socket pushd.socket for the rows
 * the FastCGI programs wrote.  SIGTERM/SIGINT close every socket cleanly
 * and mark their users offline; SIGHUP reopens the log file.
 *
 * The event loop is libev's (epoll), owned here, with lws inside it as a
 * "foreign loop" (lws's libev plugin).  lws's default loop calls poll() on
 * every socket at each wake-up, which with 19k idle sockets cost most of a
 * core; epoll costs what is ready.  Not libuv: its poll handles take a
 * socket out of epoll and put it back (EPOLL_CTL_DEL + ADD) each time lws
 * asks for or drops POLLOUT, which made every fan-out delivery cost 80%
 * more CPU; libev changes the interest with one EPOLL_CTL_MOD.  Signals are
 * ev_signal watchers, so their handlers run on the loop thread like
 * everything else.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "bus.h"
#include "cli.h"
#include "cluster.h"
#include "log.h"
#include "password.h"
#include "pushd.h"

/*
 * lws 4.1's libev plugin moves its one timer with ev_timer_set() and
 * ev_timer_start() but never stops it first, and libev ignores a start on
 * an active timer: an lws_sul due sooner than the armed one waits for it
 * (lws keeps 30 s housekeeping timers; pings and CONNECT deadlines were
 * seen 20 s late).  A sul that re-arms itself every tick keeps the armed
 * timer at most a tick away, which bounds that wait.
 */
#define PUSHD_LOOP_TICK_US	(100 * LWS_US_PER_MS)

/*
 * Debian builds lws with _DEBUG: every socket it closes costs a scan of its
 * fd table that reads each open connection, so closing them all at exit is
 * quadratic (1.4 s for 19k sockets).  Past this many sessions pushd leaves
 * the sockets to exit(), which closes them at once; the clients see the
 * same (lws sends no close frame when its context goes either).
 */
#define PUSHD_TEARDOWN_MAX	4096

struct pushd pd;

static const char *logfile;
static struct ev_loop *loop;
static ev_signal sig_term, sig_int, sig_hup;
static lws_sorted_usec_list_t loop_tick;

#define PUSHD_USAGE	"pushd [-c chat.conf] [-l logfile] [-d] | --help | --version"
#define DB_WAIT_MAX	30	/* seconds between tries, at most */

static volatile sig_atomic_t waiting_stopped;

static void
usage(void)
{
	fprintf(stderr, "usage: " PUSHD_USAGE "\n");
	exit(2);
}

static void
on_stop_waiting(int sig)
{
	(void)sig;
	waiting_stopped = 1;
}

/*
 * Before the loop runs: a MariaDB that is not up yet (started with pushd,
 * or restarting) is waited for, with a growing pause; SIGTERM ends it.
 */
static int
wait_db(struct db *db)
{
	struct sigaction sa, oterm, oint;
	unsigned pause = 1;
	int rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_waiting;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &oterm);
	sigaction(SIGINT, &sa, &oint);
	while (db_connect(db) != DB_OK) {
		if (waiting_stopped) {
			rc = -1;
			break;
		}
		log_warnx("the database is not reachable yet; trying again in "
		    "%u s", pause);
		sleep(pause);
		if (waiting_stopped) {
			rc = -1;
			break;
		}
		pause = pause * 2 > DB_WAIT_MAX ? DB_WAIT_MAX : pause * 2;
	}
	sigaction(SIGTERM, &oterm, NULL);
	sigaction(SIGINT, &oint, NULL);
	return rc;
}

static void
reopen_log(void)
{
	if (logfile != NULL && freopen(logfile, "a", stderr) == NULL)
		exit(1);	/* nowhere left to say why */
	setvbuf(stderr, NULL, _IOLBF, 0);
}

/* The datagram socket the FastCGI side writes to. */
static int
notify_listen(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path) >=
	    sizeof(sun.sun_path)) {
		log_error("pushd.socket: path too long");
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("socket");
		return -1;
	}
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0660) == -1) {
		log_warn("%s", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* lws finds its libev support in a plugin: say which package is missing. */
static int
evlib_present(void)
{
#ifdef LWS_INSTALL_LIBDIR
	const char *path = LWS_INSTALL_LIBDIR "/libwebsockets-evlib_ev.so";

	if (access(path, R_OK) == -1) {
		log_warn("%s (package libwebsockets-evlib-ev)", path);
		return -1;
	}
#endif
	return 0;
}

/* On tick boundaries, so that it shares its wake-ups with eio's wheel. */
static void
on_loop_tick(lws_sorted_usec_list_t *sul)
{
	lws_usec_t now = lws_now_usecs();

	lws_sul_schedule(pd.ctx, 0, sul, on_loop_tick,
	    PUSHD_LOOP_TICK_US - now % PUSHD_LOOP_TICK_US);
}

static int
start_lws(void)
{
	static struct lws_protocols list[2];
	struct lws_context_creation_info info;
	void *loops[1];

	list[0] = eio_protocol;
	memset(&list[1], 0, sizeof(list[1]));
	memset(&info, 0, sizeof(info));
	info.port = (int)pd.cfg.pushd_port;
	info.iface = pd.cfg.pushd_listen;
	info.protocols = list;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6 |
	    LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_LIBEV;
	/* Only read while the context is created. */
	loops[0] = loop;
	info.foreign_loops = loops;
	/* lws sets pd.ctx to NULL once the context is really gone. */
	info.pcontext = &pd.ctx;
	info.max_http_header_data = 4096;
	info.timeout_secs = 20;
	/* Frames up to maxPayload pass through the receive callback. */
	info.pt_serv_buf_size = 65536;
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	if (evlib_present() == -1)
		return -1;
	if ((pd.ctx = lws_create_context(&info)) == NULL) {
		log_error("cannot start libwebsockets on %s:%ld",
		    pd.cfg.pushd_listen, pd.cfg.pushd_port);
		return -1;
	}
	on_loop_tick(&loop_tick);
	return 0;
}

/* Close every session (marking users offline), then let the jobs finish. */
static void
shutdown_all(void)
{
	struct session *s;
	struct hmap_node *n;
	size_t i;

	for (i = 0; i < pd.sessions.nb; i++)
		while ((n = pd.sessions.b[i]) != NULL) {
			s = HMAP_ENTRY(n, struct session, node);
			eio_close(s, "shutting down");
		}
	dbq_stop(pd.dbq);
	pd.dbq = NULL;
}

/*
 * Close the sessions and the db thread, then lws.  With libev (unlike
 * libuv) lws closes its sockets and stops its watchers before
 * lws_context_destroy() returns, and frees the context (pd.ctx becomes
 * NULL); with the signal watchers stopped too, the loop is empty.
 */
static void
stop_all(void)
{
	size_t nsess = pd.sessions.n;

	pd.stopping = 1;
	shutdown_all();
	cluster_stop();
	if (nsess <= PUSHD_TEARDOWN_MAX)
		lws_context_destroy(pd.ctx);
	else
		log_info("%zu sessions: their sockets are left to exit()", nsess);
	ev_signal_stop(loop, &sig_term);
	ev_signal_stop(loop, &sig_int);
	ev_signal_stop(loop, &sig_hup);
	ev_break(loop, EVBREAK_ALL);
}

static void
on_stop(struct ev_loop *l, ev_signal *w, int revents)
{
	(void)l;
	(void)revents;
	if (pd.stopping)
		return;
	log_info("stopping (signal %d)", w->signum);
	stop_all();
}

static void
on_hup(struct ev_loop *l, ev_signal *w, int revents)
{
	(void)l;
	(void)w;
	(void)revents;
	reopen_log();
	log_info("log reopened");
}

/* The loop pushd owns (epoll, nothing from the environment), and signals. */
static int
loop_init(void)
{
	if ((loop = ev_loop_new(EVBACKEND_EPOLL | EVFLAG_NOENV)) == NULL) {
		log_error("cannot create the event loop (epoll)");
		return -1;
	}
	ev_signal_init(&sig_term, on_stop, SIGTERM);
	ev_signal_init(&sig_int, on_stop, SIGINT);
	ev_signal_init(&sig_hup, on_hup, SIGHUP);
	ev_signal_start(loop, &sig_term);
	ev_signal_start(loop, &sig_int);
	ev_signal_start(loop, &sig_hup);
	return 0;
}

/* Run until a signal has stopped everything; -1 if it ended by itself. */
static int
loop_run(void)
{
	int rc = 0;

	(void)ev_run(loop, 0);
	if (!pd.stopping) {
		log_error("the event loop ended by itself");
		stop_all();
		rc = -1;
	}
	/* A context left to exit() still has its watchers in the loop. */
	if (pd.ctx == NULL)
		ev_loop_destroy(loop);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *conf = NULL;
	char err[512];
	struct db *db;
	int ch, nfd, rc;

	cli_standard(argc, argv, "pushd", PUSHD_USAGE);
	while ((ch = getopt(argc, argv, "c:l:d")) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'l':
			logfile = optarg;
			break;
		case 'd':
			log_set_level(LOG_LEVEL_DEBUG);
			break;
		default:
			usage();
		}
	}
	log_init("pushd", LOG_LEVEL_INFO);
	reopen_log();
	if (config_load(&pd.cfg, conf, err, sizeof(err)) == -1 ||
	    config_load_secret(&pd.cfg, err, sizeof(err)) == -1) {
		log_error("%s", err);
		return 1;
	}
	if (log_configure(pd.cfg.log_level, pd.cfg.log_syslog) == -1) {
		log_error("log.level or log.syslog is not one of its values");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((db = db_new(&pd.cfg)) == NULL)
		return 1;
	if (wait_db(db) == -1) {
		log_info("stopped while waiting for the database");
		db_free(db);
		return 0;
	}
	if (loop_init() == -1 || password_init() == -1 || rooms_init() == -1 ||
	    addr_init() == -1 || queue_init() == -1) {
		db_free(db);
		return 1;
	}
	/*
	 * Before the loop runs: pushd owns presence, so everyone starts
	 * offline.  Not a node of a cluster: the others' users are online.
	 */
	if (!bus_enabled(&pd.cfg))
		presence_reset(db);
	if ((nfd = notify_listen(pd.cfg.pushd_socket)) == -1 ||
	    start_lws() == -1 ||
	    (pd.dbq = dbq_start(&pd.cfg, pd.ctx, nfd,
	    ev_notify_datagram)) == NULL || cluster_start(loop) == -1) {
		db_free(db);
		return 1;
	}
	log_info("listening on %s:%ld (libev %d.%d)", pd.cfg.pushd_listen,
	    pd.cfg.pushd_port, ev_version_major(), ev_version_minor());
	workflow_start();
	rc = loop_run();
	queue_free();
	if (!bus_enabled(&pd.cfg))
		presence_reset(db);
	db_free(db);
	close(nfd);
	(void)unlink(pd.cfg.pushd_socket);
	if (rc != 0)
		return 1;
	hmap_free(&pd.sessions);
	hmap_free(&pd.users);
	hmap_free(&pd.rooms);
	return 0;
}
