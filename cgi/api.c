/*
 * api.c - the REST API as one FastCGI program.
 *
 * Every request runs the same pipeline: read the environment, route through
 * the static table below, authenticate, bound and parse the body, call the
 * handler, write JSON.  Nothing survives a request but the database
 * connection (and its prepared statements).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>		/* environ */

#include <fcgiapp.h>

#include "cli.h"
#include "handlers.h"
#include "image.h"
#include "jsonio.h"
#include "log.h"
#include "notify.h"
#include "password.h"
#include "session.h"

#define R_AUTH	0x1	/* a valid bearer token is required */
#define R_JSON	0x2	/* the body is a JSON object */
#define R_JSON_OPT 0x4	/* a JSON object body, if there is one */

struct route {
	const char	*method;
	const char	*pattern;	/* ":id" matches one decimal id */
	int		 flags;
	handler_fn	*fn;
};

static const struct route routes[] = {
	{ "GET",  "/api/v1/health", 0, health_get },
	{ "POST", "/api/v1/users/login", R_JSON, users_login },
	{ "POST", "/api/v1/users/register", R_JSON, users_register },
	{ "POST", "/api/v1/users/logout", R_AUTH, users_logout },
	{ "GET",  "/api/v1/users/me", R_AUTH, users_me },
	{ "PATCH", "/api/v1/users/me", R_AUTH | R_JSON, users_patch_me },
	{ "GET",  "/api/v1/users/agents", R_AUTH, users_agents },
	{ "POST", "/api/v1/users/me/password", R_AUTH | R_JSON, users_password },
	{ "GET",  "/api/v1/users", R_AUTH, admin_users_list },
	{ "POST", "/api/v1/users", R_AUTH | R_JSON, admin_users_create },
	{ "PATCH", "/api/v1/users/:id", R_AUTH | R_JSON, admin_users_patch },
	{ "GET",  "/api/v1/chat/conversations", R_AUTH, conversations_list },
	{ "POST", "/api/v1/chat/conversations", R_AUTH, conversations_create },
	{ "GET",  "/api/v1/chat/conversations/:id", R_AUTH, conversations_get },
	{ "PATCH", "/api/v1/chat/conversations/:id", R_AUTH | R_JSON,
	  conversations_patch },
	{ "POST", "/api/v1/chat/conversations/:id/assign", R_AUTH | R_JSON,
	  conversations_assign },
	{ "POST", "/api/v1/chat/conversations/:id/read", R_AUTH | R_JSON_OPT,
	  conversations_read },
	{ "POST", "/api/v1/chat/conversations/:id/rating", R_AUTH | R_JSON,
	  conversations_rate },
	{ "GET",  "/api/v1/chat/labels", R_AUTH, labels_list },
	{ "POST", "/api/v1/chat/labels", R_AUTH | R_JSON, labels_create },
	{ "PATCH", "/api/v1/chat/labels/:id", R_AUTH | R_JSON, labels_patch },
	{ "DELETE", "/api/v1/chat/labels/:id", R_AUTH, labels_delete },
	{ "POST", "/api/v1/chat/conversations/:id/labels", R_AUTH | R_JSON,
	  labels_conversation_add },
	{ "DELETE", "/api/v1/chat/conversations/:id/labels/:id", R_AUTH,
	  labels_conversation_remove },
	{ "GET",  "/api/v1/chat/messages/:id", R_AUTH, messages_history },
	{ "GET",  "/api/v1/chat/search", R_AUTH, search_get },
	{ "POST", "/api/v1/chat/messages", R_AUTH | R_JSON, messages_send },
	{ "POST", "/api/v1/chat/media", R_AUTH, media_upload },
	{ "GET",  "/api/v1/chat/media/:id", R_AUTH, media_get },
	{ "GET",  "/api/v1/chat/canned-responses", R_AUTH, canned_list },
	{ "POST", "/api/v1/chat/canned-responses", R_AUTH | R_JSON,
	  canned_create },
	{ "PATCH", "/api/v1/chat/canned-responses/:id", R_AUTH | R_JSON,
	  canned_patch },
	{ "DELETE", "/api/v1/chat/canned-responses/:id", R_AUTH, canned_delete },
	{ "GET",  "/api/v1/reports/summary", R_AUTH, reports_summary },
};

/*
 * Does path match pattern?  A ":id" segment must be an id; the first goes
 * to *id, a second to *id2.
 */
static int
route_match(const char *pattern, const char *path, long long *id,
    long long *id2)
{
	char seg[24];
	const char *slash;
	size_t n;
	int nids = 0;

	while (*pattern != '\0') {
		if (strncmp(pattern, ":id", 3) == 0) {
			slash = strchr(path, '/');
			n = slash ? (size_t)(slash - path) : strlen(path);
			if (n == 0 || n >= sizeof(seg))
				return 0;
			memcpy(seg, path, n);
			seg[n] = '\0';
			if (id_parse(seg, nids++ == 0 ? id : id2) == -1)
				return 0;
			path += n;
			pattern += 3;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	/* One trailing slash is forgiven. */
	return *path == '\0' || (path[0] == '/' && path[1] == '\0');
}

/* The route for r, or NULL with err set (404, or 405 with allow filled). */
static const struct route *
route_find(struct request *r, char *allow, size_t allowsz,
    struct api_error *err)
{
	size_t i, used = 0;
	int known = 0;

	allow[0] = '\0';
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!route_match(routes[i].pattern, r->path, &r->id,
		    &r->id2))
			continue;
		if (strcmp(routes[i].method, r->method) == 0)
			return &routes[i];
		known = 1;
		if (used < allowsz)
			used += (size_t)snprintf(allow + used, allowsz - used,
			    "%s%s", used ? ", " : "", routes[i].method);
	}
	if (known) {
		api_fail(err, API_METHOD, "method %s not allowed here",
		    r->method);
		return NULL;
	}
	api_fail(err, API_NOT_FOUND, "no such endpoint");
	return NULL;
}

static int
request_auth(struct request *r, struct api_error *err)
{
	const char *h = http_param(r, "HTTP_AUTHORIZATION");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 || h[7] == '\0')
		return api_fail(err, API_UNAUTHORIZED,
		    "an Authorization: Bearer token is required");
	return session_authenticate(r->db, r->cfg, h + 7, &r->user,
	    &r->claims, err);
}

static int
request_json(struct request *r, struct api_error *err)
{
	char *buf;
	size_t len;

	if (r->content_type != NULL &&
	    (strncasecmp(r->content_type, "application/json", 16) != 0 ||
	    strchr("; \t", r->content_type[16]) == NULL))
		return api_fail(err, API_UNSUPPORTED_MEDIA,
		    "Content-Type must be application/json");
	if (http_read_body(r, (size_t)r->cfg->limits_max_json_body, &buf,
	    &len, err) == -1)
		return -1;
	r->body = jsonio_parse_object(buf, len, err);
	free(buf);
	return r->body == NULL ? -1 : 0;
}

/* Fill r from the FastCGI environment; -1 with err on a malformed request. */
static int
request_init(struct request *r, struct api_error *err)
{
	const char *uri, *cl, *q;
	char *end;
	size_t n;

	r->method = http_param(r, "REQUEST_METHOD");
	uri = http_param(r, "REQUEST_URI");
	r->content_type = http_param(r, "CONTENT_TYPE");
	r->remote_addr = http_param(r, "REMOTE_ADDR");
	if (r->remote_addr == NULL)
		r->remote_addr = "";
	if (r->method == NULL || uri == NULL)
		return api_fail(err, API_BAD_REQUEST, "not a CGI request");
	q = strchr(uri, '?');
	n = q ? (size_t)(q - uri) : strlen(uri);
	if (n >= sizeof(r->path))
		return api_fail(err, API_NOT_FOUND, "no such endpoint");
	memcpy(r->path, uri, n);
	r->path[n] = '\0';
	r->query = q ? q + 1 : "";
	r->content_length = -1;
	if ((cl = http_param(r, "CONTENT_LENGTH")) != NULL && *cl) {
		r->content_length = strtoll(cl, &end, 10);
		if (*end != '\0' || r->content_length < 0)
			return api_fail(err, API_BAD_REQUEST,
			    "bad Content-Length");
	}
	return 0;
}

/* One request, from FastCGI (fr) or, fr NULL, from the CGI environment. */
static void
request_handle(FCGX_Request *fr, char **envp, const struct config *cfg,
    struct db *db)
{
	struct request r;
	struct response resp;
	struct api_error err;
	const struct route *rt;
	char allow[64], hdr[96];

	memset(&r, 0, sizeof(r));
	memset(&resp, 0, sizeof(resp));
	memset(&err, 0, sizeof(err));
	notify_reset();
	r.fcgi = fr;
	r.envp = envp;
	r.cfg = cfg;
	r.db = db;
	if (request_init(&r, &err) == -1 ||
	    (rt = route_find(&r, allow, sizeof(allow), &err)) == NULL ||
	    ((rt->flags & R_AUTH) && request_auth(&r, &err) == -1) ||
	    ((rt->flags & R_JSON) && request_json(&r, &err) == -1) ||
	    ((rt->flags & R_JSON_OPT) && r.content_length > 0 &&
	    request_json(&r, &err) == -1) ||
	    rt->fn(&r, &resp, &err) == -1) {
		hdr[0] = '\0';
		if (err.code == API_METHOD && (size_t)snprintf(hdr,
		    sizeof(hdr), "Allow: %s\r\n", allow) >= sizeof(hdr))
			hdr[0] = '\0';
		if (err.retry_after > 0 && (size_t)snprintf(hdr, sizeof(hdr),
		    "Retry-After: %ld\r\n", err.retry_after) >= sizeof(hdr))
			hdr[0] = '\0';
		http_reply_error(&r, &err, hdr[0] ? hdr : resp.headers);
	} else
		http_reply(&r, &resp);
	json_object_put(resp.body);
	free(resp.text);
	json_object_put(r.body);
}

/*
 * SIGTERM (lighttpd stopping its children) ends the accept loop so that the
 * process exits through main: sanitizers then check for leaks.
 */
static void
on_term(int sig)
{
	(void)sig;
	FCGX_ShutdownPending();
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	static struct config cfg;
	FCGX_Request fr;
	struct db *db;
	char err[512];

	log_init("api.fcgi", LOG_LEVEL_INFO);
	cli_standard(argc, argv, "api.fcgi", "api.fcgi (run by the web server,"
	    " as FastCGI or plain CGI; the config: CHAT_CONF, chat.conf next to"
	    " the program, or " CHAT_SYSCONFDIR "/chat/chat.conf) | --help |"
	    " --version");
	if (config_load(&cfg, NULL, err, sizeof(err)) == -1 ||
	    config_load_secret(&cfg, err, sizeof(err)) == -1) {
		log_error("%s", err);
		return 1;
	}
	if (log_configure(cfg.log_level, cfg.log_syslog) == -1) {
		log_error("log.level or log.syslog is not one of its values");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART: accept must return */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	if (password_init() == -1 || (db = db_new(&cfg)) == NULL ||
	    FCGX_Init() != 0) {
		log_error("initialisation failed");
		return 1;
	}
	/* Started by a server that speaks CGI only (mod_cgi): one request. */
	if (FCGX_IsCGI()) {
		request_handle(NULL, environ, &cfg, db);
		fflush(stdout);
		image_shutdown();
		db_free(db);
		return 0;
	}
	if (FCGX_InitRequest(&fr, 0, 0) != 0) {
		log_error("initialisation failed");
		return 1;
	}
	while (FCGX_Accept_r(&fr) >= 0) {
		request_handle(&fr, fr.envp, &cfg, db);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 1);
	image_shutdown();
	db_free(db);
	return 0;
}
