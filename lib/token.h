/*
 * token.h - access tokens: HS256 JWTs over libjwt.
 *
 * Claims: sub (user id, decimal string), role, jti (32 hex, for the logout
 * deny-list), iat, exp, and iatms (iat in milliseconds: a password or role
 * change revokes the tokens issued before it, to the millisecond).  libjwt 1.10 neither pins the algorithm nor checks
 * exp, so token_verify does both.  Revocation is checked against the
 * database by the caller (a token is only a claim until then).
 */
#ifndef CHAT_TOKEN_H
#define CHAT_TOKEN_H

#include <time.h>

#include "config.h"

#define TOKEN_MAX	2048	/* longer bearer strings are refused unread */
#define TOKEN_JTI_LEN	32

struct token_claims {
	long long	uid;
	char		role[16];
	char		jti[TOKEN_JTI_LEN + 1];
	long long	iat;
	long long	iat_ms;		/* iatms, or iat * 1000 without it */
	long long	exp;
};

enum token_status {
	TOKEN_OK = 0,
	TOKEN_INVALID = -1,	/* malformed, bad signature, wrong alg */
	TOKEN_EXPIRED = -2
};

/* A fresh token for uid; *out is malloc'd (free it). 0 or -1. */
int	token_issue(const struct config *cfg, long long uid, const char *role,
	    char **out, struct token_claims *claims);
enum token_status token_verify(const struct config *cfg, const char *token,
	    time_t now, struct token_claims *claims);

#endif
