/*
 * admin.c - /api/v1/users for admins: list, add and change accounts.
 *
 * A disable or a role change revokes the account's tokens at once (REST
 * refuses them, pushd closes their sockets), and an agent who can no
 * longer hold conversations has theirs routed to others; a capacity
 * raised or an account enabled again may take from the queue.
 */
#include <string.h>

#include "account.h"
#include "handlers.h"
#include "notify.h"
#include "password.h"
#include "route_db.h"
#include "session.h"
#include "users_db.h"

static int
admin_only(const struct request *r, struct api_error *err)
{
	if (r->user.role != CHAT_ROLE_ADMIN)
		return api_fail(err, API_FORBIDDEN, "only admins manage accounts");
	return 0;
}

/* GET /api/v1/users?role=&q=&page=&limit= */
int
admin_users_list(struct request *r, struct response *resp,
    struct api_error *err)
{
	char role[16] = "", q[128] = "";
	enum chat_role rr;
	json_object *data;
	long pg, limit;
	long long total;

	if (admin_only(r, err) == -1 ||
	    http_query_long(r, "page", 1, 1, 100000, &pg, err) == -1 ||
	    http_query_long(r, "limit", 20, 1, 100, &limit, err) == -1)
		return -1;
	if (http_query(r, "role", role, sizeof(role)) == -1 ||
	    (role[0] != '\0' && chat_role_parse(role, &rr) == -1))
		return api_fail(err, API_VALIDATION,
		    "role must be User, Support or Admin");
	if (http_query(r, "q", q, sizeof(q)) == -1)
		return api_fail(err, API_VALIDATION,
		    "q must be at most %zu bytes", sizeof(q) - 1);
	if ((data = users_db_list(r->db, r->cfg, role, q, pg, limit, &total,
	    err)) == NULL)
		return -1;
	http_page(resp, data, pg, limit, total);
	return 0;
}

/* POST /api/v1/users {phone, name, password, role} */
int
admin_users_create(struct request *r, struct response *resp,
    struct api_error *err)
{
	char hash[PASSWORD_HASH_MAX];
	struct account_register in;
	enum chat_role role;
	json_object *o;
	long long id;

	if (admin_only(r, err) == -1 ||
	    account_create_parse(r->cfg, r->body, &in, &role, err) == -1)
		return -1;
	if (role == CHAT_ROLE_USER &&
	    users_db_name_free(r->db, in.name, err) == -1)
		return -1;
	if (password_hash(r->cfg, in.password, hash, sizeof(hash)) == -1)
		return api_fail(err, API_INTERNAL, "could not hash password");
	if ((id = users_db_insert(r->db, in.phone, in.name, role, hash,
	    err)) == -1 || (o = users_db_get(r->db, r->cfg, id, err)) == NULL)
		return -1;
	http_data(resp, 201, o);
	return 0;
}

/* Whoever can no longer hold conversations: theirs go to others. */
static void
admin_release(struct request *r, long long id)
{
	long long ids[ROUTE_DRAIN_MAX];
	unsigned i, n;

	if (route_db_held(r->db, id, ids, ROUTE_DRAIN_MAX, &n) == -1)
		return;
	for (i = 0; i < n; i++)
		routing_settle(r, ids[i], id);
}

/* PATCH /api/v1/users/:id {name?, role?, capacity?, disabled?} */
int
admin_users_patch(struct request *r, struct response *resp,
    struct api_error *err)
{
	struct account_change c;
	long long before;
	json_object *o;

	if (admin_only(r, err) == -1 ||
	    account_change_parse(r->body, &c, err) == -1)
		return -1;
	if (r->id == r->user.id && ((c.has_disabled && c.disabled) ||
	    (c.has_role && c.role != CHAT_ROLE_ADMIN)))
		return api_fail(err, API_VALIDATION,
		    "admins may not disable or demote themselves");
	if (users_db_change(r->db, r->id, &c, err) == -1)
		return -1;
	/* Who holds the account now decides what its tokens may do. */
	if ((c.has_disabled && c.disabled) || c.has_role) {
		if (session_revoke_user(r->db, r->cfg, r->id, &before,
		    err) == -1)
			return -1;
		(void)notify_revoke_user(r->cfg, r->id, before);
	}
	if ((c.has_disabled && c.disabled) ||
	    (c.has_role && c.role == CHAT_ROLE_USER))
		admin_release(r, r->id);
	else if (c.has_capacity || c.has_disabled || c.has_role)
		routing_drain(r, r->id);
	if ((o = users_db_get(r->db, r->cfg, r->id, err)) == NULL)
		return -1;
	http_data(resp, 200, o);
	return 0;
}
