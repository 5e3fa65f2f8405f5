/*
 * check_config.c - unit tests for lib/config.c.
 *
 * Defaults, the ini reader (sections, quotes, comments, errors with line
 * numbers), environment overrides, the JWT secret file and the upload cap.
 * Files are made with mkstemp in /tmp and removed by each test (and by
 * main, for a test that failed before its teardown).
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "unit.h"

#include "config.h"

extern char **environ;

static pid_t main_pid;		/* names this run's files, for the cleanup */
static char tmp_path[64];
static char err[512];

/* Write text to a fresh temporary file; its name is in tmp_path. */
static const char *
write_tmp(const char *text, size_t len)
{
	int fd;

	snprintf(tmp_path, sizeof(tmp_path), "/tmp/check_config.%ld.XXXXXX",
	    (long)main_pid);
	fd = mkstemp(tmp_path);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return tmp_path;
}

static const char *
write_ini(const char *text)
{
	return write_tmp(text, strlen(text));
}

static void
remove_tmp(void)
{
	if (tmp_path[0] != '\0')
		unlink(tmp_path);
	tmp_path[0] = '\0';
}

/* Unset every CHAT_* variable, so the environment of the run is no input. */
static void
clear_chat_env(void)
{
	char name[256];
	const char *eq;
	size_t n;
	int again = 1;

	while (again) {
		again = 0;
		for (char **e = environ; e != NULL && *e != NULL; e++) {
			if (strncmp(*e, "CHAT_", 5) != 0 ||
			    (eq = strchr(*e, '=')) == NULL)
				continue;
			n = (size_t)(eq - *e);
			if (n >= sizeof(name))
				continue;
			memcpy(name, *e, n);
			name[n] = '\0';
			unsetenv(name);
			again = 1;
			break;
		}
	}
}

static void
setup(void)
{
	clear_chat_env();
	tmp_path[0] = '\0';
	err[0] = '\0';
}

static void
teardown(void)
{
	remove_tmp();
	clear_chat_env();
}

START_TEST(defaults)
{
	struct config cfg;

	memset(&cfg, 0x5a, sizeof(cfg));
	ck_assert_msg(config_load(&cfg, NULL, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_str_eq(cfg.db_host, "localhost");
	ck_assert_int_eq(cfg.db_port, 3306);
	ck_assert_str_eq(cfg.db_socket, "");
	ck_assert_str_eq(cfg.db_user, "chat");
	ck_assert_str_eq(cfg.db_password, "");
	ck_assert_str_eq(cfg.db_name, "chat");
	ck_assert_int_eq(cfg.jwt_ttl, 604800);
	ck_assert_int_eq(cfg.auth_argon2_ops, 2);
	ck_assert_int_eq(cfg.auth_argon2_mem_kib, 65536);
	ck_assert_int_eq(cfg.upload_max_image, 10485760);
	ck_assert_int_eq(cfg.upload_max_video, 52428800);
	ck_assert_int_eq(cfg.upload_max_audio, 20971520);
	ck_assert_int_eq(cfg.limits_max_json_body, 65536);
	ck_assert_int_eq(cfg.pushd_port, 8081);
	/* Alone unless told: exactly the single pushd of before. */
	ck_assert_str_eq(cfg.pushd_cluster, "");
	ck_assert_str_eq(cfg.pushd_node_id, "");
	ck_assert_str_eq(cfg.phone_default_cc, "+91");
	ck_assert_str_eq(cfg.log_level, "info");
	/* No secret until config_load_secret. */
	ck_assert_uint_eq(cfg.jwt_secret_len, 0);
}
END_TEST

START_TEST(cluster_from_env)
{
	struct config cfg;

	setenv("CHAT_PUSHD_CLUSTER", "redis://127.0.0.1:6390", 1);
	setenv("CHAT_PUSHD_NODE_ID", "node-b", 1);
	ck_assert_msg(config_load(&cfg, "", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(cfg.pushd_cluster, "redis://127.0.0.1:6390");
	ck_assert_str_eq(cfg.pushd_node_id, "node-b");
}
END_TEST

START_TEST(empty_path_is_no_file)
{
	struct config cfg;

	ck_assert_int_eq(config_load(&cfg, "", err, sizeof(err)), 0);
	ck_assert_int_eq(cfg.db_port, 3306);
	setenv("CHAT_CONF", "", 1);
	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(cfg.db_port, 3306);
	unsetenv("CHAT_CONF");
}
END_TEST

START_TEST(ini_values)
{
	struct config cfg;
	const char *path;

	path = write_ini(
	    "# a comment\n"
	    "; another comment\n"
	    "\n"
	    "[db]\n"
	    "socket = /tmp/x.sock\n"
	    "name = \"quoted\"\n"
	    "   port=3307   \n"
	    "\t# indented comment\n"
	    "password = \"a b = c\"\n"
	    "\n"
	    "[phone]\n"
	    "default_cc = +44\n"
	    "[upload]\n"
	    "max_video = 1024\n"
	    "[jwt]\n"
	    "secret_file = \"\"\n"
	    "ttl = 60\n");
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_str_eq(cfg.db_socket, "/tmp/x.sock");
	ck_assert_str_eq(cfg.db_name, "quoted");
	ck_assert_int_eq(cfg.db_port, 3307);
	ck_assert_str_eq(cfg.db_password, "a b = c");
	ck_assert_str_eq(cfg.phone_default_cc, "+44");
	ck_assert_int_eq(cfg.upload_max_video, 1024);
	ck_assert_str_eq(cfg.jwt_secret_file, "");
	ck_assert_int_eq(cfg.jwt_ttl, 60);
	/* Keys the file does not set keep their defaults. */
	ck_assert_str_eq(cfg.db_host, "localhost");
	ck_assert_str_eq(cfg.db_user, "chat");
	ck_assert_int_eq(cfg.upload_max_image, 10485760);
}
END_TEST

START_TEST(ini_crlf_and_no_final_newline)
{
	struct config cfg;
	const char *path;

	path = write_ini("[db]\r\nname = crlf\r\nport = 4000");
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_str_eq(cfg.db_name, "crlf");
	ck_assert_int_eq(cfg.db_port, 4000);
}
END_TEST

START_TEST(ini_from_chat_conf)
{
	struct config cfg;
	const char *path;

	path = write_ini("[db]\nname = fromenv\n");
	setenv("CHAT_CONF", path, 1);
	ck_assert_msg(config_load(&cfg, NULL, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_str_eq(cfg.db_name, "fromenv");
	unsetenv("CHAT_CONF");
}
END_TEST

struct bad_ini {
	const char	*label;
	const char	*text;
	int		 line;
	const char	*what;		/* substring of err after "line: " */
};

static const struct bad_ini bad_inis[] = {
	{ "unknown key", "[db]\nname = x\nbogus = 1\n", 3, "db.bogus" },
	{ "unknown section", "# c\n\n[nope]\nname = x\n", 4, "nope.name" },
	{ "key outside a section", "name = x\n", 1, "unknown key" },
	{ "bad integer", "[db]\nport = 33o6\n", 2, "db.port" },
	{ "empty integer", "[db]\nport =\n", 2, "db.port" },
	{ "integer with a trailing comment", "[db]\nport = 3306 # x\n", 2,
	    "db.port" },
	{ "port 0", "[db]\nport = 0\n", 2, "db.port" },
	{ "port too big", "\n[db]\nport = 65536\n", 3, "db.port" },
	{ "negative", "[upload]\nmax_image = -1\n", 2, "upload.max_image" },
	{ "above max", "[upload]\nmax_image = 1073741825\n", 2,
	    "upload.max_image" },
	{ "long overflow", "[jwt]\nttl = 99999999999999999999999\n", 2,
	    "jwt.ttl" },
	{ "ttl below min", "[jwt]\nttl = 59\n", 2, "jwt.ttl" },
	{ "no equals", "[db]\nname\n", 2, "key = value" },
	{ "bad section", "[db\nname = x\n", 1, "section" },
	{ "empty section", "[]\n", 1, "section" },
};

#define NBADINI	(sizeof(bad_inis) / sizeof(bad_inis[0]))

START_TEST(ini_errors)
{
	const struct bad_ini *c = &bad_inis[_i];
	struct config cfg;
	char want[128];
	const char *path;

	path = write_ini(c->text);
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == -1,
	    "%s: accepted", c->label);
	/* "<path>:<line>: <what>" */
	snprintf(want, sizeof(want), "%s:%d: ", path, c->line);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
	    "%s: err \"%s\", want prefix \"%s\"", c->label, err, want);
	ck_assert_msg(strstr(err, c->what) != NULL,
	    "%s: err \"%s\" does not name \"%s\"", c->label, err, c->what);
}
END_TEST

START_TEST(ini_integer_bounds)
{
	struct config cfg;
	const char *path;

	/* The limits themselves are accepted. */
	path = write_ini("[db]\nport = 65535\n[jwt]\nttl = 31536000\n"
	    "[upload]\nmax_image = 1073741824\nmax_audio = 1\n");
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_int_eq(cfg.db_port, 65535);
	ck_assert_int_eq(cfg.jwt_ttl, 31536000);
	ck_assert_int_eq(cfg.upload_max_image, 1073741824);
	ck_assert_int_eq(cfg.upload_max_audio, 1);
}
END_TEST

START_TEST(ini_value_too_long)
{
	struct config cfg;
	char text[CFG_STR_MAX + 64];
	const char *path;

	/* 511 bytes fit, 512 do not. */
	snprintf(text, sizeof(text), "[db]\nname = %0*d\n", CFG_STR_MAX - 1,
	    0);
	path = write_ini(text);
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_uint_eq(strlen(cfg.db_name), CFG_STR_MAX - 1);
	remove_tmp();

	snprintf(text, sizeof(text), "[db]\nname = %0*d\n", CFG_STR_MAX, 0);
	path = write_ini(text);
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ":2: "));
}
END_TEST

START_TEST(ini_line_too_long)
{
	struct config cfg;
	char text[2100];
	const char *path;

	snprintf(text, sizeof(text), "[db]\n# %02000d\nname = x\n", 0);
	path = write_ini(text);
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ":2: "));
}
END_TEST

START_TEST(ini_missing_file)
{
	struct config cfg;

	ck_assert_int_eq(config_load(&cfg, "/tmp/check_config.does-not-exist",
	    err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/tmp/check_config.does-not-exist"));
	setenv("CHAT_CONF", "/tmp/check_config.does-not-exist", 1);
	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), -1);
	unsetenv("CHAT_CONF");
}
END_TEST

START_TEST(env_beats_file)
{
	struct config cfg;
	const char *path;

	path = write_ini("[db]\nname = fromfile\nport = 3307\n"
	    "[auth]\nargon2_mem_kib = 8192\n");
	setenv("CHAT_DB_NAME", "fromenv", 1);
	setenv("CHAT_AUTH_ARGON2_MEM_KIB", "16384", 1);
	setenv("CHAT_PHONE_DEFAULT_CC", "+1", 1);
	ck_assert_msg(config_load(&cfg, path, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_str_eq(cfg.db_name, "fromenv");
	ck_assert_int_eq(cfg.auth_argon2_mem_kib, 16384);
	ck_assert_str_eq(cfg.phone_default_cc, "+1");
	/* The file still counts where the environment says nothing. */
	ck_assert_int_eq(cfg.db_port, 3307);
	/* An empty variable sets an empty string. */
	setenv("CHAT_DB_NAME", "", 1);
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.db_name, "");
	unsetenv("CHAT_DB_NAME");
	unsetenv("CHAT_AUTH_ARGON2_MEM_KIB");
	unsetenv("CHAT_PHONE_DEFAULT_CC");
}
END_TEST

START_TEST(env_without_file)
{
	struct config cfg;

	setenv("CHAT_DB_PORT", "3308", 1);
	setenv("CHAT_UPLOAD_MAX_VIDEO", "7", 1);
	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(cfg.db_port, 3308);
	ck_assert_int_eq(cfg.upload_max_video, 7);
	unsetenv("CHAT_DB_PORT");
	unsetenv("CHAT_UPLOAD_MAX_VIDEO");
}
END_TEST

START_TEST(env_bad_values)
{
	static const char *bad[][2] = {
		{ "CHAT_DB_PORT", "abc" },
		{ "CHAT_DB_PORT", "" },
		{ "CHAT_DB_PORT", "70000" },
		{ "CHAT_DB_PORT", "12abc" },
		{ "CHAT_JWT_TTL", "1" },
		{ "CHAT_AUTH_ARGON2_OPS", "11" },
	};
	struct config cfg;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv(bad[i][0], bad[i][1], 1);
		ck_assert_msg(config_load(&cfg, NULL, err, sizeof(err)) == -1,
		    "%s=%s accepted", bad[i][0], bad[i][1]);
		ck_assert_msg(strstr(err, bad[i][0]) != NULL,
		    "err \"%s\" does not name %s", err, bad[i][0]);
		unsetenv(bad[i][0]);
	}
	/* Once unset, all is well again. */
	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), 0);
}
END_TEST

START_TEST(env_string_too_long)
{
	struct config cfg;
	char val[CFG_STR_MAX + 1];

	memset(val, 'x', CFG_STR_MAX);
	val[CFG_STR_MAX] = '\0';
	setenv("CHAT_DB_HOST", val, 1);
	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "CHAT_DB_HOST"));
	unsetenv("CHAT_DB_HOST");
}
END_TEST

/* --- config_load_secret -------------------------------------------------- */

static void
load_with_secret_file(struct config *cfg, const char *path)
{
	ck_assert_int_eq(config_load(cfg, NULL, err, sizeof(err)), 0);
	ck_assert_uint_lt(strlen(path), sizeof(cfg->jwt_secret_file));
	strcpy(cfg->jwt_secret_file, path);
}

#define HEX64	"0123456789abcdef0123456789abcdef" \
		"fedcba9876543210fedcba9876543210"

START_TEST(secret_ok)
{
	struct config cfg;
	const char *path;

	path = write_ini(HEX64 "\n");
	load_with_secret_file(&cfg, path);
	ck_assert_msg(config_load_secret(&cfg, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_uint_eq(cfg.jwt_secret_len, 64);
	ck_assert(memcmp(cfg.jwt_secret, HEX64, 64) == 0);
}
END_TEST

START_TEST(secret_crlf_and_no_newline)
{
	struct config cfg;
	const char *path;

	path = write_ini(HEX64 "\r\n\n");
	load_with_secret_file(&cfg, path);
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.jwt_secret_len, 64);
	remove_tmp();

	path = write_ini(HEX64);
	load_with_secret_file(&cfg, path);
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.jwt_secret_len, 64);
}
END_TEST

START_TEST(secret_binary)
{
	struct config cfg;
	unsigned char raw[32];
	const char *path;
	size_t i;

	/* Any bytes, NULs included. */
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 7);
	path = write_tmp((const char *)raw, sizeof(raw));
	load_with_secret_file(&cfg, path);
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.jwt_secret_len, 32);
	ck_assert(memcmp(cfg.jwt_secret, raw, 32) == 0);
}
END_TEST

START_TEST(secret_short)
{
	struct config cfg;
	const char *path;

	/* 31 bytes, even with a newline making it 32 on disk. */
	path = write_ini("0123456789abcdef0123456789abcde\n");
	load_with_secret_file(&cfg, path);
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "32"));
	ck_assert_uint_eq(cfg.jwt_secret_len, 0);
	remove_tmp();

	/* Empty, and newlines only. */
	path = write_ini("");
	load_with_secret_file(&cfg, path);
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), -1);
	remove_tmp();
	path = write_ini("\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
	    "\n\n\n\n\n\n\n\n\n\n\n");
	load_with_secret_file(&cfg, path);
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), -1);
	ck_assert_uint_eq(cfg.jwt_secret_len, 0);
}
END_TEST

START_TEST(secret_exactly_32)
{
	struct config cfg;
	const char *path;

	path = write_ini("0123456789abcdef0123456789abcdef\n");
	load_with_secret_file(&cfg, path);
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.jwt_secret_len, 32);
}
END_TEST

START_TEST(secret_missing)
{
	struct config cfg;

	load_with_secret_file(&cfg, "/tmp/check_config.no-such-secret");
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/tmp/check_config.no-such-secret"));
	ck_assert_uint_eq(cfg.jwt_secret_len, 0);
	/* A directory is not a secret either. */
	load_with_secret_file(&cfg, "/tmp");
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), -1);
	ck_assert_uint_eq(cfg.jwt_secret_len, 0);
}
END_TEST

START_TEST(secret_file_from_env)
{
	struct config cfg;
	const char *path;

	path = write_ini(HEX64 "\n");
	setenv("CHAT_JWT_SECRET_FILE", path, 1);
	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), 0);
	ck_assert_str_eq(cfg.jwt_secret_file, path);
	ck_assert_int_eq(config_load_secret(&cfg, err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.jwt_secret_len, 64);
	unsetenv("CHAT_JWT_SECRET_FILE");
}
END_TEST

/* --- config_upload_max --------------------------------------------------- */

START_TEST(upload_max)
{
	struct config cfg;

	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), 0);
	/* Defaults: video (50 MiB) is the largest. */
	ck_assert_int_eq(config_upload_max(&cfg), 52428800);
	cfg.upload_max_image = 100;
	cfg.upload_max_video = 200;
	cfg.upload_max_audio = 300;
	ck_assert_int_eq(config_upload_max(&cfg), 300);
	cfg.upload_max_image = 400;
	ck_assert_int_eq(config_upload_max(&cfg), 400);
	cfg.upload_max_video = 500;
	ck_assert_int_eq(config_upload_max(&cfg), 500);
	cfg.upload_max_image = cfg.upload_max_video = cfg.upload_max_audio = 1;
	ck_assert_int_eq(config_upload_max(&cfg), 1);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("config");
	tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, empty_path_is_no_file);
	tcase_add_test(tc, cluster_from_env);
	tcase_add_test(tc, ini_values);
	tcase_add_test(tc, ini_crlf_and_no_final_newline);
	tcase_add_test(tc, ini_from_chat_conf);
	tcase_add_loop_test(tc, ini_errors, 0, (int)NBADINI);
	tcase_add_test(tc, ini_integer_bounds);
	tcase_add_test(tc, ini_value_too_long);
	tcase_add_test(tc, ini_line_too_long);
	tcase_add_test(tc, ini_missing_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("env");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, env_beats_file);
	tcase_add_test(tc, env_without_file);
	tcase_add_test(tc, env_bad_values);
	tcase_add_test(tc, env_string_too_long);
	suite_add_tcase(s, tc);
	tc = tcase_create("secret");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, secret_ok);
	tcase_add_test(tc, secret_crlf_and_no_newline);
	tcase_add_test(tc, secret_binary);
	tcase_add_test(tc, secret_short);
	tcase_add_test(tc, secret_exactly_32);
	tcase_add_test(tc, secret_missing);
	tcase_add_test(tc, secret_file_from_env);
	suite_add_tcase(s, tc);
	tc = tcase_create("upload");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, upload_max);
	suite_add_tcase(s, tc);
	return s;
}

/* Remove what a failed test left behind. */
static void
cleanup_tmp(void)
{
	char pattern[64];
	glob_t g;
	size_t i;

	snprintf(pattern, sizeof(pattern), "/tmp/check_config.%ld.*",
	    (long)main_pid);
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++)
		unlink(g.gl_pathv[i]);
	globfree(&g);
}

int
main(void)
{
	int rc;

	main_pid = getpid();
	rc = unit_run(config_suite());
	cleanup_tmp();
	return rc;
}
