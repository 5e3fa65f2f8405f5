/*
 * token.c - access tokens: HS256 JWTs over libjwt.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>
#include <sodium.h>

#include "jsonio.h"
#include "log.h"
#include "token.h"

static void
token_new_jti(char out[TOKEN_JTI_LEN + 1])
{
	unsigned char raw[TOKEN_JTI_LEN / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, TOKEN_JTI_LEN + 1, raw, sizeof(raw));
}

int
token_issue(const struct config *cfg, long long uid, const char *role,
    char **out, struct token_claims *c)
{
	char sub[24];
	struct timespec ts;
	jwt_t *jwt = NULL;
	int rc = -1;

	*out = NULL;
	if (cfg->jwt_secret_len < 32) {
		log_warnx("no jwt secret loaded");
		return -1;
	}
	memset(c, 0, sizeof(*c));
	c->uid = uid;
	if ((size_t)snprintf(c->role, sizeof(c->role), "%s", role) >=
	    sizeof(c->role) ||
	    (size_t)snprintf(sub, sizeof(sub), "%lld", uid) >= sizeof(sub))
		return -1;
	token_new_jti(c->jti);
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return -1;
	c->iat = (long long)ts.tv_sec;
	c->iat_ms = c->iat * 1000 + ts.tv_nsec / 1000000;
	c->exp = c->iat + cfg->jwt_ttl;
	if (jwt_new(&jwt) != 0)
		return -1;
	if (jwt_add_grant(jwt, "sub", sub) != 0 ||
	    jwt_add_grant(jwt, "role", c->role) != 0 ||
	    jwt_add_grant(jwt, "jti", c->jti) != 0 ||
	    jwt_add_grant_int(jwt, "iat", c->iat) != 0 ||
	    jwt_add_grant_int(jwt, "iatms", c->iat_ms) != 0 ||
	    jwt_add_grant_int(jwt, "exp", c->exp) != 0 ||
	    jwt_set_alg(jwt, JWT_ALG_HS256, cfg->jwt_secret,
	    (int)cfg->jwt_secret_len) != 0)
		goto done;
	if ((*out = jwt_encode_str(jwt)) == NULL)
		goto done;
	rc = 0;
done:
	jwt_free(jwt);
	return rc;
}

static int
token_is_hex(const char *s, size_t len)
{
	size_t i;

	if (strlen(s) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

enum token_status
token_verify(const struct config *cfg, const char *token, time_t now,
    struct token_claims *c)
{
	const char *s;
	jwt_t *jwt = NULL;
	enum token_status st = TOKEN_INVALID;

	memset(c, 0, sizeof(*c));
	if (token == NULL || strlen(token) > TOKEN_MAX ||
	    cfg->jwt_secret_len < 32)
		return TOKEN_INVALID;
	/* jwt_decode trusts the header's alg: pin HS256 afterwards. */
	if (jwt_decode(&jwt, token, cfg->jwt_secret,
	    (int)cfg->jwt_secret_len) != 0 || jwt == NULL)
		return TOKEN_INVALID;
	if (jwt_get_alg(jwt) != JWT_ALG_HS256)
		goto done;
	if ((s = jwt_get_grant(jwt, "sub")) == NULL ||
	    id_parse(s, &c->uid) == -1)
		goto done;
	if ((s = jwt_get_grant(jwt, "jti")) == NULL ||
	    !token_is_hex(s, TOKEN_JTI_LEN))
		goto done;
	memcpy(c->jti, s, TOKEN_JTI_LEN + 1);
	if ((s = jwt_get_grant(jwt, "role")) == NULL ||
	    (size_t)snprintf(c->role, sizeof(c->role), "%s", s) >=
	    sizeof(c->role))
		goto done;
	errno = 0;
	c->exp = jwt_get_grant_int(jwt, "exp");
	if (errno != 0 || c->exp <= 0)
		goto done;
	/* A grant of the wrong type reads as 0 without errno: refuse 0. */
	errno = 0;
	c->iat = jwt_get_grant_int(jwt, "iat");
	if (errno != 0 || c->iat <= 0 || c->iat > c->exp)
		goto done;
	/* Tokens from before iatms existed: the start of their second. */
	errno = 0;
	c->iat_ms = jwt_get_grant_int(jwt, "iatms");
	if (errno != 0 || c->iat_ms / 1000 != c->iat)
		c->iat_ms = c->iat * 1000;
	st = (long long)now >= c->exp ? TOKEN_EXPIRED : TOKEN_OK;
done:
	jwt_free(jwt);
	return st;
}
