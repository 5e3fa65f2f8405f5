/*
 * config.h - one table of settings, read from an ini-style file and
 * overridden by environment variables.
 *
 * A key "section.name" in the file (written "name = value" under "[section]")
 * is overridden by the variable CHAT_SECTION_NAME.  The file is named by the
 * caller or by CHAT_CONF.  See docs/configuration.md for every key.
 */
#ifndef CHAT_CONFIG_H
#define CHAT_CONFIG_H

#include <stddef.h>

#define CFG_STR_MAX	512

struct config {
	/* [db] */
	char	db_host[CFG_STR_MAX];
	long	db_port;
	char	db_socket[CFG_STR_MAX];
	char	db_user[CFG_STR_MAX];
	char	db_password[CFG_STR_MAX];
	char	db_name[CFG_STR_MAX];
	long	db_connect_timeout;		/* seconds */
	long	db_read_timeout;		/* seconds a reply may take */
	long	db_write_timeout;
	/* [jwt] */
	char	jwt_secret_file[CFG_STR_MAX];
	long	jwt_ttl;
	/* [auth] */
	long	auth_argon2_ops;
	long	auth_argon2_mem_kib;
	long	auth_login_max_failures;
	long	auth_login_max_failures_ip;
	long	auth_login_window;
	long	auth_login_backoff;		/* s between tries, after the burst */
	long	auth_register_per_hour;		/* per address, 0: any */
	/* [upload] */
	char	upload_dir[CFG_STR_MAX];
	char	upload_base_url[CFG_STR_MAX];
	long	upload_max_image;
	long	upload_max_video;
	long	upload_max_audio;
	long	upload_daily_bytes;		/* per user per 24 h, 0: any */
	long	upload_unused_ttl;		/* s before an unsent upload goes */
	/* [limits] */
	long	limits_max_json_body;
	long	limits_max_message_length;
	long	limits_send_rate;		/* messages/s per account, 0: any */
	long	limits_send_burst;
	/* [pushd] */
	char	pushd_socket[CFG_STR_MAX];
	char	pushd_listen[CFG_STR_MAX];
	long	pushd_port;
	long	pushd_max_sockets_per_user;	/* 0: no cap */
	long	pushd_event_rate;		/* events/s per socket, 0: off */
	long	pushd_event_burst;
	long	pushd_user_event_rate;		/* events/s per user, 0: off */
	long	pushd_user_event_burst;
	long	pushd_rate_strikes;		/* refusals in a row, then out */
	long	pushd_max_rooms_per_socket;	/* conversations joined */
	long	pushd_ping_interval;		/* ms between pings */
	long	pushd_ping_timeout;		/* ms a pong may take */
	long	pushd_connect_timeout;		/* ms from open to CONNECT */
	char	pushd_trusted_proxies[CFG_STR_MAX]; /* may set X-F-F */
	long	pushd_max_sockets;		/* Engine.IO sessions, 0: any */
	long	pushd_max_sockets_per_address;
	long	pushd_max_pending_per_address;	/* before CONNECT */
	long	pushd_wake_interval;		/* ms between snooze checks */
	char	pushd_cluster[CFG_STR_MAX];	/* redis://host:port, "": alone */
	char	pushd_node_id[CFG_STR_MAX];	/* "": hostname:port */
	/* [assign] */
	long	assign_capacity;		/* open conversations per agent */

	char	notify_webhook_url[CFG_STR_MAX];	/* "": none */
	char	notify_webhook_secret_file[CFG_STR_MAX];
	long	notify_offline_after;		/* s unread while away */
	long	notify_webhook_timeout;		/* s a POST may take */
	long	notify_webhook_attempts;	/* then it is failed */
	/* [phone] */
	char	phone_default_cc[CFG_STR_MAX];
	/* [log] */
	char	log_level[CFG_STR_MAX];
	char	log_syslog[CFG_STR_MAX];	/* yes: to syslog, not stderr */

	/* Loaded from jwt_secret_file; never logged. */
	unsigned char	jwt_secret[128];
	size_t		jwt_secret_len;
};

/*
 * Fill cfg with defaults, then the file (path; when NULL, CHAT_CONF, else
 * chat.conf next to the program, else $(sysconfdir)/chat/chat.conf, else
 * none), then the environment.
 * Returns 0, or -1 with a message naming the file and line in err.
 */
int	config_load(struct config *cfg, const char *path, char *err,
	    size_t errsz);

/*
 * Read the JWT secret named by cfg->jwt_secret_file.  Returns 0, or -1 with
 * err set (missing, unreadable or shorter than 32 bytes).
 */
int	config_load_secret(struct config *cfg, char *err, size_t errsz);

/* Print every key with its value (secrets masked) to stdout. */
void	config_dump(const struct config *cfg);

/* The largest of the per-type upload caps. */
long	config_upload_max(const struct config *cfg);

#endif
