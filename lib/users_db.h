/*
 * users_db.h - the statements about accounts: the login look-up, a new
 * user, the password, and the names the support team holds.  The REST
 * handlers and chatadm call these; SQL about users lives here (and in
 * session.c, which turns a token into its user).
 */
#ifndef CHAT_USERS_DB_H
#define CHAT_USERS_DB_H

#include "account.h"
#include "apierr.h"
#include "chat.h"
#include "db.h"
#include "password.h"

/* What a login needs of the account with a phone. */
struct users_login_row {
	struct chat_user	 user;
	char			 hash[PASSWORD_HASH_MAX];
	int			 disabled;
};

/* 1 and *out if an account has that phone, 0 if none, -1 with err. */
int	users_db_by_phone(struct db *db, const char *phone,
	    struct users_login_row *out, struct api_error *err);
/* A new end user; its id, or -1 with err (409 phone_taken, 503, ...). */
long long users_db_insert_user(struct db *db, const char *phone,
	    const char *name, const char *hash, struct api_error *err);
/* The same with any role (admins, chatadm). */
long long users_db_insert(struct db *db, const char *phone, const char *name,
	    enum chat_role role, const char *hash, struct api_error *err);
/* 0 if name is nobody's on the support team, else -1 with err (400). */
int	users_db_name_free(struct db *db, const char *name,
	    struct api_error *err);
/* The account's password hash into hash; 0 or -1 with err. */
int	users_db_hash(struct db *db, long long id, char *hash, size_t hashsz,
	    struct api_error *err);
int	users_db_set_hash(struct db *db, long long id, const char *hash,
	    struct api_error *err);

/*
 * The team: agents and admins with their availability, open conversations
 * and capacity (assign.capacity unless set), by name.  NULL with err.
 */
json_object *users_db_agents(struct db *db, const struct config *cfg,
	    struct api_error *err);
/* "online", "busy" or "offline" for agent id; 0 or -1 with err (400). */
int	users_db_set_availability(struct db *db, long long id,
	    const char *availability, struct api_error *err);

/* Account id as admins see it (model_account); NULL with err (404). */
json_object *users_db_get(struct db *db, const struct config *cfg,
	    long long id, struct api_error *err);
/*
 * Page pg (of limit) of the accounts with role ("": any) whose name or
 * phone holds q ("": any), by name; *total: how many match.  NULL + err.
 */
json_object *users_db_list(struct db *db, const struct config *cfg,
	    const char *role, const char *q, long pg, long limit,
	    long long *total, struct api_error *err);
/* Apply c to account id; 0, or -1 with err (404, 503). */
int	users_db_change(struct db *db, long long id,
	    const struct account_change *c, struct api_error *err);

#endif
