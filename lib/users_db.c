/*
 * users_db.c - the statements about accounts (users_db.h).
 */
#include <stdio.h>
#include <string.h>

#include "model.h"
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
	return users_db_insert(db, phone, name, CHAT_ROLE_USER, hash, err);
}

long long
users_db_insert(struct db *db, const char *phone, const char *name,
    enum chat_role role, const char *hash, struct api_error *err)
{
	static const char sql[] = "INSERT INTO users (phone, name, role,"
	    " passwordHash) VALUES (?, ?, ?, ?)";
	struct db_res *res;
	long long id;
	int st;

	st = db_exec(db, &res, sql, "ssss", phone, name, chat_role_name(role),
	    hash);
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

json_object *
users_db_agents(struct db *db, const struct config *cfg, struct api_error *err)
{
	static const char sql[] = "SELECT u.id, u.name, u.role, u.isOnline,"
	    " u.availability, (SELECT COUNT(*) FROM conversations c"
	    "  WHERE c.assignedSupportId = u.id"
	    "  AND c.status IN ('open', 'pending')),"
	    " COALESCE(u.capacity, ?) FROM users u"
	    " WHERE u.role IN ('Support', 'Admin') AND u.disabled = 0"
	    " ORDER BY u.name, u.id";
	enum { A_ID, A_NAME, A_ROLE, A_ONLINE, A_AVAIL, A_OPEN, A_CAPACITY };
	struct db_res *res;
	json_object *arr, *o;
	unsigned i;
	int st;

	if ((st = db_exec(db, &res, sql, "i", (long long)cfg->assign_capacity)) !=
	    DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	arr = json_object_new_array();
	for (i = 0; i < res->nrows; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "_id",
		    json_object_new_string(db_cell(res, i, A_ID)));
		json_object_object_add(o, "name",
		    json_object_new_string(db_cell(res, i, A_NAME)));
		json_object_object_add(o, "role",
		    json_object_new_string(db_cell(res, i, A_ROLE)));
		json_object_object_add(o, "isOnline", json_object_new_boolean(
		    db_cell_ll(res, i, A_ONLINE, 0) == 1));
		json_object_object_add(o, "availability",
		    json_object_new_string(db_cell(res, i, A_AVAIL)));
		json_object_object_add(o, "openCount", json_object_new_int64(
		    db_cell_ll(res, i, A_OPEN, 0)));
		json_object_object_add(o, "capacity", json_object_new_int64(
		    db_cell_ll(res, i, A_CAPACITY, 0)));
		json_object_array_add(arr, o);
	}
	db_res_free(res);
	return arr;
}

int
users_db_set_availability(struct db *db, long long id,
    const char *availability, struct api_error *err)
{
	static const char sql[] = "UPDATE users SET availability = ?"
	    " WHERE id = ? AND role IN ('Support', 'Admin')";
	int st;

	if (strcmp(availability, "online") != 0 &&
	    strcmp(availability, "busy") != 0 &&
	    strcmp(availability, "offline") != 0)
		return api_fail(err, API_VALIDATION,
		    "availability must be online, busy or offline");
	if ((st = db_exec(db, NULL, sql, "si", availability, id)) != DB_OK)
		return chat_db_fail(err, st);
	return 0;
}

/* --- the admins' view of accounts ------------------------------------------ */

json_object *
users_db_get(struct db *db, const struct config *cfg, long long id,
    struct api_error *err)
{
	static const char sql[] = "SELECT " MODEL_ACCOUNT_COLUMNS
	    " FROM users u WHERE u.id = ?";
	struct db_res *res;
	json_object *o;
	int st;

	if ((st = db_exec(db, &res, sql, "ii", (long long)cfg->assign_capacity,
	    id)) != DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	o = res->nrows == 1 ? model_account(res, 0) : NULL;
	db_res_free(res);
	if (o == NULL)
		api_fail(err, API_NOT_FOUND, "user not found");
	return o;
}

/*
 * One statement for every filter: role ('' any) and q ('' any: a part of
 * the name, or of the phone's digits).
 */
#define ACCOUNTS_WHERE \
	" WHERE (? = '' OR u.role = ?)" \
	" AND (? = '' OR LOCATE(?, u.name) > 0 OR LOCATE(?, u.phone) > 0)"

json_object *
users_db_list(struct db *db, const struct config *cfg, const char *role,
    const char *q, long pg, long limit, long long *total,
    struct api_error *err)
{
	static const char list[] = "SELECT " MODEL_ACCOUNT_COLUMNS
	    " FROM users u" ACCOUNTS_WHERE " ORDER BY u.name, u.id"
	    " LIMIT ? OFFSET ?";
	static const char count[] = "SELECT COUNT(*) FROM users u"
	    ACCOUNTS_WHERE;
	struct db_res *res;
	json_object *arr;
	unsigned i;
	int st;

	if ((st = db_exec(db, &res, count, "sssss", role, role, q, q, q)) !=
	    DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	*total = db_cell_ll(res, 0, 0, 0);
	db_res_free(res);
	if ((st = db_exec(db, &res, list, "isssssii",
	    (long long)cfg->assign_capacity, role, role, q, q, q,
	    (long long)limit, (long long)(pg - 1) * limit)) != DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	arr = json_object_new_array();
	for (i = 0; i < res->nrows; i++)
		json_object_array_add(arr, model_account(res, i));
	db_res_free(res);
	return arr;
}

int
users_db_change(struct db *db, long long id, const struct account_change *c,
    struct api_error *err)
{
	/* Each column only if asked (IF(has, new, old)); capacity -1: NULL. */
	static const char sql[] = "UPDATE users SET"
	    " name = IF(?, ?, name), role = IF(?, ?, role),"
	    " capacity = IF(?, NULLIF(?, -1), capacity),"
	    " disabled = IF(?, ?, disabled) WHERE id = ?";
	static const char exists[] = "SELECT COUNT(*) FROM users WHERE id = ?";
	struct db_res *res;
	int st, found;

	if ((st = db_exec(db, &res, exists, "i", id)) != DB_OK)
		return chat_db_fail(err, st);
	found = db_cell_ll(res, 0, 0, 0) == 1;
	db_res_free(res);
	if (!found)
		return api_fail(err, API_NOT_FOUND, "user not found");
	if ((st = db_exec(db, NULL, sql, "isisiiiii", (long long)c->has_name,
	    c->name, (long long)c->has_role, chat_role_name(c->role),
	    (long long)c->has_capacity, c->capacity,
	    (long long)c->has_disabled, (long long)c->disabled, id)) != DB_OK)
		return chat_db_fail(err, st);
	return 0;
}
