/*
 * pushd - the realtime push daemon: Socket.IO v4 over libwebsockets.
 *
 *	pushd [-c chat.conf] [-l logfile] [-d]
 *
 * Listens on pushd.listen:pushd.port for Engine.IO (polling and WebSocket)
 * at /socket.io/, and on the UNIX datagram socket pushd.socket for the rows
 * the FastCGI programs wrote.  SIGTERM/SIGINT close every socket cleanly
 * and mark their users offline; SIGHUP reopens the log file.
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

#include "log.h"
#include "password.h"
#include "pushd.h"

struct pushd pd;

static const char *logfile;
static volatile sig_atomic_t got_hup;

static void
usage(void)
{
	fprintf(stderr, "usage: pushd [-c chat.conf] [-l logfile] [-d]\n");
	exit(2);
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		pd.stopping = 1;
	if (pd.ctx != NULL)
		lws_cancel_service(pd.ctx);
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

static int
start_lws(void)
{
	static struct lws_protocols list[2];
	struct lws_context_creation_info info;

	list[0] = eio_protocol;
	memset(&list[1], 0, sizeof(list[1]));
	memset(&info, 0, sizeof(info));
	info.port = (int)pd.cfg.pushd_port;
	info.iface = pd.cfg.pushd_listen;
	info.protocols = list;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6 |
	    LWS_SERVER_OPTION_VALIDATE_UTF8;
	info.max_http_header_data = 4096;
	info.timeout_secs = 20;
	/* Frames up to maxPayload pass through the receive callback. */
	info.pt_serv_buf_size = 65536;
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	if ((pd.ctx = lws_create_context(&info)) == NULL) {
		log_error("cannot listen on %s:%ld", pd.cfg.pushd_listen,
		    pd.cfg.pushd_port);
		return -1;
	}
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
	/*
	 * No lws_service() here: with nothing left to do it would sleep until
	 * the next timer.  lws_context_destroy() closes the connections.
	 */
	dbq_stop(pd.dbq);
	pd.dbq = NULL;
}

int
main(int argc, char **argv)
{
	const char *conf = NULL;
	char err[512];
	struct db *db;
	int ch, nfd;

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
	if (log_level_parse(pd.cfg.log_level) >= 0)
		log_set_level(log_level_parse(pd.cfg.log_level));
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	if (password_init() == -1 || rooms_init() == -1)
		return 1;
	/* Before the loop runs: pushd owns presence, so everyone starts offline. */
	if ((db = db_new(&pd.cfg)) == NULL || db_connect(db) != DB_OK) {
		log_error("cannot reach the database");
		return 1;
	}
	presence_reset(db);
	if ((nfd = notify_listen(pd.cfg.pushd_socket)) == -1 ||
	    start_lws() == -1 ||
	    (pd.dbq = dbq_start(&pd.cfg, pd.ctx, nfd,
	    ev_notify_datagram)) == NULL) {
		db_free(db);
		return 1;
	}
	log_info("listening on %s:%ld", pd.cfg.pushd_listen, pd.cfg.pushd_port);
	while (!pd.stopping) {
		if (lws_service(pd.ctx, 0) < 0)
			break;
		if (got_hup) {
			got_hup = 0;
			reopen_log();
			log_info("log reopened");
		}
	}
	log_info("stopping");
	shutdown_all();
	presence_reset(db);
	db_free(db);
	lws_context_destroy(pd.ctx);
	close(nfd);
	(void)unlink(pd.cfg.pushd_socket);
	hmap_free(&pd.sessions);
	hmap_free(&pd.users);
	hmap_free(&pd.rooms);
	return 0;
}
