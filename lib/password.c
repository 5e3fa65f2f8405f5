/*
 * password.c - Argon2id password hashing (libsodium).
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "jsonio.h"
#include "log.h"
#include "password.h"

int
password_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

const char *
password_check_rules(const char *pw)
{
	size_t len = strlen(pw), i;
	int alpha = 0, other = 0;

	if (len < PASSWORD_MIN)
		return "password must be at least 8 characters";
	if (len > PASSWORD_MAX)
		return "password must be at most 128 characters";
	if (!utf8_valid(pw, len))
		return "password must be valid UTF-8";
	/* Non-ASCII characters (Devanagari, Cyrillic, ...) count as letters. */
	for (i = 0; i < len; i++) {
		if (isalpha((unsigned char)pw[i]) || (unsigned char)pw[i] >= 0x80)
			alpha = 1;
		else
			other = 1;
	}
	if (!alpha || !other)
		return "password must mix letters with digits or symbols";
	return NULL;
}

int
password_hash(const struct config *cfg, const char *pw, char *out,
    size_t outsz)
{
	if (outsz < crypto_pwhash_STRBYTES)
		return -1;
	if (crypto_pwhash_str_alg(out, pw, strlen(pw),
	    (unsigned long long)cfg->auth_argon2_ops,
	    (size_t)cfg->auth_argon2_mem_kib * 1024,
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_warnx("argon2id hashing failed (out of memory?)");
		return -1;
	}
	return 0;
}

int
password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void
password_verify_dummy(const struct config *cfg, const char *pw)
{
	static char dummy[crypto_pwhash_STRBYTES];

	/* Made once per process with the current parameters. */
	if (dummy[0] == '\0' &&
	    password_hash(cfg, "dummy-password-1", dummy, sizeof(dummy)) == -1)
		return;
	(void)password_verify(dummy, pw);
}
