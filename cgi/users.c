/*
 * users.c - /api/v1/users: login, register, logout, me.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "handlers.h"
#include "jsonio.h"
#include "log.h"
#include "notify.h"
#include "password.h"
#include "session.h"

/* {token, user} for a freshly authenticated u. */
static int
users_token_reply(struct request *r, struct response *resp, int status,
    const struct chat_user *u, struct api_error *err)
{
	struct token_claims claims;
	char *token;

	if (token_issue(r->cfg, u->id, u->role, &token, &claims) == -1)
		return api_fail(err, API_INTERNAL, "could not issue a token");
	resp->status = status;
	resp->body = json_object_new_object();
	json_object_object_add(resp->body, "token",
	    json_object_new_string(token));
	json_object_object_add(resp->body, "user", session_user_json(u));
	free(token);
	return 0;
}

/*
 * Failures in the window for this phone and this address; -1 with err set
 * (429) when either is over its limit.
 */
static int
users_throttle(struct request *r, const char *phone, struct response *resp,
    struct api_error *err)
{
	static const char sql[] = "SELECT"
	    " (SELECT COUNT(*) FROM login_failures WHERE phone = ?"
	    "  AND createdAt > CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND),"
	    " (SELECT COUNT(*) FROM login_failures WHERE ip = ?"
	    "  AND createdAt > CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND)";
	const struct config *c = r->cfg;
	struct db_res *res;
	int st, over;

	if ((st = db_exec(r->db, &res, sql, "sisi", phone, c->auth_login_window,
	    r->remote_addr, c->auth_login_window)) != DB_OK)
		return chat_db_fail(err, st);
	over = db_cell_ll(res, 0, 0, 0) >= c->auth_login_max_failures ||
	    db_cell_ll(res, 0, 1, 0) >= c->auth_login_max_failures_ip;
	db_res_free(res);
	if (!over)
		return 0;
	if ((size_t)snprintf(resp->headers, sizeof(resp->headers),
	    "Retry-After: %ld\r\n", c->auth_login_window) >=
	    sizeof(resp->headers))
		resp->headers[0] = '\0';
	return api_fail(err, API_TOO_MANY,
	    "too many failed logins, try again later");
}

static int
users_record_failure(struct request *r, const char *phone,
    struct api_error *err)
{
	static const char ins[] = "INSERT INTO login_failures (phone, ip)"
	    " VALUES (?, ?)";
	static const char prune[] = "DELETE FROM login_failures"
	    " WHERE createdAt < CURRENT_TIMESTAMP(3) - INTERVAL 1 DAY LIMIT 100";

	(void)db_exec(r->db, NULL, ins, "ss", phone, r->remote_addr);
	(void)db_exec(r->db, NULL, prune, "");
	return api_fail(err, API_INVALID_CREDENTIALS,
	    "phone or password is incorrect");
}

int
users_login(struct request *r, struct response *resp, struct api_error *err)
{
	static const char sql[] = "SELECT id, role, name, phone, passwordHash"
	    " FROM users WHERE phone = ?";
	static const char clear[] = "DELETE FROM login_failures WHERE phone = ?";
	struct account_login in;
	struct chat_user u;
	struct db_res *res;
	int st, ok;

	if (account_login_parse(r->cfg, r->body, &in, err) == -1)
		return -1;
	if (users_throttle(r, in.phone, resp, err) == -1)
		return -1;
	if ((st = db_exec(r->db, &res, sql, "s", in.phone)) != DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0) {
		db_res_free(res);
		/* As slow as a wrong password, so phones cannot be probed. */
		password_verify_dummy(r->cfg, in.password);
		return users_record_failure(r, in.phone, err);
	}
	ok = password_verify(db_cell(res, 0, 4), in.password) &&
	    session_user_from_row(res, 0, &u) == 0;
	db_res_free(res);
	if (!ok)
		return users_record_failure(r, in.phone, err);
	(void)db_exec(r->db, NULL, clear, "s", in.phone);
	return users_token_reply(r, resp, 200, &u, err);
}

int
users_register(struct request *r, struct response *resp,
    struct api_error *err)
{
	static const char sql[] = "INSERT INTO users (phone, name, role,"
	    " passwordHash) VALUES (?, ?, 'User', ?)";
	char hash[PASSWORD_HASH_MAX];
	struct account_register in;
	struct chat_user u;
	struct db_res *res;
	int st;

	if (account_register_parse(r->cfg, r->body, &in, err) == -1)
		return -1;
	if (password_hash(r->cfg, in.password, hash, sizeof(hash)) == -1)
		return api_fail(err, API_INTERNAL, "could not hash password");
	st = db_exec(r->db, &res, sql, "sss", in.phone, in.name, hash);
	if (st == DB_ERR_DUP)
		return api_fail(err, API_PHONE_TAKEN,
		    "an account with this phone already exists");
	if (st != DB_OK)
		return chat_db_fail(err, st);
	memset(&u, 0, sizeof(u));
	u.id = (long long)res->insert_id;
	db_res_free(res);
	memcpy(u.phone, in.phone, sizeof(u.phone));
	memcpy(u.name, in.name, sizeof(u.name));
	memcpy(u.role, "User", sizeof("User"));
	return users_token_reply(r, resp, 201, &u, err);
}

int
users_logout(struct request *r, struct response *resp, struct api_error *err)
{
	if (session_revoke(r->db, &r->claims, err) == -1)
		return -1;
	/* Sockets opened with this token are closed too (best effort). */
	(void)notify_logout(r->cfg, r->claims.uid, r->claims.jti);
	resp->status = 200;
	resp->body = json_object_new_object();
	json_object_object_add(resp->body, "ok", json_object_new_boolean(1));
	return 0;
}

int
users_me(struct request *r, struct response *resp, struct api_error *err)
{
	(void)err;
	resp->status = 200;
	resp->body = json_object_new_object();
	json_object_object_add(resp->body, "user", session_user_json(&r->user));
	return 0;
}
