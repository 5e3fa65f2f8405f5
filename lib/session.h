/*
 * session.h - from a bearer token to the user it names.
 *
 * The signature and expiry are checked first (no database needed), then one
 * query loads the user and looks the token's jti up in the logout
 * deny-list.  The role comes from the database, not the token, so a role
 * change applies at once.
 */
#ifndef CHAT_SESSION_H
#define CHAT_SESSION_H

#include "apierr.h"
#include "chat.h"
#include "config.h"
#include "db.h"
#include "token.h"

int	session_authenticate(struct db *db, const struct config *cfg,
	    const char *token, struct chat_user *user,
	    struct token_claims *claims, struct api_error *err);
/* Put the token's jti on the deny-list until it expires. */
int	session_revoke(struct db *db, const struct token_claims *claims,
	    struct api_error *err);
/*
 * Revoke every token of uid issued before now (a password, role or status
 * change), and tell pushd to close their sockets.  *before_ms: the cut.
 */
int	session_revoke_user(struct db *db, const struct config *cfg,
	    long long uid, long long *before_ms, struct api_error *err);
/* Load a user by id into u; 0, or -1 with err (404 if absent). */
int	session_load_user(struct db *db, long long id, struct chat_user *u,
	    struct api_error *err);
/* A row whose first columns are id, role, name, phone; 0 or -1. */
int	session_user_from_row(const struct db_res *res, unsigned row,
	    struct chat_user *u);
/* {id, _id, name, phone, role} for login and register answers. */
json_object *session_user_json(const struct chat_user *u);

#endif
