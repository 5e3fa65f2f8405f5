/*
 * users.c - /api/v1/users: login, register, logout, me.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "jsonio.h"
#include "log.h"
#include "password.h"
#include "session.h"

#define LOGIN_PHONE_RAW_MAX	32

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
	const char *raw, *pw;
	char phone[PHONE_MAX + 1];
	struct chat_user u;
	struct db_res *res;
	int st, ok;

	if (jsonio_string(r->body, "phone", 1, LOGIN_PHONE_RAW_MAX, &raw,
	    err) == -1 ||
	    jsonio_string(r->body, "password", 1, 1024, &pw, err) == -1)
		return -1;
	if (phone_normalize(raw, r->cfg->phone_default_cc, phone,
	    sizeof(phone)) == -1)
		return api_fail(err, API_VALIDATION,
		    "phone is not a valid phone number");
	if (users_throttle(r, phone, resp, err) == -1)
		return -1;
	if ((st = db_exec(r->db, &res, sql, "s", phone)) != DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0) {
		db_res_free(res);
		/* As slow as a wrong password, so phones cannot be probed. */
		password_verify_dummy(r->cfg, pw);
		return users_record_failure(r, phone, err);
	}
	ok = password_verify(db_cell(res, 0, 4), pw) &&
	    session_user_from_row(res, 0, &u) == 0;
	db_res_free(res);
	if (!ok)
		return users_record_failure(r, phone, err);
	(void)db_exec(r->db, NULL, clear, "s", phone);
	return users_token_reply(r, resp, 200, &u, err);
}

/* A display name: 1-100 characters of UTF-8 without control bytes. */
static int
users_name_ok(const char *s, char *out, size_t outsz)
{
	size_t len, chars = 0, i;

	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 0 || len >= outsz || !utf8_valid(s, len))
		return -1;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return -1;
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	}
	if (chars > CHAT_NAME_MAX)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int
users_register(struct request *r, struct response *resp,
    struct api_error *err)
{
	static const char sql[] = "INSERT INTO users (phone, name, role,"
	    " passwordHash) VALUES (?, ?, 'User', ?)";
	char hash[PASSWORD_HASH_MAX];
	const char *raw, *name, *pw, *why;
	struct chat_user u;
	struct db_res *res;
	int st;

	memset(&u, 0, sizeof(u));
	if (jsonio_string(r->body, "phone", 1, LOGIN_PHONE_RAW_MAX, &raw,
	    err) == -1 ||
	    jsonio_string(r->body, "name", 1, 1024, &name, err) == -1 ||
	    jsonio_string(r->body, "password", 1, 1024, &pw, err) == -1)
		return -1;
	if (phone_normalize(raw, r->cfg->phone_default_cc, u.phone,
	    sizeof(u.phone)) == -1)
		return api_fail(err, API_VALIDATION,
		    "phone is not a valid phone number");
	if (users_name_ok(name, u.name, sizeof(u.name)) == -1)
		return api_fail(err, API_VALIDATION,
		    "name must be 1 to 100 characters, without control "
		    "characters");
	if ((why = password_check_rules(pw)) != NULL)
		return api_fail(err, API_VALIDATION, "%s", why);
	if (password_hash(r->cfg, pw, hash, sizeof(hash)) == -1)
		return api_fail(err, API_INTERNAL, "could not hash password");
	st = db_exec(r->db, &res, sql, "sss", u.phone, u.name, hash);
	if (st == DB_ERR_DUP)
		return api_fail(err, API_PHONE_TAKEN,
		    "an account with this phone already exists");
	if (st != DB_OK)
		return chat_db_fail(err, st);
	u.id = (long long)res->insert_id;
	db_res_free(res);
	memcpy(u.role, "User", sizeof("User"));
	return users_token_reply(r, resp, 201, &u, err);
}

int
users_logout(struct request *r, struct response *resp, struct api_error *err)
{
	if (session_revoke(r->db, &r->claims, err) == -1)
		return -1;
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
