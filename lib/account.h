/*
 * account.h - the bodies of POST /api/v1/users/login and /register, and
 * of the admins' POST /api/v1/users and PATCH /api/v1/users/:id.
 *
 * Read and checked here, apart from the database and FastCGI, so that the
 * handlers in cgi/users.c and the fuzz target tests/fuzz/fuzz_bodies.c run
 * the same code.  Strings borrow from the body: keep it until done.
 */
#ifndef CHAT_ACCOUNT_H
#define CHAT_ACCOUNT_H

#include <json-c/json.h>

#include "apierr.h"
#include "chat.h"
#include "config.h"
#include "phone.h"

#define ACCOUNT_PHONE_RAW_MAX	32	/* bytes of "phone" as typed */
#define ACCOUNT_FIELD_MAX	1024	/* bytes of "name", "password" read */

struct account_login {
	char		 phone[PHONE_MAX + 1];	/* E.164 */
	const char	*password;		/* as sent */
};

struct account_register {
	char		 phone[PHONE_MAX + 1];		/* E.164 */
	char		 name[CHAT_NAME_MAX * 4 + 1];	/* trimmed */
	const char	*password;			/* follows the rules */
};

/* 0, or -1 with err (API_VALIDATION naming the field). */
int	account_login_parse(const struct config *cfg, json_object *body,
	    struct account_login *out, struct api_error *err);
int	account_register_parse(const struct config *cfg, json_object *body,
	    struct account_register *out, struct api_error *err);
/* POST /api/v1/users (admins): an account with a role. */
int	account_create_parse(const struct config *cfg, json_object *body,
	    struct account_register *out, enum chat_role *role,
	    struct api_error *err);

#define ACCOUNT_CAPACITY_MAX	1000

/* PATCH /api/v1/users/:id (admins): what changes. */
struct account_change {
	int		 has_name, has_role, has_capacity, has_disabled;
	char		 name[CHAT_NAME_MAX * 4 + 1];
	enum chat_role	 role;
	long long	 capacity;	/* -1: back to assign.capacity */
	int		 disabled;
};
int	account_change_parse(json_object *body, struct account_change *c,
	    struct api_error *err);

/* 1 if a user's name holds a word of the help desk's own (Support...). */
int	account_name_reserved(const char *name);

#endif
