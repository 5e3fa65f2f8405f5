/*
 * password.h - Argon2id password hashing (libsodium), and the password rules.
 *
 * Rules: 8 to 128 bytes of valid UTF-8, with at least one letter (any
 * non-ASCII character counts as one) and one ASCII digit or symbol.  Cost parameters come from the config.
 */
#ifndef CHAT_PASSWORD_H
#define CHAT_PASSWORD_H

#include <stddef.h>

#include "config.h"

#define PASSWORD_MIN		8
#define PASSWORD_MAX		128
#define PASSWORD_HASH_MAX	128	/* crypto_pwhash_STRBYTES */

int	password_init(void);
/* NULL if pw follows the rules, else a sentence saying which one it breaks. */
const char *password_check_rules(const char *pw);
int	password_hash(const struct config *cfg, const char *pw, char *out,
	    size_t outsz);
/* 1 on a match, 0 otherwise. */
int	password_verify(const char *hash, const char *pw);
/*
 * Spend the time a verify would take, so that a login for an unknown phone
 * answers in about the same time as a wrong password.
 */
void	password_verify_dummy(const struct config *cfg, const char *pw);

#endif
