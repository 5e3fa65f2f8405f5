/*
 * chatadm - administer the chat: secret, schema, demo data, accounts.
 *
 *	chatadm [-c chat.conf] secret		create jwt.secret_file if absent
 *	chatadm [-c chat.conf] migrate DIR	apply DIR/NNN_*.sql not yet applied
 *	chatadm [-c chat.conf] demo		load the demo data into an empty db
 *	chatadm [-c chat.conf] user add PHONE NAME ROLE
 *	chatadm [-c chat.conf] user passwd PHONE
 *	chatadm [-c chat.conf] user role PHONE User|Support|Admin
 *	chatadm [-c chat.conf] user disable|enable PHONE
 *	chatadm [-c chat.conf] user list
 *	chatadm [-c chat.conf] sweep		remove unsent uploads, old limits
 *	chatadm [-c chat.conf] check-config
 *
 * Passwords are read from the environment variable CHATADM_PASSWORD or, if
 * it is unset, from the first line of standard input: never from argv,
 * which other users can read in ps.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "chat.h"
#include "cli.h"
#include "db.h"
#include "limit.h"
#include "log.h"
#include "password.h"
#include "phone.h"
#include "session.h"
#include "uploads.h"
#include "users_db.h"
#include "webhook.h"

static struct config cfg;

static void usage(void) __attribute__((noreturn));

#define CHATADM_USAGE	"chatadm [-c conf] secret | migrate DIR | demo |" \
	" user add PHONE NAME ROLE | user passwd PHONE |" \
	" user role PHONE ROLE | user disable|enable PHONE | user list |" \
	" sweep | notify [--once] | check-config | --help | --version"

static void
usage(void)
{
	fprintf(stderr, "usage: " CHATADM_USAGE "\n");
	exit(2);
}

static int
cmd_secret(void)
{
	unsigned char raw[32];
	char hex[65];
	int fd;

	if (access(cfg.jwt_secret_file, F_OK) == 0)
		return 0;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	hex[64] = '\n';
	/*
	 * Readable by the group too: the API may run as the web server's user
	 * (mod_fcgid, lighttpd) in the service's group, as the config does.
	 */
	if ((fd = open(cfg.jwt_secret_file, O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC, 0640)) == -1) {
		log_warn("%s", cfg.jwt_secret_file);
		return 1;
	}
	if (write(fd, hex, sizeof(hex)) != (ssize_t)sizeof(hex) ||
	    close(fd) == -1) {
		log_warn("write %s", cfg.jwt_secret_file);
		return 1;
	}
	printf("created %s\n", cfg.jwt_secret_file);
	return 0;
}

/* Run each ';'-terminated statement of the file text. */
static int
migrate_run(struct db *db, char *text, const char *name)
{
	char *line, *save = NULL, *stmt;
	size_t cap = strlen(text) + 1, used = 0, n;

	if ((stmt = malloc(cap)) == NULL)
		return -1;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		n = strlen(line);
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (used == 0 && (n == 0 || strncmp(line, "--", 2) == 0))
			continue;
		memcpy(stmt + used, line, n);
		used += n;
		stmt[used++] = '\n';
		if (n > 0 && line[n - 1] == ';') {
			stmt[used - 2] = '\0';
			if (db_exec_plain(db, stmt) != DB_OK) {
				log_warnx("%s: statement failed", name);
				free(stmt);
				return -1;
			}
			used = 0;
		}
	}
	free(stmt);
	return used == 0 ? 0 : -1;
}

static char *
slurp(const char *path)
{
	struct stat st;
	char *buf;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	if (fstat(fileno(fp), &st) == -1 || st.st_size > 1 << 20 ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fclose(fp);
		return NULL;
	}
	if (fread(buf, 1, (size_t)st.st_size, fp) != (size_t)st.st_size) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[st.st_size] = '\0';
	fclose(fp);
	return buf;
}

static int
migrate_one(struct db *db, const char *dir, const char *name)
{
	static const char seen[] = "SELECT 1 FROM schema_migrations"
	    " WHERE version = ?";
	static const char done[] = "INSERT INTO schema_migrations"
	    " (version, name) VALUES (?, ?)";
	char path[1024], *text, *end;
	struct db_res *res;
	long long version;
	int applied, rc;

	version = strtoll(name, &end, 10);
	if (end == name || *end != '_' || version <= 0)
		return 0;	/* not a migration file */
	if (db_exec(db, &res, seen, "i", version) != DB_OK)
		return -1;
	applied = res->nrows > 0;
	db_res_free(res);
	if (applied)
		return 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) || (text = slurp(path)) == NULL) {
		log_warnx("cannot read %s/%s", dir, name);
		return -1;
	}
	rc = migrate_run(db, text, name);
	free(text);
	if (rc == -1 || db_exec(db, NULL, done, "is", version, name) != DB_OK)
		return -1;
	printf("applied %s\n", name);
	return 0;
}

static int
sql_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".sql") == 0;
}

static int
cmd_migrate(struct db *db, const char *dir)
{
	static const char table[] = "CREATE TABLE IF NOT EXISTS"
	    " schema_migrations (version INT NOT NULL PRIMARY KEY,"
	    " name VARCHAR(255) NOT NULL, appliedAt DATETIME(3) NOT NULL"
	    " DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB";
	struct dirent **list;
	int i, n, rc = 0;

	if (db_exec_plain(db, table) != DB_OK)
		return 1;
	if ((n = scandir(dir, &list, sql_file, alphasort)) == -1) {
		log_warn("%s", dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0 && migrate_one(db, dir, list[i]->d_name) == -1)
			rc = 1;
		free(list[i]);
	}
	free(list);
	return rc;
}

static long long
user_add(struct db *db, const char *phone_raw, const char *name,
    const char *role_name, const char *pw)
{
	char phone[PHONE_MAX + 1], hash[PASSWORD_HASH_MAX];
	struct api_error err;
	enum chat_role role;
	const char *why;
	long long id;

	if (phone_normalize(phone_raw, cfg.phone_default_cc, phone,
	    sizeof(phone)) == -1) {
		log_warnx("%s: not a phone number", phone_raw);
		return -1;
	}
	if (chat_role_parse(role_name, &role) == -1) {
		log_warnx("role must be User, Support or Admin");
		return -1;
	}
	if ((why = password_check_rules(pw)) != NULL) {
		log_warnx("%s", why);
		return -1;
	}
	if (password_hash(&cfg, pw, hash, sizeof(hash)) == -1)
		return -1;
	if ((id = users_db_insert(db, phone, name, role, hash, &err)) == -1)
		log_warnx("%s", err.message);
	return id;
}

/* The password from CHATADM_PASSWORD or the first line of stdin. */
static int
read_password(char *buf, size_t bufsz)
{
	const char *env = getenv("CHATADM_PASSWORD");
	size_t n;

	if (env != NULL) {
		if ((size_t)snprintf(buf, bufsz, "%s", env) >= bufsz)
			return -1;
		return 0;
	}
	if (fgets(buf, (int)bufsz, stdin) == NULL)
		return -1;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return 0;
}

/* The id of the account with that phone, or -1 (said why). */
static long long
user_by_phone(struct db *db, const char *raw_phone)
{
	char phone[PHONE_MAX + 1];
	struct users_login_row row;
	struct api_error err;
	int found;

	if (phone_normalize(raw_phone, cfg.phone_default_cc, phone,
	    sizeof(phone)) == -1) {
		log_warnx("%s is not a phone number", raw_phone);
		return -1;
	}
	if ((found = users_db_by_phone(db, phone, &row, &err)) != 1) {
		log_warnx("%s", found == 0 ? "no user with that phone" :
		    err.message);
		return -1;
	}
	return row.user.id;
}

/*
 * Change the account with that phone (c, or its password hash), then
 * revoke its tokens issued before the change: open sockets close and REST
 * refuses them at once.
 */
static int
user_change(struct db *db, const char *raw_phone,
    const struct account_change *c, const char *hash)
{
	struct api_error err;
	long long id, before;

	if ((id = user_by_phone(db, raw_phone)) < 0)
		return 1;
	if ((c != NULL ? users_db_change(db, id, c, &err) :
	    users_db_set_hash(db, id, hash, &err)) == -1 ||
	    session_revoke_user(db, &cfg, id, &before, &err) == -1) {
		log_warnx("account not changed: %s", err.message);
		return 1;
	}
	return 0;
}

/* Every account, a page at a time: id, phone, role, name, presence. */
static int
user_list(struct db *db)
{
	struct api_error err;
	json_object *arr, *u;
	long long total;
	long pg;
	size_t i, n;

#define FIELD(o, k)	json_object_get_string(json_object_object_get(o, k))
	for (pg = 1;; pg++) {
		if ((arr = users_db_list(db, &cfg, "", "", pg, 100, &total,
		    &err)) == NULL) {
			log_warnx("%s", err.message);
			return 1;
		}
		n = json_object_array_length(arr);
		for (i = 0; i < n; i++) {
			u = json_object_array_get_idx(arr, i);
			printf("%s\t%s\t%s\t%s\t%s\n", FIELD(u, "_id"),
			    FIELD(u, "phone"), FIELD(u, "role"),
			    FIELD(u, "name"), json_object_get_boolean(
			    json_object_object_get(u, "isOnline")) ?
			    "online" : "offline");
		}
		json_object_put(arr);
		if (n < 100)
			return 0;
	}
#undef FIELD
}

static int
cmd_user(struct db *db, int argc, char **argv)
{
	char pw[PASSWORD_MAX + 2], hash[PASSWORD_HASH_MAX];
	struct account_change c;
	long long id;

	memset(&c, 0, sizeof(c));
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return user_list(db);
	if (argc == 4 && strcmp(argv[0], "add") == 0) {
		if (read_password(pw, sizeof(pw)) == -1 ||
		    (id = user_add(db, argv[1], argv[2], argv[3], pw)) < 0)
			return 1;
		printf("%lld\n", id);
		return 0;
	}
	if (argc == 2 && strcmp(argv[0], "passwd") == 0) {
		if (read_password(pw, sizeof(pw)) == -1 ||
		    password_check_rules(pw) != NULL ||
		    password_hash(&cfg, pw, hash, sizeof(hash)) == -1) {
			log_warnx("password not changed");
			return 1;
		}
		return user_change(db, argv[1], NULL, hash);
	}
	if (argc == 3 && strcmp(argv[0], "role") == 0) {
		if (chat_role_parse(argv[2], &c.role) == -1) {
			log_warnx("role must be User, Support or Admin");
			return 1;
		}
		c.has_role = 1;
		return user_change(db, argv[1], &c, NULL);
	}
	if (argc == 2 && (strcmp(argv[0], "disable") == 0 ||
	    strcmp(argv[0], "enable") == 0)) {
		c.has_disabled = 1;
		c.disabled = strcmp(argv[0], "disable") == 0;
		return user_change(db, argv[1], &c, NULL);
	}
	usage();
}

struct demo_msg {
	int		 minutes_ago;
	int		 from_user;	/* else from the agent */
	int		 read;
	const char	*text;
};

static const struct demo_msg demo_rajesh[] = {
	{ 50, 1, 1, "Hello, I need help" },
	{ 45, 0, 1, "Hello Rajesh, how can I help you?" },
	{ 12, 1, 0, "My tomato leaves have yellow spots" },
	{ 11, 1, 0, "They started last week after the rain" },
	{ 10, 1, 0, "I need help with my crops" },
};

static const struct demo_msg demo_priya[] = {
	{ 95, 1, 1, "Namaste, I ordered seeds last week" },
	{ 90, 0, 1, "Namaste Priya, your order ships today." },
	{ 85, 1, 1, "Thank you so much!" },
};

/* Re-derive lastMessage, updatedAt and unread counts from the messages. */
static const char demo_recount[] = "UPDATE conversations c SET"
    " lastMessageId = (SELECT MAX(id) FROM messages WHERE conversationId = c.id),"
    " updatedAt = COALESCE((SELECT MAX(createdAt) FROM messages"
    "  WHERE conversationId = c.id), c.updatedAt),"
    " userUnreadCount = (SELECT COUNT(*) FROM messages m WHERE"
    "  m.conversationId = c.id AND m.isRead = 0 AND m.senderId <> c.userId),"
    " supportUnreadCount = (SELECT COUNT(*) FROM messages m WHERE"
    "  m.conversationId = c.id AND m.isRead = 0 AND m.senderId = c.userId)"
    " WHERE c.id = ?";

static int
demo_conversation(struct db *db, long long user, long long agent,
    const struct demo_msg *msgs, size_t n)
{
	static const char conv[] = "INSERT INTO conversations (userId,"
	    " assignedSupportId, status, createdAt) VALUES (?, ?, 'open',"
	    " CURRENT_TIMESTAMP(3) - INTERVAL 2 HOUR)";
	static const char msg[] = "INSERT INTO messages (conversationId,"
	    " senderId, messageType, content, isRead, readAt, createdAt)"
	    " VALUES (?, ?, 'text', ?, ?, IF(? = 1, CURRENT_TIMESTAMP(3)"
	    " - INTERVAL ? MINUTE + INTERVAL 1 MINUTE, NULL),"
	    " CURRENT_TIMESTAMP(3) - INTERVAL ? MINUTE)";
	struct db_res *res;
	long long id;
	size_t i;

	if (db_exec(db, &res, conv, "ii", user, agent) != DB_OK)
		return -1;
	id = (long long)res->insert_id;
	db_res_free(res);
	for (i = 0; i < n; i++)
		if (db_exec(db, NULL, msg, "iisiiii", id,
		    msgs[i].from_user ? user : agent, msgs[i].text,
		    (long long)msgs[i].read, (long long)msgs[i].read,
		    (long long)msgs[i].minutes_ago,
		    (long long)msgs[i].minutes_ago) != DB_OK)
			return -1;
	return db_exec(db, NULL, demo_recount, "i", id) == DB_OK ? 0 : -1;
}

static int
cmd_demo(struct db *db)
{
	struct db_res *res;
	long long asha, rajesh, priya, n;

	if (db_exec(db, &res, "SELECT COUNT(*) FROM users", "") != DB_OK)
		return 1;
	n = db_cell_ll(res, 0, 0, 0);
	db_res_free(res);
	if (n > 0) {
		printf("demo data not loaded: the database has users\n");
		return 0;
	}
	if ((asha = user_add(db, "+919000000001", "Asha Verma", "Support",
	    "support-demo-1")) < 0 ||
	    (rajesh = user_add(db, "+919000000101", "Rajesh Kumar", "User",
	    "user-demo-1")) < 0 ||
	    (priya = user_add(db, "+919000000102", "Priya Singh", "User",
	    "user-demo-2")) < 0 ||
	    demo_conversation(db, rajesh, asha, demo_rajesh,
	    sizeof(demo_rajesh) / sizeof(demo_rajesh[0])) == -1 ||
	    demo_conversation(db, priya, asha, demo_priya,
	    sizeof(demo_priya) / sizeof(demo_priya[0])) == -1)
		return 1;
	printf("demo data loaded\n");
	return 0;
}

/*
 * Housekeeping for cron or a timer: uploads nobody sent within
 * upload.unused_ttl (rows and files), and rate-limit buckets that are full
 * again.  The upload handler does a little of it on every upload too.
 */
static int
cmd_sweep(struct db *db)
{
	int n, total = 0;

	while ((n = uploads_sweep(db, &cfg, 500)) > 0)
		total += n;
	if (n == -1)
		return 1;
	limit_prune(db, 100000);
	printf("%d unused uploads removed\n", total);
	return 0;
}

/* The pause between rounds of `notify`, and whether to go on. */
#define NOTIFY_ROUND_S	5
static volatile sig_atomic_t notify_stop;

static void
notify_on_signal(int sig)
{
	(void)sig;
	notify_stop = 1;
}

/*
 * The offline webhook (webhook.h): a round every NOTIFY_ROUND_S seconds
 * until SIGTERM or SIGINT (chat-notify.service), or one with --once (cron,
 * tests).  A database that fails is tried again next round.
 */
static int
cmd_notify(struct db *db, int once)
{
	struct sigaction sa;
	struct webhook w;
	char err[512];
	int n;

	if (webhook_init(&w, &cfg, err, sizeof(err)) == -1) {
		log_error("notify: %s", err);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = notify_on_signal;
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1) {
		log_warn("sigaction");
		return 1;
	}
	do {
		if ((n = webhook_round(&w, db)) == -1)
			log_warnx("notify: the database failed; trying again");
		else if (n > 0)
			log_info("notify: %d sent", n);
		if (once)
			return n == -1;
		sleep(NOTIFY_ROUND_S);
	} while (!notify_stop);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *conf = NULL;
	char err[512];
	struct db *db;
	int ch, rc;

	log_init("chatadm", LOG_LEVEL_INFO);
	cli_standard(argc, argv, "chatadm", CHATADM_USAGE);
	/* "+": options end at the command (notify --once is the command's). */
	while ((ch = getopt(argc, argv, "+c:")) != -1) {
		if (ch == 'c')
			conf = optarg;
		else
			usage();
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (config_load(&cfg, conf, err, sizeof(err)) == -1) {
		log_error("%s", err);
		return 1;
	}
	if (password_init() == -1)
		return 1;
	if (strcmp(argv[0], "check-config") == 0) {
		config_dump(&cfg);
		return 0;
	}
	if (strcmp(argv[0], "secret") == 0)
		return cmd_secret();
	if ((db = db_new(&cfg)) == NULL || db_connect(db) != DB_OK)
		return 1;
	if (strcmp(argv[0], "migrate") == 0 && argc == 2)
		rc = cmd_migrate(db, argv[1]);
	else if (strcmp(argv[0], "demo") == 0)
		rc = cmd_demo(db);
	else if (strcmp(argv[0], "user") == 0)
		rc = cmd_user(db, argc - 1, argv + 1);
	else if (strcmp(argv[0], "sweep") == 0 && argc == 1)
		rc = cmd_sweep(db);
	else if (strcmp(argv[0], "notify") == 0 && (argc == 1 ||
	    (argc == 2 && strcmp(argv[1], "--once") == 0)))
		rc = cmd_notify(db, argc == 2);
	else
		usage();
	db_free(db);
	return rc;
}
