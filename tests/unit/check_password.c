/*
 * check_password.c - unit tests for lib/password.c.
 *
 * Argon2id hashing and verification with cheap cost parameters (1 pass,
 * 8 MiB), and the password rules.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "unit.h"

#include "config.h"
#include "password.h"

static struct config cfg;

static void
setup(void)
{
	char err[256];

	unsetenv("CHAT_CONF");
	unsetenv("CHAT_AUTH_ARGON2_OPS");
	unsetenv("CHAT_AUTH_ARGON2_MEM_KIB");
	ck_assert_msg(config_load(&cfg, NULL, err, sizeof(err)) == 0, "%s",
	    err);
	cfg.auth_argon2_ops = 1;
	cfg.auth_argon2_mem_kib = 8192;
	ck_assert_int_eq(password_init(), 0);
}

static void
teardown(void)
{
}

START_TEST(hash_and_verify)
{
	char hash[PASSWORD_HASH_MAX];

	memset(hash, 0, sizeof(hash));
	ck_assert_int_eq(password_hash(&cfg, "support-demo-1", hash,
	    sizeof(hash)), 0);
	ck_assert_uint_lt(strlen(hash), sizeof(hash));
	ck_assert_int_eq(password_verify(hash, "support-demo-1"), 1);
	ck_assert_int_eq(password_verify(hash, "support-demo-2"), 0);
	ck_assert_int_eq(password_verify(hash, "Support-demo-1"), 0);
	ck_assert_int_eq(password_verify(hash, "support-demo-1 "), 0);
	ck_assert_int_eq(password_verify(hash, "support-demo-"), 0);
	ck_assert_int_eq(password_verify(hash, ""), 0);
}
END_TEST

START_TEST(hash_format)
{
	char hash[PASSWORD_HASH_MAX];

	ck_assert_int_eq(password_hash(&cfg, "user-demo-1", hash,
	    sizeof(hash)), 0);
	ck_assert_msg(strncmp(hash, "$argon2id$", 10) == 0, "hash \"%s\"",
	    hash);
	/* The configured cost is the one used. */
	ck_assert_msg(strstr(hash, "$m=8192,t=1,") != NULL, "hash \"%s\"",
	    hash);
	/* The password itself is nowhere in it. */
	ck_assert_ptr_null(strstr(hash, "user-demo-1"));
}
END_TEST

START_TEST(hash_cost_from_config)
{
	char hash[PASSWORD_HASH_MAX];

	cfg.auth_argon2_ops = 2;
	cfg.auth_argon2_mem_kib = 16384;
	ck_assert_int_eq(password_hash(&cfg, "user-demo-1", hash,
	    sizeof(hash)), 0);
	ck_assert_msg(strstr(hash, "$m=16384,t=2,") != NULL, "hash \"%s\"",
	    hash);
	ck_assert_int_eq(password_verify(hash, "user-demo-1"), 1);
}
END_TEST

START_TEST(hash_salted)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];

	ck_assert_int_eq(password_hash(&cfg, "user-demo-1", h1, sizeof(h1)),
	    0);
	ck_assert_int_eq(password_hash(&cfg, "user-demo-1", h2, sizeof(h2)),
	    0);
	ck_assert_str_ne(h1, h2);
	ck_assert_int_eq(password_verify(h1, "user-demo-1"), 1);
	ck_assert_int_eq(password_verify(h2, "user-demo-1"), 1);
}
END_TEST

START_TEST(hash_utf8_password)
{
	char hash[PASSWORD_HASH_MAX];

	ck_assert_int_eq(password_hash(&cfg, "pässwörd-1", hash,
	    sizeof(hash)), 0);
	ck_assert_int_eq(password_verify(hash, "pässwörd-1"), 1);
	ck_assert_int_eq(password_verify(hash, "passwort-1"), 0);
}
END_TEST

START_TEST(hash_small_buffer)
{
	char hash[PASSWORD_HASH_MAX];

	memset(hash, 'X', sizeof(hash));
	ck_assert_int_eq(password_hash(&cfg, "user-demo-1", hash,
	    PASSWORD_HASH_MAX - 1), -1);
	ck_assert_int_eq(password_hash(&cfg, "user-demo-1", hash, 0), -1);
	ck_assert_int_eq(hash[0], 'X');
}
END_TEST

START_TEST(verify_garbage_hash)
{
	char hash[PASSWORD_HASH_MAX];

	ck_assert_int_eq(password_verify("", "user-demo-1"), 0);
	ck_assert_int_eq(password_verify("garbage", "user-demo-1"), 0);
	ck_assert_int_eq(password_verify("$argon2id$", "user-demo-1"), 0);
	ck_assert_int_eq(password_verify("$argon2id$v=19$m=8192,t=1,p=1$",
	    "user-demo-1"), 0);
	ck_assert_int_eq(password_verify("user-demo-1", "user-demo-1"), 0);
	/* A real hash cut short, or with its digest altered. */
	ck_assert_int_eq(password_hash(&cfg, "user-demo-1", hash,
	    sizeof(hash)), 0);
	hash[strlen(hash) - 1] = hash[strlen(hash) - 1] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(password_verify(hash, "user-demo-1"), 0);
	hash[strlen(hash) - 10] = '\0';
	ck_assert_int_eq(password_verify(hash, "user-demo-1"), 0);
}
END_TEST

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(verify_dummy)
{
	char hash[PASSWORD_HASH_MAX];
	double t, real = 1e9, dummy = 1e9;
	int i;

	/* First call makes the dummy hash, the next ones only verify. */
	password_verify_dummy(&cfg, "user-demo-1");
	password_verify_dummy(&cfg, "dummy-password-1");
	password_verify_dummy(&cfg, "");

	/*
	 * It must cost about what a real verify costs (it does the Argon2
	 * work).  Generous bound: a fifth of the fastest real verify.
	 */
	ck_assert_int_eq(password_hash(&cfg, "user-demo-1", hash,
	    sizeof(hash)), 0);
	for (i = 0; i < 3; i++) {
		t = now_seconds();
		(void)password_verify(hash, "wrong-password-1");
		t = now_seconds() - t;
		if (t < real)
			real = t;
		t = now_seconds();
		password_verify_dummy(&cfg, "wrong-password-1");
		t = now_seconds() - t;
		if (t < dummy)
			dummy = t;
	}
	ck_assert_msg(dummy >= real / 5, "dummy verify %.6fs, real %.6fs",
	    dummy, real);
}
END_TEST

struct rule_case {
	const char	*pw;
	const char	*why;	/* substring of the sentence, NULL if ok */
};

static const struct rule_case rule_cases[] = {
	{ "support-demo-1", NULL },
	{ "user-demo-1", NULL },
	{ "abcdefg1", NULL },		/* 8 bytes: the minimum */
	{ "abcdefg!", NULL },
	{ "1234567a", NULL },
	{ "pass word", NULL },		/* a space is not a letter */
	{ "", "at least" },
	{ "short1", "at least" },
	{ "abcdef1", "at least" },	/* 7 bytes */
	{ "abcdefgh", "mix" },
	{ "ABCDEFGHIJKLMNOP", "mix" },
	{ "12345678", "mix" },
	{ "!@#$%^&*()", "mix" },
	{ "        ", "mix" },
	{ "abcdefg1\xff", "UTF-8" },
	{ "abcdefg1\xc3", "UTF-8" },		/* truncated sequence */
	{ "abcdefg1\xc0\xaf", "UTF-8" },	/* overlong '/' */
	{ "abcdefg1\xed\xa0\x80", "UTF-8" },	/* surrogate */
	{ "\x80" "abcdefg1", "UTF-8" },
};

#define NRULES	(sizeof(rule_cases) / sizeof(rule_cases[0]))

START_TEST(rules_loop)
{
	const struct rule_case *c = &rule_cases[_i];
	const char *why;

	why = password_check_rules(c->pw);
	if (c->why == NULL) {
		ck_assert_msg(why == NULL, "\"%s\" refused: %s", c->pw, why);
		return;
	}
	ck_assert_msg(why != NULL, "\"%s\" accepted", c->pw);
	ck_assert_msg(strstr(why, c->why) != NULL,
	    "\"%s\": \"%s\" does not say \"%s\"", c->pw, why, c->why);
}
END_TEST

START_TEST(rules_length_bounds)
{
	char pw[PASSWORD_MAX + 2];
	const char *why;

	/* 128 bytes: the maximum. */
	memset(pw, 'a', PASSWORD_MAX);
	pw[0] = '1';
	pw[PASSWORD_MAX] = '\0';
	ck_assert_ptr_null(password_check_rules(pw));
	/* 129 bytes. */
	pw[PASSWORD_MAX] = 'a';
	pw[PASSWORD_MAX + 1] = '\0';
	why = password_check_rules(pw);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, "at most") != NULL, "%s", why);
}
END_TEST

START_TEST(rules_bytes_not_characters)
{
	char pw[PASSWORD_MAX + 8];
	size_t i;

	/* The limits count bytes: 43 x "é" (2 bytes) + "a1" = 88 bytes, ok. */
	pw[0] = '\0';
	for (i = 0; i < 43; i++)
		strcat(pw, "\xc3\xa9");
	strcat(pw, "a1");
	ck_assert_ptr_null(password_check_rules(pw));
	/* 64 x "é" + "a1" = 130 bytes (66 characters): too long. */
	pw[0] = '\0';
	for (i = 0; i < 64; i++)
		strcat(pw, "\xc3\xa9");
	strcat(pw, "a1");
	ck_assert_uint_eq(strlen(pw), 130);
	ck_assert_ptr_nonnull(password_check_rules(pw));
}
END_TEST

static Suite *
password_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("password");
	tc = tcase_create("hash");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hash_and_verify);
	tcase_add_test(tc, hash_format);
	tcase_add_test(tc, hash_cost_from_config);
	tcase_add_test(tc, hash_salted);
	tcase_add_test(tc, hash_utf8_password);
	tcase_add_test(tc, hash_small_buffer);
	tcase_add_test(tc, verify_garbage_hash);
	tcase_add_test(tc, verify_dummy);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_loop_test(tc, rules_loop, 0, (int)NRULES);
	tcase_add_test(tc, rules_length_bounds);
	tcase_add_test(tc, rules_bytes_not_characters);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	if (password_init() != 0)
		return EXIT_FAILURE;
	return unit_run(password_suite());
}
