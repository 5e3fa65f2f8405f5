/*
 * session.c - bearer tokens to users, and logout.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jsonio.h"
#include "notify.h"
#include "session.h"

int
session_user_from_row(const struct db_res *res, unsigned row,
    struct chat_user *u)
{
	const char *role = db_cell(res, row, 1), *name = db_cell(res, row, 2),
	    *phone = db_cell(res, row, 3);

	memset(u, 0, sizeof(*u));
	u->id = db_cell_ll(res, row, 0, -1);
	if (role == NULL || name == NULL || phone == NULL ||
	    chat_role_parse(role, &u->role) == -1 ||
	    (size_t)snprintf(u->name, sizeof(u->name), "%s", name) >=
	    sizeof(u->name) ||
	    (size_t)snprintf(u->phone, sizeof(u->phone), "%s", phone) >=
	    sizeof(u->phone))
		return -1;
	return 0;
}

int
session_authenticate(struct db *db, const struct config *cfg,
    const char *token, struct chat_user *user, struct token_claims *claims,
    struct api_error *err)
{
	static const char sql[] = "SELECT u.id, u.role, u.name, u.phone,"
	    " (SELECT COUNT(*) FROM revoked_tokens WHERE jti = ?),"
	    " u.tokensValidAfter, u.disabled"
	    " FROM users u WHERE u.id = ?";
	struct db_res *res;
	int st, revoked, disabled;

	switch (token_verify(cfg, token, time(NULL), claims)) {
	case TOKEN_OK:
		break;
	case TOKEN_EXPIRED:
		return api_fail(err, API_UNAUTHORIZED, "token expired");
	default:
		return api_fail(err, API_UNAUTHORIZED, "invalid token");
	}
	if ((st = db_exec(db, &res, sql, "si", claims->jti, claims->uid)) !=
	    DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0) {
		db_res_free(res);
		return api_fail(err, API_UNAUTHORIZED, "invalid token");
	}
	/*
	 * Logged out, or issued before the account's password, role or
	 * status last changed: the authority it names is no longer the
	 * account's.
	 */
	revoked = db_cell_ll(res, 0, 4, 0) > 0 ||
	    claims->iat_ms < db_cell_ll(res, 0, 5, 0);
	disabled = db_cell_ll(res, 0, 6, 0) != 0;
	st = session_user_from_row(res, 0, user);
	db_res_free(res);
	if (st == -1)
		return api_fail(err, API_INTERNAL, "bad user row");
	if (disabled)
		return api_fail(err, API_UNAUTHORIZED, "account disabled");
	if (revoked)
		return api_fail(err, API_UNAUTHORIZED, "token revoked");
	return 0;
}

int
session_revoke(struct db *db, const struct token_claims *claims,
    struct api_error *err)
{
	static const char ins[] = "INSERT IGNORE INTO revoked_tokens"
	    " (jti, expiresAt) VALUES (?, FROM_UNIXTIME(?))";
	static const char prune[] = "DELETE FROM revoked_tokens"
	    " WHERE expiresAt < CURRENT_TIMESTAMP(3) LIMIT 100";
	int st;

	if ((st = db_exec(db, NULL, ins, "si", claims->jti, claims->exp)) !=
	    DB_OK)
		return chat_db_fail(err, st);
	/* Housekeeping; failure here changes nothing for the caller. */
	(void)db_exec(db, NULL, prune, "");
	return 0;
}

int
session_revoke_user(struct db *db, const struct config *cfg, long long uid,
    long long *before_ms, struct api_error *err)
{
	static const char sql[] = "UPDATE users SET tokensValidAfter ="
	    " GREATEST(tokensValidAfter, ?) WHERE id = ?";
	struct timespec ts;
	int st;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return api_fail(err, API_INTERNAL, "no clock");
	*before_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if ((st = db_exec(db, NULL, sql, "ii", *before_ms, uid)) != DB_OK)
		return chat_db_fail(err, st);
	/* Open sockets of those tokens go at once (best effort). */
	(void)notify_revoke_user(cfg, uid, *before_ms);
	return 0;
}

int
session_load_user(struct db *db, long long id, struct chat_user *u,
    struct api_error *err)
{
	static const char sql[] = "SELECT id, role, name, phone FROM users"
	    " WHERE id = ?";
	struct db_res *res;
	int st;

	if ((st = db_exec(db, &res, sql, "i", id)) != DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0) {
		db_res_free(res);
		return api_fail(err, API_NOT_FOUND, "user not found");
	}
	st = session_user_from_row(res, 0, u);
	db_res_free(res);
	return st == -1 ? api_fail(err, API_INTERNAL, "bad user row") : 0;
}

json_object *
session_user_json(const struct chat_user *u)
{
	json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	json_object_object_add(o, "id", jsonio_id_new(u->id));
	json_object_object_add(o, "_id", jsonio_id_new(u->id));
	json_object_object_add(o, "name", json_object_new_string(u->name));
	json_object_object_add(o, "phone", json_object_new_string(u->phone));
	json_object_object_add(o, "role",
	    json_object_new_string(chat_role_name(u->role)));
	return o;
}
