/*
 * fuzz_jwt.c - libFuzzer target for lib/token.c.
 *
 * Random bytes almost never carry a valid HMAC, so most of token_verify()
 * would stay dark if the input were only ever a bearer string.  The first
 * byte therefore picks what the rest is:
 *
 *	0x01	a claims set, signed HS256 with the right key
 *	0x02	a header and a claims set (split at the first NUL), signed
 *		with HMAC-SHA256 and the right key whatever alg says
 *	0x03	a claims set, signed HS256 with another key
 *	0x04	token_issue() input: 8 bytes of uid, then a role
 *	other	the whole input is the bearer string
 *
 * Every token is verified at a fixed time under the right key and under
 * another one, twice (same answer both times), and the answer checked:
 * claims of an accepted token are sane (uid >= 1, jti 32 lower-case hex,
 * 1 <= iat <= exp, a NUL-terminated role), TOKEN_OK and TOKEN_EXPIRED
 * agree with exp, no token is good under two keys, one signed with the
 * wrong key or longer than TOKEN_MAX is refused.  Issued tokens must
 * verify to the claims they were issued with.  Any broken promise aborts.
 *
 * token_verify() does not check the role against User/Support/Admin, by
 * design: the role is read from the database (session.h), so only its
 * shape is checked here.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config.h"
#include "jsonio.h"
#include "token.h"

#define FUZZ_SECRET	"fuzz-secret-0123456789abcdef-0123456789abcdef"
#define FUZZ_OTHER	"fuzz-other--0123456789abcdef-0123456789abcdef"
#define FUZZ_NOW	1700000000	/* 2023-11-14, as in mkcorpus.sh */
#define FUZZ_TTL	3600
#define FUZZ_ROLE_MAX	32		/* bytes of input tried as a role */
#define HS256_HEADER	"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

enum mode {
	MODE_RAW,
	MODE_SIGNED = 0x01,
	MODE_HEADER = 0x02,
	MODE_OTHER_KEY = 0x03,
	MODE_ISSUE = 0x04
};

static struct config cfg, other;

const char *__asan_default_options(void);

/*
 * libjwt, jansson and OpenSSL are built without frame pointers, so past
 * their frames ASan's fast unwinder reads garbage when it records where a
 * block was allocated; every garbage stack is new and its stack depot grew
 * by 20-40 MB a minute, enough to reach libFuzzer's RSS limit within an
 * hour.  Two frames (malloc and its caller) are always right.  ASAN_OPTIONS
 * still overrides this.
 */
const char *
__asan_default_options(void)
{
	return "malloc_context_size=2";
}

static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
config_with(struct config *c, const char *secret)
{
	memset(c, 0, sizeof(*c));
	c->jwt_ttl = FUZZ_TTL;
	c->jwt_secret_len = strlen(secret);
	memcpy(c->jwt_secret, secret, c->jwt_secret_len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	config_with(&cfg, FUZZ_SECRET);
	config_with(&other, FUZZ_OTHER);
	return 0;
}

static int
lower_hex(const char *s, size_t len)
{
	return strlen(s) == len && strspn(s, "0123456789abcdef") == len;
}

/* What an accepted (or merely expired) token's claims promise. */
static void
check_claims(enum token_status st, const struct token_claims *c, time_t now)
{
	check(st == TOKEN_OK || st == TOKEN_INVALID || st == TOKEN_EXPIRED);
	if (st == TOKEN_INVALID)
		return;
	check(c->uid >= 1);
	check(lower_hex(c->jti, TOKEN_JTI_LEN));
	check(memchr(c->role, '\0', sizeof(c->role)) != NULL);
	check(c->iat >= 1 && c->iat <= c->exp);
	check(st == TOKEN_OK ? (long long)now < c->exp :
	    (long long)now >= c->exp);
}

/* Verify tok at now under c, twice; returns the status. */
static enum token_status
verify(const struct config *c, const char *tok, time_t now,
    struct token_claims *out)
{
	struct token_claims again;
	enum token_status st;

	st = token_verify(c, tok, now, out);
	check_claims(st, out, now);
	check(token_verify(c, tok, now, &again) == st);
	if (st != TOKEN_INVALID)
		check(memcmp(out, &again, sizeof(again)) == 0);
	if (strlen(tok) > TOKEN_MAX)
		check(st == TOKEN_INVALID);
	return st;
}

/* The answer under the right key; the token is never good under both. */
static enum token_status
verify_both(const char *tok)
{
	struct token_claims c, o;
	enum token_status st, ost;

	st = verify(&cfg, tok, FUZZ_NOW, &c);
	ost = verify(&other, tok, FUZZ_NOW, &o);
	check(st == TOKEN_INVALID || ost == TOKEN_INVALID);
	return st;
}

static char *
b64url(const unsigned char *in, size_t len, size_t *outlen)
{
	size_t sz = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out;

	if ((out = malloc(sz)) == NULL)
		abort();
	sodium_bin2base64(out, sz, in, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*outlen = strlen(out);
	return out;
}

/* header.payload.HMAC-SHA256(key), as a NUL-terminated string. */
static char *
sign(const unsigned char *hdr, size_t hlen, const unsigned char *pay,
    size_t plen, const char *key)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char *h64, *p64, *s64, *tok;
	size_t hn, pn, sn, n;

	h64 = b64url(hdr, hlen, &hn);
	p64 = b64url(pay, plen, &pn);
	n = hn + 1 + pn;
	if ((tok = malloc(n + 1 + sodium_base64_ENCODED_LEN(sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING))) == NULL)
		abort();
	memcpy(tok, h64, hn);
	tok[hn] = '.';
	memcpy(tok + hn + 1, p64, pn);
	if (crypto_auth_hmacsha256_init(&st, (const unsigned char *)key,
	    strlen(key)) != 0 ||
	    crypto_auth_hmacsha256_update(&st, (unsigned char *)tok, n) != 0 ||
	    crypto_auth_hmacsha256_final(&st, mac) != 0)
		abort();
	s64 = b64url(mac, sizeof(mac), &sn);
	tok[n] = '.';
	memcpy(tok + n + 1, s64, sn + 1);
	free(h64);
	free(p64);
	free(s64);
	return tok;
}

static void
try_raw(const char *buf, size_t len)
{
	char *tok;

	/* One byte over TOKEN_MAX is enough to try the refusal. */
	if (len > TOKEN_MAX + 1)
		len = TOKEN_MAX + 1;
	if ((tok = malloc(len + 1)) == NULL)
		abort();
	memcpy(tok, buf, len);
	tok[len] = '\0';
	(void)verify_both(tok);
	free(tok);
}

static void
try_signed(enum mode m, const unsigned char *buf, size_t len)
{
	const unsigned char *hdr = (const unsigned char *)HS256_HEADER, *pay;
	size_t hlen = strlen(HS256_HEADER), plen = len;
	const unsigned char *nul;
	enum token_status st;
	char *tok;

	pay = buf;
	if (m == MODE_HEADER) {
		if ((nul = memchr(buf, '\0', len)) == NULL)
			return;
		hdr = buf;
		hlen = (size_t)(nul - buf);
		pay = nul + 1;
		plen = len - hlen - 1;
	}
	tok = sign(hdr, hlen, pay, plen,
	    m == MODE_OTHER_KEY ? FUZZ_OTHER : FUZZ_SECRET);
	st = verify_both(tok);
	if (m == MODE_OTHER_KEY)
		check(st == TOKEN_INVALID);
	free(tok);
}

/* token_issue() and token_verify() agree: what goes in comes out. */
static void
try_issue(const unsigned char *buf, size_t len)
{
	struct token_claims ic, vc;
	char role[FUZZ_ROLE_MAX + 1], *tok = NULL;
	uint64_t u = 0;
	long long uid;
	size_t i, n;

	for (i = 0; i < 8 && i < len; i++)
		u |= (uint64_t)buf[i] << (8 * i);
	uid = (long long)u;
	buf += i;
	len -= i;
	for (n = 0; n < len && n < FUZZ_ROLE_MAX && buf[n] != '\0'; n++)
		role[n] = (char)buf[n];
	role[n] = '\0';

	if (token_issue(&cfg, uid, role, &tok, &ic) == -1) {
		/* Only a role too long for the claims or not UTF-8 (JSON). */
		check(tok == NULL);
		check(n >= sizeof(ic.role) || !utf8_valid(role, n));
		return;
	}
	check(tok != NULL && n < sizeof(ic.role));
	check(ic.uid == uid && strcmp(ic.role, role) == 0);
	check(lower_hex(ic.jti, TOKEN_JTI_LEN));
	check(ic.exp == ic.iat + FUZZ_TTL);
	if (uid < 1) {
		/* Issued blindly, but such a sub never verifies. */
		check(verify(&cfg, tok, (time_t)ic.iat, &vc) == TOKEN_INVALID);
		free(tok);
		return;
	}
	check(verify(&cfg, tok, (time_t)ic.iat, &vc) == TOKEN_OK);
	check(vc.uid == ic.uid && strcmp(vc.role, ic.role) == 0 &&
	    strcmp(vc.jti, ic.jti) == 0 && vc.iat == ic.iat &&
	    vc.exp == ic.exp);
	check(verify(&cfg, tok, (time_t)ic.exp, &vc) == TOKEN_EXPIRED);
	check(verify(&other, tok, (time_t)ic.iat, &vc) == TOKEN_INVALID);
	free(tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	switch (size > 0 ? data[0] : MODE_RAW) {
	case MODE_SIGNED:
	case MODE_HEADER:
	case MODE_OTHER_KEY:
		try_signed((enum mode)data[0], data + 1, size - 1);
		break;
	case MODE_ISSUE:
		try_issue(data + 1, size - 1);
		break;
	default:
		try_raw((const char *)data, size);
		break;
	}
	return 0;
}
