/*
 * users_db.c - the statements about accounts (users_db.h).
 */
#include <stdio.h>
#include <string.h>

#include "session.h"
#include "users_db.h"

/* The columns of a login look-up, by name. */
enum { LOGIN_ID, LOGIN_ROLE, LOGIN_NAME, LOGIN_PHONE, LOGIN_HASH,
	LOGIN_DISABLED };

int
users_db_by_phone(struct db *db, const char *phone,
    struct users_login_row *out, struct api_error *err)
{
	/* session_user_from_row reads the first four: id, role, name, phone. */
	static const char sql[] = "SELECT id, role, name, phone, passwordHash,"
	    " disabled FROM users WHERE phone = ?";
	struct db_res *res;
	int st, bad;

	memset(out, 0, sizeof(*out));
	if ((st = db_exec(db, &res, sql, "s", phone)) != DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0) {
		db_res_free(res);
		return 0;
	}
	bad = session_user_from_row(res, 0, &out->user) == -1 ||
	    db_cell(res, 0, LOGIN_HASH) == NULL ||
	    (size_t)snprintf(out->hash, sizeof(out->hash), "%s",
	    db_cell(res, 0, LOGIN_HASH)) >= sizeof(out->hash);
	out->disabled = db_cell_ll(res, 0, LOGIN_DISABLED, 0) != 0;
	db_res_free(res);
	return bad ? api_fail(err, API_INTERNAL, "bad user row") : 1;
}

long long
users_db_insert_user(struct db *db, const char *phone, const char *name,
    const char *hash, struct api_error *err)
{
	static const char sql[] = "INSERT INTO users (phone, name, role,"
	    " passwordHash) VALUES (?, ?, 'User', ?)";
	struct db_res *res;
	long long id;
	int st;

	st = db_exec(db, &res, sql, "sss", phone, name, hash);
	if (st == DB_ERR_DUP)
		return api_fail(err, API_PHONE_TAKEN,
		    "an account with this phone already exists");
	if (st != DB_OK)
		return chat_db_fail(err, st);
	id = (long long)res->insert_id;
	db_res_free(res);
	return id;
}

int
users_db_name_free(struct db *db, const char *name, struct api_error *err)
{
	/* The collation ignores case: "meera iyer" is Meera Iyer. */
	static const char sql[] = "SELECT COUNT(*) FROM users"
	    " WHERE role <> 'User' AND name = ?";
	struct db_res *res;
	int st, taken;

	if ((st = db_exec(db, &res, sql, "s", name)) != DB_OK)
		return chat_db_fail(err, st);
	taken = db_cell_ll(res, 0, 0, 0) > 0;
	db_res_free(res);
	return taken ? api_fail(err, API_VALIDATION,
	    "this name belongs to the support team") : 0;
}

int
users_db_hash(struct db *db, long long id, char *hash, size_t hashsz,
    struct api_error *err)
{
	static const char sql[] = "SELECT passwordHash FROM users WHERE id = ?";
	struct db_res *res;
	int st, bad;

	if ((st = db_exec(db, &res, sql, "i", id)) != DB_OK)
		return chat_db_fail(err, st);
	bad = res->nrows != 1 || db_cell(res, 0, 0) == NULL ||
	    (size_t)snprintf(hash, hashsz, "%s", db_cell(res, 0, 0)) >= hashsz;
	db_res_free(res);
	return bad ? api_fail(err, API_NOT_FOUND, "user not found") : 0;
}

int
users_db_set_hash(struct db *db, long long id, const char *hash,
    struct api_error *err)
{
	static const char sql[] = "UPDATE users SET passwordHash = ?"
	    " WHERE id = ?";
	int st;

	if ((st = db_exec(db, NULL, sql, "si", hash, id)) != DB_OK)
		return chat_db_fail(err, st);
	return 0;
}
