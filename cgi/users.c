/*
 * users.c - /api/v1/users: login, register, logout, me.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "handlers.h"
#include "jsonio.h"
#include "limit.h"
#include "log.h"
#include "notify.h"
#include "password.h"
#include "session.h"
#include "users_db.h"

/* {token, user} for a freshly authenticated u. */
static int
users_token_reply(struct request *r, struct response *resp, int status,
    const struct chat_user *u, struct api_error *err)
{
	struct token_claims claims;
	char *token;

	if (token_issue(r->cfg, u->id, chat_role_name(u->role), &token,
	    &claims) == -1)
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
 * Login throttling, with the limits of lib/limit.c: per phone and address
 * pair, every attempt is counted before the password is checked (one
 * atomic statement, so parallel guesses cannot slip past the count), a
 * success refunds the pair; after the burst an attempt every
 * auth.login_backoff seconds - a slow-down, never a lock-out, and only for
 * that pair, so a stranger's guesses never lock the owner out.  Per
 * address over all phones only failures count (a carrier NAT's honest
 * users do not use it up).
 */
static int
users_throttle(struct request *r, const char *pair, struct api_error *err)
{
	struct limit addr = limit_of(r->cfg, LIMIT_LOGIN_ADDR),
	    tries = limit_of(r->cfg, LIMIT_LOGIN);

	long wait;

	if (limit_room(r->db, &addr, r->remote_addr, err) == 0 &&
	    limit_take(r->db, &tries, pair, err) == 0)
		return 0;
	if (err->code == API_TOO_MANY) {
		wait = err->retry_after;
		api_fail(err, API_TOO_MANY, "too many failed logins, try again "
		    "in %ld s", wait);
		err->retry_after = wait;
	}
	return -1;
}

static int
users_failed(struct request *r, struct api_error *err)
{
	struct limit addr = limit_of(r->cfg, LIMIT_LOGIN_ADDR);
	struct api_error ignored;

	(void)limit_take(r->db, &addr, r->remote_addr, &ignored);
	/* For fail2ban: the address only, never the phone or the password. */
	log_info("failed login from %s", r->remote_addr);
	return api_fail(err, API_INVALID_CREDENTIALS,
	    "phone or password is incorrect");
}

int
users_login(struct request *r, struct response *resp, struct api_error *err)
{
	struct limit tries = limit_of(r->cfg, LIMIT_LOGIN);
	struct users_login_row row;
	struct account_login in;
	char pair[PHONE_MAX + 64];
	int found;

	if (account_login_parse(r->cfg, r->body, &in, err) == -1)
		return -1;
	if ((size_t)snprintf(pair, sizeof(pair), "%s|%s", in.phone,
	    r->remote_addr) >= sizeof(pair))
		return api_fail(err, API_BAD_REQUEST, "client address too long");
	if (users_throttle(r, pair, err) == -1)
		return -1;
	if ((found = users_db_by_phone(r->db, in.phone, &row, err)) == -1)
		return -1;
	if (found == 0) {
		/* As slow as a wrong password, so phones cannot be probed. */
		password_verify_dummy(r->cfg, in.password);
		return users_failed(r, err);
	}
	if (!password_verify(row.hash, in.password))
		return users_failed(r, err);
	limit_clear(r->db, &tries, pair);
	if (row.disabled)
		return api_fail(err, API_FORBIDDEN, "this account is disabled");
	return users_token_reply(r, resp, 200, &row.user, err);
}

int
users_register(struct request *r, struct response *resp,
    struct api_error *err)
{
	struct limit reg = limit_of(r->cfg, LIMIT_REGISTER);
	char hash[PASSWORD_HASH_MAX];
	struct account_register in;
	struct chat_user u;

	if (account_register_parse(r->cfg, r->body, &in, err) == -1)
		return -1;
	/*
	 * Before anything that tells whether the phone is taken, and before
	 * the Argon2 hash: one address cannot list the phones that have
	 * accounts, nor spend the servers' CPU on hashes.
	 */
	if (limit_take(r->db, &reg, r->remote_addr, err) == -1)
		return -1;
	limit_prune(r->db, 20);
	if (users_db_name_free(r->db, in.name, err) == -1)
		return -1;
	if (password_hash(r->cfg, in.password, hash, sizeof(hash)) == -1)
		return api_fail(err, API_INTERNAL, "could not hash password");
	memset(&u, 0, sizeof(u));
	if ((u.id = users_db_insert_user(r->db, in.phone, in.name, hash,
	    err)) == -1)
		return -1;
	memcpy(u.phone, in.phone, sizeof(u.phone));
	memcpy(u.name, in.name, sizeof(u.name));
	u.role = CHAT_ROLE_USER;
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

/*
 * POST /api/v1/users/me/password {currentPassword, newPassword}: every
 * token of the account issued before the change stops working, on REST
 * and on sockets (closed at once); the answer carries a fresh one.
 */
int
users_password(struct request *r, struct response *resp,
    struct api_error *err)
{
	struct limit tries = limit_of(r->cfg, LIMIT_LOGIN);
	char hash[PASSWORD_HASH_MAX], pair[PHONE_MAX + 64];
	const char *cur, *next, *why;
	long long before;

	if (jsonio_string(r->body, "currentPassword", 1, ACCOUNT_FIELD_MAX,
	    &cur, err) == -1 ||
	    jsonio_string(r->body, "newPassword", 1, ACCOUNT_FIELD_MAX, &next,
	    err) == -1)
		return -1;
	if ((why = password_check_rules(next)) != NULL)
		return api_fail(err, API_VALIDATION, "%s", why);
	/* Guessing the current password is throttled like a login. */
	if ((size_t)snprintf(pair, sizeof(pair), "%s|%s", r->user.phone,
	    r->remote_addr) >= sizeof(pair))
		return api_fail(err, API_BAD_REQUEST, "client address too long");
	if (users_throttle(r, pair, err) == -1)
		return -1;
	if (users_db_hash(r->db, r->user.id, hash, sizeof(hash), err) == -1)
		return -1;
	if (!password_verify(hash, cur)) {
		/* Not 401: the token is fine, the old password is not. */
		(void)users_failed(r, err);
		return api_fail(err, API_VALIDATION,
		    "currentPassword is incorrect");
	}
	limit_clear(r->db, &tries, pair);
	if (password_hash(r->cfg, next, hash, sizeof(hash)) == -1)
		return api_fail(err, API_INTERNAL, "could not hash password");
	if (users_db_set_hash(r->db, r->user.id, hash, err) == -1)
		return -1;
	if (session_revoke_user(r->db, r->cfg, r->user.id, &before, err) == -1)
		return -1;
	return users_token_reply(r, resp, 200, &r->user, err);
}

/* GET /api/v1/users/agents: the team, for agents and admins. */
int
users_agents(struct request *r, struct response *resp, struct api_error *err)
{
	json_object *arr;

	if (r->user.role == CHAT_ROLE_USER)
		return api_fail(err, API_FORBIDDEN, "only the support team "
		    "lists its agents");
	if ((arr = users_db_agents(r->db, r->cfg, err)) == NULL)
		return -1;
	http_data(resp, 200, arr);
	return 0;
}

/*
 * PATCH /api/v1/users/me {availability}: an agent or admin says they are
 * online, busy or offline; every agent hears agent:availability.
 */
int
users_patch_me(struct request *r, struct response *resp,
    struct api_error *err)
{
	const char *availability;
	json_object *u;

	if (jsonio_string(r->body, "availability", 1, 16, &availability,
	    err) == -1)
		return -1;
	if (r->user.role == CHAT_ROLE_USER)
		return api_fail(err, API_FORBIDDEN,
		    "availability is for the support team");
	if (users_db_set_availability(r->db, r->user.id, availability,
	    err) == -1)
		return -1;
	(void)notify_availability(r->cfg, r->user.id, availability);
	if (strcmp(availability, "online") == 0)
		routing_drain(r, r->user.id);
	resp->status = 200;
	resp->body = json_object_new_object();
	u = session_user_json(&r->user);
	json_object_object_add(u, "availability",
	    json_object_new_string(availability));
	json_object_object_add(resp->body, "user", u);
	return 0;
}
