/*
 * config.c - the settings table, the ini reader and the environment overrides.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#ifndef CHAT_SYSCONFDIR
#define CHAT_SYSCONFDIR	"/etc"	/* set by the build: $(sysconfdir) */
#endif

enum cfg_type { CFG_STR, CFG_LONG };

/* An error message into err; a message too long for err ends in "...". */
static void __attribute__((format(printf, 3, 4)))
cfg_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= errsz && errsz > 4)
		memcpy(err + errsz - 4, "...", 4);
}

struct cfg_opt {
	const char	*key;
	enum cfg_type	 type;
	size_t		 off;
	const char	*def;
	long		 min, max;
	int		 secret;
};

#define S(k, f, d)	{ k, CFG_STR, offsetof(struct config, f), d, 0, 0, 0 }
#define P(k, f, d)	{ k, CFG_STR, offsetof(struct config, f), d, 0, 0, 1 }
#define L(k, f, d, lo, hi) \
	{ k, CFG_LONG, offsetof(struct config, f), d, lo, hi, 0 }

static const struct cfg_opt cfg_opts[] = {
	S("db.host", db_host, "localhost"),
	L("db.port", db_port, "3306", 1, 65535),
	S("db.socket", db_socket, ""),
	S("db.user", db_user, "chat"),
	P("db.password", db_password, ""),
	S("db.name", db_name, "chat"),
	L("db.connect_timeout", db_connect_timeout, "5", 1, 3600),
	L("db.read_timeout", db_read_timeout, "5", 1, 3600),
	L("db.write_timeout", db_write_timeout, "5", 1, 3600),
	S("jwt.secret_file", jwt_secret_file, "var/jwt.secret"),
	L("jwt.ttl", jwt_ttl, "604800", 60, 31536000),
	L("auth.argon2_ops", auth_argon2_ops, "2", 1, 10),
	L("auth.argon2_mem_kib", auth_argon2_mem_kib, "65536", 8, 1048576),
	L("auth.login_max_failures", auth_login_max_failures, "5", 1, 1000),
	L("auth.login_max_failures_ip", auth_login_max_failures_ip, "200", 1,
	    100000),
	L("auth.login_window", auth_login_window, "900", 1, 86400),
	L("auth.login_backoff", auth_login_backoff, "60", 1, 86400),
	L("auth.register_per_hour", auth_register_per_hour, "10", 0, 1000000),
	S("upload.dir", upload_dir, "var/uploads"),
	S("upload.base_url", upload_base_url, "http://127.0.0.1:8080"),
	L("upload.max_image", upload_max_image, "10485760", 1, 1073741824),
	L("upload.max_video", upload_max_video, "52428800", 1, 1073741824),
	L("upload.max_audio", upload_max_audio, "20971520", 1, 1073741824),
	L("upload.daily_bytes", upload_daily_bytes, "209715200", 0,
	    1099511627776),
	L("upload.unused_ttl", upload_unused_ttl, "86400", 60, 31536000),
	L("limits.max_json_body", limits_max_json_body, "65536", 256,
	    16777216),
	L("limits.max_message_length", limits_max_message_length, "4000", 1,
	    65535),
	L("limits.send_rate", limits_send_rate, "40", 0, 1000000),
	L("limits.send_burst", limits_send_burst, "200", 1, 1000000),
	S("pushd.socket", pushd_socket, "var/pushd.sock"),
	S("pushd.listen", pushd_listen, "127.0.0.1"),
	L("pushd.port", pushd_port, "8081", 1, 65535),
	L("pushd.max_sockets_per_user", pushd_max_sockets_per_user, "16", 0,
	    1000000),
	L("pushd.event_rate", pushd_event_rate, "20", 0, 1000000),
	L("pushd.event_burst", pushd_event_burst, "100", 1, 1000000),
	L("pushd.user_event_rate", pushd_user_event_rate, "40", 0, 1000000),
	L("pushd.user_event_burst", pushd_user_event_burst, "200", 1, 1000000),
	L("pushd.rate_strikes", pushd_rate_strikes, "20", 1, 1000000),
	L("pushd.max_rooms_per_socket", pushd_max_rooms_per_socket, "1000",
	    1, 1000000),
	L("pushd.ping_interval", pushd_ping_interval, "25000", 50, 3600000),
	L("pushd.ping_timeout", pushd_ping_timeout, "20000", 50, 3600000),
	L("pushd.connect_timeout", pushd_connect_timeout, "10000", 50,
	    3600000),
	S("pushd.trusted_proxies", pushd_trusted_proxies,
	    "127.0.0.1 ::1 ::ffff:127.0.0.1"),
	L("pushd.max_sockets", pushd_max_sockets, "8000", 0, 10000000),
	L("pushd.max_sockets_per_address", pushd_max_sockets_per_address,
	    "500", 0, 10000000),
	L("pushd.max_pending_per_address", pushd_max_pending_per_address,
	    "32", 0, 10000000),
	L("pushd.wake_interval", pushd_wake_interval, "10000", 100, 3600000),
	S("pushd.cluster", pushd_cluster, ""),
	S("pushd.node_id", pushd_node_id, ""),
	L("assign.capacity", assign_capacity, "10", 1, 100000),
	S("notify.webhook_url", notify_webhook_url, ""),
	S("notify.webhook_secret_file", notify_webhook_secret_file, ""),
	L("notify.offline_after", notify_offline_after, "300", 1, 604800),
	L("notify.webhook_timeout", notify_webhook_timeout, "10", 1, 300),
	L("notify.webhook_attempts", notify_webhook_attempts, "8", 1, 100),
	S("phone.default_cc", phone_default_cc, "+91"),
	S("log.level", log_level, "info"),
	S("log.syslog", log_syslog, "no"),
};

#define NOPTS	(sizeof(cfg_opts) / sizeof(cfg_opts[0]))

static const struct cfg_opt *
cfg_find(const char *key)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (strcmp(cfg_opts[i].key, key) == 0)
			return &cfg_opts[i];
	return NULL;
}

/* Store value into the field of opt; 0, or -1 with err set. */
static int
cfg_set(struct config *cfg, const struct cfg_opt *opt, const char *value,
    char *err, size_t errsz)
{
	char *field = (char *)cfg + opt->off;
	char *end;
	long v;

	if (opt->type == CFG_STR) {
		if (strlen(value) >= CFG_STR_MAX) {
			cfg_err(err, errsz, "%s: value too long", opt->key);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	}
	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < opt->min ||
	    v > opt->max) {
		cfg_err(err, errsz, "%s: expected an integer in [%ld, %ld]",
		    opt->key, opt->min, opt->max);
		return -1;
	}
	memcpy(field, &v, sizeof(v));
	return 0;
}

static char *
cfg_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Parse one line; section carries the current [section] across calls. */
static int
cfg_line(struct config *cfg, char *line, char *section, size_t secsz,
    char *err, size_t errsz)
{
	char key[128], *eq, *name, *value, *s = cfg_trim(line);
	const struct cfg_opt *opt;
	size_t n;

	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		n = strlen(s);
		if (s[n - 1] != ']' || n - 2 >= secsz || n < 3) {
			cfg_err(err, errsz, "bad section header");
			return -1;
		}
		memcpy(section, s + 1, n - 2);
		section[n - 2] = '\0';
		return 0;
	}
	if ((eq = strchr(s, '=')) == NULL) {
		cfg_err(err, errsz, "expected key = value");
		return -1;
	}
	*eq = '\0';
	name = cfg_trim(s);
	value = cfg_trim(eq + 1);
	n = strlen(value);
	if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
		value[n - 1] = '\0';
		value++;
	}
	if ((size_t)snprintf(key, sizeof(key), "%s%s%s", section,
	    *section ? "." : "", name) >= sizeof(key) ||
	    (opt = cfg_find(key)) == NULL) {
		cfg_err(err, errsz, "unknown key '%.64s'", key);
		return -1;
	}
	return cfg_set(cfg, opt, value, err, errsz);
}

static int
cfg_read_file(struct config *cfg, const char *path, char *err, size_t errsz)
{
	char line[1024], section[64] = "", lerr[256];
	unsigned lineno = 0;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		cfg_err(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			cfg_err(err, errsz, "%s:%u: line too long", path,
			    lineno);
			fclose(fp);
			return -1;
		}
		if (cfg_line(cfg, line, section, sizeof(section), lerr,
		    sizeof(lerr)) == -1) {
			cfg_err(err, errsz, "%s:%u: %s", path, lineno, lerr);
			fclose(fp);
			return -1;
		}
	}
	fclose(fp);
	return 0;
}

/* CHAT_ + the key upper-cased with '.' turned into '_'. */
static void
cfg_env_name(const char *key, char *out, size_t outsz)
{
	size_t i = 0, j;

	for (j = 0; j < 5 && i + 1 < outsz; j++)
		out[i++] = "CHAT_"[j];
	for (; *key != '\0' && i + 1 < outsz; key++)
		out[i++] = *key == '.' ? '_' : (char)toupper((unsigned char)*key);
	out[i] = '\0';
}

/*
 * The file when none is named: CHAT_CONF, else chat.conf next to the
 * program (a shared-hosting install: no server configuration can pass an
 * environment to a CGI program there), else the installed one under
 * sysconfdir if it exists; NULL: defaults only.
 */
static const char *
config_default_path(char *buf, size_t bufsz)
{
	const char *env = getenv("CHAT_CONF");
	char *slash;
	ssize_t n;

	if (env != NULL)
		return env;
	if ((n = readlink("/proc/self/exe", buf, bufsz - 1)) > 0 &&
	    (size_t)n < bufsz - 1) {
		buf[n] = '\0';
		if ((slash = strrchr(buf, '/')) != NULL &&
		    (size_t)(slash - buf) + sizeof("/chat.conf") <= bufsz) {
			memcpy(slash, "/chat.conf", sizeof("/chat.conf"));
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	if ((size_t)snprintf(buf, bufsz, "%s/chat/chat.conf",
	    CHAT_SYSCONFDIR) < bufsz && access(buf, R_OK) == 0)
		return buf;
	return NULL;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errsz)
{
	char env[128], lerr[256], found[4096];
	const char *v;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NOPTS; i++)
		if (cfg_set(cfg, &cfg_opts[i], cfg_opts[i].def, err,
		    errsz) == -1)
			return -1;
	if (path == NULL)
		path = config_default_path(found, sizeof(found));
	if (path != NULL && *path != '\0' &&
	    cfg_read_file(cfg, path, err, errsz) == -1)
		return -1;
	for (i = 0; i < NOPTS; i++) {
		cfg_env_name(cfg_opts[i].key, env, sizeof(env));
		if ((v = getenv(env)) == NULL)
			continue;
		if (cfg_set(cfg, &cfg_opts[i], v, lerr, sizeof(lerr)) == -1) {
			cfg_err(err, errsz, "%s: %s", env, lerr);
			return -1;
		}
	}
	return 0;
}

int
config_load_secret(struct config *cfg, char *err, size_t errsz)
{
	ssize_t n;
	int fd;

	if ((fd = open(cfg->jwt_secret_file, O_RDONLY | O_CLOEXEC)) == -1) {
		cfg_err(err, errsz, "jwt secret %s: %s", cfg->jwt_secret_file,
		    strerror(errno));
		return -1;
	}
	n = read(fd, cfg->jwt_secret, sizeof(cfg->jwt_secret));
	close(fd);
	/* Trailing newlines are not part of the secret. */
	while (n > 0 && (cfg->jwt_secret[n - 1] == '\n' ||
	    cfg->jwt_secret[n - 1] == '\r'))
		n--;
	if (n < 32) {
		cfg_err(err, errsz, "jwt secret %s: shorter than 32 bytes",
		    cfg->jwt_secret_file);
		return -1;
	}
	cfg->jwt_secret_len = (size_t)n;
	return 0;
}

void
config_dump(const struct config *cfg)
{
	const char *field;
	long v;
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		field = (const char *)cfg + cfg_opts[i].off;
		if (cfg_opts[i].type == CFG_LONG) {
			memcpy(&v, field, sizeof(v));
			printf("%s = %ld\n", cfg_opts[i].key, v);
		} else
			printf("%s = %s\n", cfg_opts[i].key,
			    cfg_opts[i].secret && *field ? "********" : field);
	}
}

long
config_upload_max(const struct config *cfg)
{
	long m = cfg->upload_max_image;

	if (cfg->upload_max_video > m)
		m = cfg->upload_max_video;
	if (cfg->upload_max_audio > m)
		m = cfg->upload_max_audio;
	return m;
}
