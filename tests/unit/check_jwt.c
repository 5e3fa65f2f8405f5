/*
 * check_jwt.c - unit tests for lib/token.c.
 *
 * token_issue() / token_verify(): an HS256 round trip, and every way a
 * forged, altered, expired or malformed bearer string must be refused.
 * Forged tokens are made with libjwt itself (right secret, wrong claims or
 * wrong algorithm) or by hand (alg "none").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "unit.h"
#include <jwt.h>
#include <sodium.h>

#include "config.h"
#include "token.h"

#define SECRET		"0123456789abcdef0123456789abcdef-test-secret"
#define OTHER_SECRET	"fedcba9876543210fedcba9876543210-other-secret"
#define JTI		"00112233445566778899aabbccddeeff"

static struct config cfg;

static void
setup(void)
{
	char err[256];

	unsetenv("CHAT_CONF");
	unsetenv("CHAT_JWT_TTL");
	ck_assert_msg(config_load(&cfg, NULL, err, sizeof(err)) == 0, "%s",
	    err);
	memcpy(cfg.jwt_secret, SECRET, strlen(SECRET));
	cfg.jwt_secret_len = strlen(SECRET);
	ck_assert_int_ge(cfg.jwt_ttl, 60);
}

static void
teardown(void)
{
}

/* A token over claims (a JSON object) signed with alg and key. */
static char *
sign_claims(const char *claims, jwt_alg_t alg, const char *key)
{
	jwt_t *jwt = NULL;
	char *tok;

	ck_assert_int_eq(jwt_new(&jwt), 0);
	ck_assert_int_eq(jwt_add_grants_json(jwt, claims), 0);
	ck_assert_int_eq(jwt_set_alg(jwt, alg, (const unsigned char *)key,
	    (int)strlen(key)), 0);
	tok = jwt_encode_str(jwt);
	ck_assert_ptr_nonnull(tok);
	jwt_free(jwt);
	return tok;
}

/* Claims that token_verify accepts, with exp an hour from now. */
static void
good_claims(char *buf, size_t bufsz, const char *sub)
{
	long long now = (long long)time(NULL);
	int n;

	n = snprintf(buf, bufsz,
	    "{\"sub\":\"%s\",\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"iat\":%lld,\"exp\":%lld}", sub, now, now + 3600);
	ck_assert(n > 0 && (size_t)n < bufsz);
}

static enum token_status
verify_now(const char *tok, struct token_claims *c)
{
	return token_verify(&cfg, tok, time(NULL), c);
}

static void
b64url(const char *in, char *out, size_t outsz)
{
	ck_assert_uint_ge(outsz, sodium_base64_ENCODED_LEN(strlen(in),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING));
	sodium_bin2base64(out, outsz, (const unsigned char *)in, strlen(in),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

START_TEST(round_trip)
{
	struct token_claims ic, vc;
	char *tok = NULL;
	time_t before, after;
	size_t i;

	before = time(NULL);
	ck_assert_int_eq(token_issue(&cfg, 42, "support", &tok, &ic), 0);
	after = time(NULL);
	ck_assert_ptr_nonnull(tok);
	ck_assert_int_eq(ic.uid, 42);
	ck_assert_str_eq(ic.role, "support");
	ck_assert_uint_eq(strlen(ic.jti), TOKEN_JTI_LEN);
	for (i = 0; i < TOKEN_JTI_LEN; i++)
		ck_assert_msg(strchr("0123456789abcdef", ic.jti[i]) != NULL,
		    "jti \"%s\" is not lower-case hex", ic.jti);
	ck_assert_int_ge(ic.iat, (long long)before);
	ck_assert_int_le(ic.iat, (long long)after);
	ck_assert_int_eq(ic.exp, ic.iat + cfg.jwt_ttl);
	/* Header.payload.signature. */
	ck_assert_ptr_nonnull(strchr(tok, '.'));
	ck_assert_ptr_nonnull(strchr(strchr(tok, '.') + 1, '.'));

	memset(&vc, 0x55, sizeof(vc));
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)ic.iat, &vc),
	    TOKEN_OK);
	ck_assert_int_eq(vc.uid, 42);
	ck_assert_str_eq(vc.role, "support");
	ck_assert_str_eq(vc.jti, ic.jti);
	ck_assert_int_eq(vc.iat, ic.iat);
	ck_assert_int_eq(vc.exp, ic.exp);
	/* The last second before exp is still good. */
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)(ic.exp - 1), &vc),
	    TOKEN_OK);
	free(tok);
}
END_TEST

START_TEST(large_uid_and_ttl)
{
	struct token_claims ic, vc;
	char *tok = NULL;

	cfg.jwt_ttl = 60;
	ck_assert_int_eq(token_issue(&cfg, 9223372036854775807LL, "user",
	    &tok, &ic), 0);
	ck_assert_int_eq(ic.exp, ic.iat + 60);
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)ic.iat, &vc),
	    TOKEN_OK);
	ck_assert_int_eq(vc.uid, 9223372036854775807LL);
	ck_assert_str_eq(vc.role, "user");
	ck_assert_int_eq(vc.exp, ic.iat + 60);
	free(tok);
}
END_TEST

START_TEST(jti_unique)
{
	struct token_claims c1, c2;
	char *t1 = NULL, *t2 = NULL;

	ck_assert_int_eq(token_issue(&cfg, 7, "user", &t1, &c1), 0);
	ck_assert_int_eq(token_issue(&cfg, 7, "user", &t2, &c2), 0);
	ck_assert_str_ne(c1.jti, c2.jti);
	ck_assert_str_ne(t1, t2);
	free(t1);
	free(t2);
}
END_TEST

START_TEST(expired)
{
	struct token_claims ic, vc;
	char *tok = NULL;

	ck_assert_int_eq(token_issue(&cfg, 5, "user", &tok, &ic), 0);
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)ic.exp, &vc),
	    TOKEN_EXPIRED);
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)(ic.exp + 1), &vc),
	    TOKEN_EXPIRED);
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)(ic.exp + 86400 *
	    365), &vc), TOKEN_EXPIRED);
	free(tok);
}
END_TEST

START_TEST(expired_forged_claims)
{
	struct token_claims vc;
	char claims[512], *tok;

	/* exp in the past, correctly signed. */
	snprintf(claims, sizeof(claims), "{\"sub\":\"3\",\"role\":\"user\","
	    "\"jti\":\"" JTI "\",\"iat\":1000,\"exp\":2000}");
	tok = sign_claims(claims, JWT_ALG_HS256, SECRET);
	ck_assert_int_eq(verify_now(tok, &vc), TOKEN_EXPIRED);
	ck_assert_int_eq(token_verify(&cfg, tok, 1999, &vc), TOKEN_OK);
	ck_assert_int_eq(vc.uid, 3);
	free(tok);
}
END_TEST

START_TEST(other_secret)
{
	struct token_claims ic, vc;
	struct config other;
	char *tok = NULL;

	other = cfg;
	memcpy(other.jwt_secret, OTHER_SECRET, strlen(OTHER_SECRET));
	other.jwt_secret_len = strlen(OTHER_SECRET);
	ck_assert_int_eq(token_issue(&other, 42, "user", &tok, &ic), 0);
	/* Good under its own secret, refused under ours. */
	ck_assert_int_eq(token_verify(&other, tok, (time_t)ic.iat, &vc),
	    TOKEN_OK);
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)ic.iat, &vc),
	    TOKEN_INVALID);
	ck_assert_int_eq(vc.uid, 0);
	free(tok);
}
END_TEST

START_TEST(secret_prefix_differs)
{
	struct token_claims ic, vc;
	struct config shorter;
	char *tok = NULL;

	/* Same bytes but one fewer: a different key. */
	ck_assert_int_eq(token_issue(&cfg, 42, "user", &tok, &ic), 0);
	shorter = cfg;
	shorter.jwt_secret_len--;
	ck_assert_int_eq(token_verify(&shorter, tok, (time_t)ic.iat, &vc),
	    TOKEN_INVALID);
	free(tok);
}
END_TEST

START_TEST(tampered_payload)
{
	struct token_claims ic, vc;
	char *tok = NULL, *p1, *p2, *mid;

	ck_assert_int_eq(token_issue(&cfg, 42, "user", &tok, &ic), 0);
	p1 = strchr(tok, '.');
	ck_assert_ptr_nonnull(p1);
	p2 = strchr(p1 + 1, '.');
	ck_assert_ptr_nonnull(p2);
	ck_assert(p2 - p1 > 4);
	mid = p1 + (p2 - p1) / 2;
	*mid = *mid == 'A' ? 'B' : 'A';
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)ic.iat, &vc),
	    TOKEN_INVALID);
	free(tok);
}
END_TEST

START_TEST(tampered_signature)
{
	struct token_claims ic, vc;
	char *tok = NULL;
	size_t n;

	ck_assert_int_eq(token_issue(&cfg, 42, "user", &tok, &ic), 0);
	n = strlen(tok);
	/* Change the first signature character (all 6 of its bits count). */
	tok[strrchr(tok, '.') - tok + 1] =
	    tok[strrchr(tok, '.') - tok + 1] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)ic.iat, &vc),
	    TOKEN_INVALID);
	/* Signature removed. */
	*(strrchr(tok, '.') + 1) = '\0';
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)ic.iat, &vc),
	    TOKEN_INVALID);
	ck_assert_uint_gt(n, strlen(tok));
	free(tok);
}
END_TEST

START_TEST(swapped_payload)
{
	struct token_claims c1, c2, vc;
	char *t1 = NULL, *t2 = NULL, *mix;
	const char *p1, *s1, *p2, *s2;

	/* Payload of token 2 with header and signature of token 1. */
	ck_assert_int_eq(token_issue(&cfg, 1, "user", &t1, &c1), 0);
	ck_assert_int_eq(token_issue(&cfg, 2, "support", &t2, &c2), 0);
	p1 = strchr(t1, '.');
	s1 = strrchr(t1, '.');
	p2 = strchr(t2, '.');
	s2 = strrchr(t2, '.');
	mix = malloc(strlen(t1) + strlen(t2) + 1);
	ck_assert_ptr_nonnull(mix);
	memcpy(mix, t1, (size_t)(p1 - t1));
	memcpy(mix + (p1 - t1), p2, (size_t)(s2 - p2));
	strcpy(mix + (p1 - t1) + (s2 - p2), s1);
	ck_assert_int_eq(token_verify(&cfg, mix, (time_t)c1.iat, &vc),
	    TOKEN_INVALID);
	free(mix);
	free(t1);
	free(t2);
}
END_TEST

START_TEST(alg_none)
{
	struct token_claims vc;
	char claims[512], h64[128], p64[1024], tok[1200];

	good_claims(claims, sizeof(claims), "1");
	b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}", h64, sizeof(h64));
	b64url(claims, p64, sizeof(p64));
	snprintf(tok, sizeof(tok), "%s.%s.", h64, p64);
	ck_assert_int_eq(verify_now(tok, &vc), TOKEN_INVALID);
	ck_assert_int_eq(vc.uid, 0);
	/* Other spellings of it. */
	b64url("{\"alg\":\"None\",\"typ\":\"JWT\"}", h64, sizeof(h64));
	snprintf(tok, sizeof(tok), "%s.%s.", h64, p64);
	ck_assert_int_eq(verify_now(tok, &vc), TOKEN_INVALID);
	b64url("{\"typ\":\"JWT\"}", h64, sizeof(h64));
	snprintf(tok, sizeof(tok), "%s.%s.", h64, p64);
	ck_assert_int_eq(verify_now(tok, &vc), TOKEN_INVALID);
	/* Without the last dot. */
	b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}", h64, sizeof(h64));
	snprintf(tok, sizeof(tok), "%s.%s", h64, p64);
	ck_assert_int_eq(verify_now(tok, &vc), TOKEN_INVALID);
}
END_TEST

START_TEST(alg_none_by_libjwt)
{
	struct token_claims vc;
	char claims[512], *tok;
	jwt_t *jwt = NULL;

	good_claims(claims, sizeof(claims), "1");
	ck_assert_int_eq(jwt_new(&jwt), 0);
	ck_assert_int_eq(jwt_add_grants_json(jwt, claims), 0);
	ck_assert_int_eq(jwt_set_alg(jwt, JWT_ALG_NONE, NULL, 0), 0);
	tok = jwt_encode_str(jwt);
	ck_assert_ptr_nonnull(tok);
	jwt_free(jwt);
	ck_assert_int_eq(verify_now(tok, &vc), TOKEN_INVALID);
	free(tok);
}
END_TEST

START_TEST(alg_pinned)
{
	static const jwt_alg_t algs[] = { JWT_ALG_HS384, JWT_ALG_HS512 };
	struct token_claims vc;
	char claims[512], *tok;
	size_t i;

	good_claims(claims, sizeof(claims), "1");
	/* Control: the same claims under HS256 are good. */
	tok = sign_claims(claims, JWT_ALG_HS256, SECRET);
	ck_assert_int_eq(verify_now(tok, &vc), TOKEN_OK);
	ck_assert_int_eq(vc.uid, 1);
	free(tok);
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		tok = sign_claims(claims, algs[i], SECRET);
		ck_assert_msg(verify_now(tok, &vc) == TOKEN_INVALID,
		    "%s accepted", jwt_alg_str(algs[i]));
		ck_assert_int_eq(vc.uid, 0);
		free(tok);
	}
}
END_TEST

struct claims_case {
	const char	*label;
	const char	*claims;	/* %lld is the future exp */
};

static const struct claims_case bad_claims[] = {
	{ "no sub", "{\"role\":\"user\",\"jti\":\"" JTI "\",\"iat\":1,"
	    "\"exp\":%lld}" },
	{ "sub abc", "{\"sub\":\"abc\",\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"iat\":1,\"exp\":%lld}" },
	{ "sub empty", "{\"sub\":\"\",\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"iat\":1,\"exp\":%lld}" },
	{ "sub 0", "{\"sub\":\"0\",\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"iat\":1,\"exp\":%lld}" },
	{ "sub -1", "{\"sub\":\"-1\",\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"iat\":1,\"exp\":%lld}" },
	{ "sub 2^63", "{\"sub\":\"9223372036854775808\",\"role\":\"user\","
	    "\"jti\":\"" JTI "\",\"iat\":1,\"exp\":%lld}" },
	{ "sub 42x", "{\"sub\":\"42x\",\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"iat\":1,\"exp\":%lld}" },
	{ "sub a number", "{\"sub\":42,\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"iat\":1,\"exp\":%lld}" },
	{ "no role", "{\"sub\":\"1\",\"jti\":\"" JTI "\",\"iat\":1,"
	    "\"exp\":%lld}" },
	{ "role too long", "{\"sub\":\"1\",\"role\":\"administrator-xyz\","
	    "\"jti\":\"" JTI "\",\"iat\":1,\"exp\":%lld}" },
	{ "no jti", "{\"sub\":\"1\",\"role\":\"user\",\"iat\":1,"
	    "\"exp\":%lld}" },
	{ "jti short", "{\"sub\":\"1\",\"role\":\"user\","
	    "\"jti\":\"0011223344556677\",\"iat\":1,\"exp\":%lld}" },
	{ "jti upper case", "{\"sub\":\"1\",\"role\":\"user\","
	    "\"jti\":\"00112233445566778899AABBCCDDEEFF\",\"iat\":1,"
	    "\"exp\":%lld}" },
	{ "jti not hex", "{\"sub\":\"1\",\"role\":\"user\","
	    "\"jti\":\"00112233445566778899aabbccddeezz\",\"iat\":1,"
	    "\"exp\":%lld}" },
	{ "jti too long", "{\"sub\":\"1\",\"role\":\"user\","
	    "\"jti\":\"" JTI "00\",\"iat\":1,\"exp\":%lld}" },
	{ "no exp", "{\"sub\":\"1\",\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"iat\":1,\"x\":%lld}" },
	{ "exp a string", "{\"sub\":\"1\",\"role\":\"user\",\"jti\":\"" JTI
	    "\",\"iat\":1,\"exp\":\"%lld\"}" },
	{ "exp zero", "{\"sub\":\"1\",\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"iat\":1,\"exp\":0,\"x\":%lld}" },
	{ "exp negative", "{\"sub\":\"1\",\"role\":\"user\",\"jti\":\"" JTI
	    "\",\"iat\":1,\"exp\":-%lld}" },
	{ "no iat", "{\"sub\":\"1\",\"role\":\"user\",\"jti\":\"" JTI "\","
	    "\"exp\":%lld}" },
};

#define NBADCLAIMS	(sizeof(bad_claims) / sizeof(bad_claims[0]))

START_TEST(bad_claims_loop)
{
	const struct claims_case *c = &bad_claims[_i];
	struct token_claims vc;
	char claims[512], *tok;
	int n;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	n = snprintf(claims, sizeof(claims), c->claims,
	    (long long)time(NULL) + 3600);
#pragma GCC diagnostic pop
	ck_assert(n > 0 && (size_t)n < sizeof(claims));
	tok = sign_claims(claims, JWT_ALG_HS256, SECRET);
	ck_assert_msg(verify_now(tok, &vc) == TOKEN_INVALID,
	    "%s: %s accepted", c->label, claims);
	free(tok);
}
END_TEST

/*
 * Regression: libjwt 1.10 reads a grant of the wrong type ("iat":"1", 1.5,
 * null) as 0 with errno left at 0; such a claim set must be TOKEN_INVALID
 * like a missing iat.
 */
START_TEST(iat_wrong_type)
{
	static const char *iats[] = { "\"1\"", "1.5", "null", "true" };
	struct token_claims vc;
	char claims[512], *tok;
	long long now = (long long)time(NULL);
	size_t i;

	for (i = 0; i < sizeof(iats) / sizeof(iats[0]); i++) {
		snprintf(claims, sizeof(claims), "{\"sub\":\"1\","
		    "\"role\":\"user\",\"jti\":\"" JTI "\",\"iat\":%s,"
		    "\"exp\":%lld}", iats[i], now + 3600);
		tok = sign_claims(claims, JWT_ALG_HS256, SECRET);
		ck_assert_msg(verify_now(tok, &vc) == TOKEN_INVALID,
		    "iat %s accepted (iat read as %lld)", iats[i], vc.iat);
		free(tok);
	}
}
END_TEST

START_TEST(good_forged_claims_control)
{
	/* The forging helper makes tokens token_verify accepts. */
	struct token_claims vc;
	char claims[512], *tok;

	good_claims(claims, sizeof(claims), "77");
	tok = sign_claims(claims, JWT_ALG_HS256, SECRET);
	ck_assert_int_eq(verify_now(tok, &vc), TOKEN_OK);
	ck_assert_int_eq(vc.uid, 77);
	ck_assert_str_eq(vc.role, "user");
	ck_assert_str_eq(vc.jti, JTI);
	free(tok);
}
END_TEST

static const char *garbage[] = {
	"",
	".",
	"..",
	"...",
	"a.b.c",
	"not a token",
	"Bearer abc",
	"eyJhbGciOiJIUzI1NiJ9",
	"eyJhbGciOiJIUzI1NiJ9.",
	"eyJhbGciOiJIUzI1NiJ9..",
	"eyJhbGciOiJIUzI1NiJ9.e30.",
	"eyJhbGciOiJIUzI1NiJ9.e30.AAAA",
	"!!!.???.***",
	"\xff\xfe.\x80.\x01",
	"e30.e30.e30",
};

#define NGARBAGE	(sizeof(garbage) / sizeof(garbage[0]))

START_TEST(garbage_loop)
{
	struct token_claims vc;

	memset(&vc, 0x55, sizeof(vc));
	ck_assert_msg(verify_now(garbage[_i], &vc) == TOKEN_INVALID,
	    "\"%s\" accepted", garbage[_i]);
	/* Claims are cleared on failure. */
	ck_assert_int_eq(vc.uid, 0);
	ck_assert_int_eq(vc.exp, 0);
}
END_TEST

START_TEST(null_and_long)
{
	struct token_claims vc;
	char *big;

	ck_assert_int_eq(verify_now(NULL, &vc), TOKEN_INVALID);
	big = malloc(5001);
	ck_assert_ptr_nonnull(big);
	memset(big, 'A', 5000);
	big[5000] = '\0';
	big[100] = '.';
	big[200] = '.';
	ck_assert_int_eq(verify_now(big, &vc), TOKEN_INVALID);
	free(big);
}
END_TEST

START_TEST(over_token_max)
{
	struct token_claims vc;
	char claims[4096], pad[TOKEN_MAX + 1], *tok;
	long long now = (long long)time(NULL);

	/* A correctly signed token longer than TOKEN_MAX is refused unread. */
	memset(pad, 'x', TOKEN_MAX);
	pad[TOKEN_MAX] = '\0';
	snprintf(claims, sizeof(claims), "{\"sub\":\"1\",\"role\":\"user\","
	    "\"jti\":\"" JTI "\",\"iat\":%lld,\"exp\":%lld,\"pad\":\"%s\"}",
	    now, now + 3600, pad);
	tok = sign_claims(claims, JWT_ALG_HS256, SECRET);
	ck_assert_uint_gt(strlen(tok), TOKEN_MAX);
	ck_assert_int_eq(verify_now(tok, &vc), TOKEN_INVALID);
	free(tok);
}
END_TEST

START_TEST(short_secret)
{
	struct token_claims ic, vc;
	char *tok = (char *)"sentinel", *good = NULL;

	/* Issue a good token first, to check verify refuses too. */
	ck_assert_int_eq(token_issue(&cfg, 9, "user", &good, &ic), 0);

	cfg.jwt_secret_len = 31;
	ck_assert_int_eq(token_issue(&cfg, 9, "user", &tok, &ic), -1);
	ck_assert_ptr_null(tok);
	ck_assert_int_eq(token_verify(&cfg, good, (time_t)ic.iat, &vc),
	    TOKEN_INVALID);
	cfg.jwt_secret_len = 0;
	tok = (char *)"sentinel";
	ck_assert_int_eq(token_issue(&cfg, 9, "user", &tok, &ic), -1);
	ck_assert_ptr_null(tok);
	/* 32 is enough. */
	cfg.jwt_secret_len = 32;
	ck_assert_int_eq(token_issue(&cfg, 9, "user", &tok, &ic), 0);
	ck_assert_ptr_nonnull(tok);
	ck_assert_int_eq(token_verify(&cfg, tok, (time_t)ic.iat, &vc),
	    TOKEN_OK);
	free(tok);
	free(good);
}
END_TEST

START_TEST(role_too_long)
{
	struct token_claims ic;
	char *tok = (char *)"sentinel";

	/* role holds 15 bytes. */
	ck_assert_int_eq(token_issue(&cfg, 1, "0123456789abcdef", &tok, &ic),
	    -1);
	ck_assert_ptr_null(tok);
	ck_assert_int_eq(token_issue(&cfg, 1, "0123456789abcde", &tok, &ic),
	    0);
	ck_assert_ptr_nonnull(tok);
	ck_assert_str_eq(ic.role, "0123456789abcde");
	free(tok);
}
END_TEST

static Suite *
jwt_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("jwt");
	tc = tcase_create("issue");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, large_uid_and_ttl);
	tcase_add_test(tc, jti_unique);
	tcase_add_test(tc, short_secret);
	tcase_add_test(tc, role_too_long);
	suite_add_tcase(s, tc);
	tc = tcase_create("expiry");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, expired);
	tcase_add_test(tc, expired_forged_claims);
	suite_add_tcase(s, tc);
	tc = tcase_create("forgery");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, other_secret);
	tcase_add_test(tc, secret_prefix_differs);
	tcase_add_test(tc, tampered_payload);
	tcase_add_test(tc, tampered_signature);
	tcase_add_test(tc, swapped_payload);
	tcase_add_test(tc, alg_none);
	tcase_add_test(tc, alg_none_by_libjwt);
	tcase_add_test(tc, alg_pinned);
	tcase_add_test(tc, good_forged_claims_control);
	tcase_add_loop_test(tc, bad_claims_loop, 0, (int)NBADCLAIMS);
	tcase_add_test(tc, iat_wrong_type);
	suite_add_tcase(s, tc);
	tc = tcase_create("malformed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, garbage_loop, 0, (int)NGARBAGE);
	tcase_add_test(tc, null_and_long);
	tcase_add_test(tc, over_token_max);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	if (sodium_init() < 0)
		return EXIT_FAILURE;
	return unit_run(jwt_suite());
}
