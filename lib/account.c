/*
 * account.c - the bodies of login and register, without the database.
 */
#include <ctype.h>
#include <string.h>

#include "account.h"
#include "jsonio.h"
#include "password.h"
#include "text.h"

/* The phone field, normalised to E.164. */
static int
account_phone(const struct config *cfg, json_object *body, char *out,
    size_t outsz, struct api_error *err)
{
	const char *raw;

	if (jsonio_string(body, "phone", 1, ACCOUNT_PHONE_RAW_MAX, &raw,
	    err) == -1)
		return -1;
	if (phone_normalize(raw, cfg->phone_default_cc, out, outsz) == -1)
		return api_fail(err, API_VALIDATION,
		    "phone is not a valid phone number");
	return 0;
}

int
account_login_parse(const struct config *cfg, json_object *body,
    struct account_login *out, struct api_error *err)
{
	memset(out, 0, sizeof(*out));
	if (account_phone(cfg, body, out->phone, sizeof(out->phone),
	    err) == -1 ||
	    jsonio_string(body, "password", 1, ACCOUNT_FIELD_MAX,
	    &out->password, err) == -1)
		return -1;
	return 0;
}

/*
 * Words that make a user's name read as the help desk's own ("Support",
 * "Admin", "सहायता"): ASCII ones as whole words in any case, the others
 * anywhere in the name.
 */
static const char *const reserved_words[] = {
	"admin", "administrator", "agent", "helpdesk", "moderator",
	"official", "support", "system",
};
static const char *const reserved_parts[] = {
	"\u0938\u0939\u093e\u092f\u0924\u093e",	/* sahayata, help */
	"\u090f\u0921\u092e\u093f\u0928",		/* admin */
	"\u092a\u094d\u0930\u0936\u093e\u0938\u0915",	/* prashasak */
	"\u090f\u091c\u0947\u0902\u091f",		/* agent */
};

int
account_name_reserved(const char *name)
{
	char word[32];
	size_t i, n, k;
	const char *p;

	for (i = 0; i < sizeof(reserved_parts) / sizeof(reserved_parts[0]); i++)
		if (strstr(name, reserved_parts[i]) != NULL)
			return 1;
	for (p = name; *p != '\0'; p += n) {
		for (n = 0; isalpha((unsigned char)p[n]); n++)
			;
		if (n == 0) {
			n = 1;
			continue;
		}
		if (n >= sizeof(word))
			continue;
		for (k = 0; k < n; k++)
			word[k] = (char)tolower((unsigned char)p[k]);
		word[n] = '\0';
		for (i = 0; i < sizeof(reserved_words) /
		    sizeof(reserved_words[0]); i++)
			if (strcmp(word, reserved_words[i]) == 0)
				return 1;
	}
	return 0;
}

/* "name" (required or not) trimmed into out; 1 if there, 0, or -1. */
static int
account_name(json_object *body, int required, char *out, size_t outsz,
    struct api_error *err)
{
	const char *name;

	if (jsonio_string(body, "name", required, ACCOUNT_FIELD_MAX, &name,
	    err) == -1)
		return -1;
	if (name == NULL)
		return 0;
	if (text_name(name, CHAT_NAME_MAX, out, outsz) == -1)
		return api_fail(err, API_VALIDATION,
		    "name must be 1 to 100 visible characters, without control "
		    "or direction characters");
	return 1;
}

/* Phone, name and password of a new account. */
static int
account_fields(const struct config *cfg, json_object *body,
    struct account_register *out, struct api_error *err)
{
	const char *why;

	memset(out, 0, sizeof(*out));
	if (account_phone(cfg, body, out->phone, sizeof(out->phone),
	    err) == -1 ||
	    account_name(body, 1, out->name, sizeof(out->name), err) == -1 ||
	    jsonio_string(body, "password", 1, ACCOUNT_FIELD_MAX,
	    &out->password, err) == -1)
		return -1;
	if ((why = password_check_rules(out->password)) != NULL)
		return api_fail(err, API_VALIDATION, "%s", why);
	return 0;
}

int
account_register_parse(const struct config *cfg, json_object *body,
    struct account_register *out, struct api_error *err)
{
	if (account_fields(cfg, body, out, err) == -1)
		return -1;
	if (account_name_reserved(out->name))
		return api_fail(err, API_VALIDATION,
		    "name may not contain words such as Support or Admin");
	return 0;
}

/* "role": User, Support or Admin. */
static int
account_role(json_object *body, int required, int *has, enum chat_role *role,
    struct api_error *err)
{
	const char *name;

	if (jsonio_string(body, "role", required, 16, &name, err) == -1)
		return -1;
	*has = name != NULL;
	if (name != NULL && chat_role_parse(name, role) == -1)
		return api_fail(err, API_VALIDATION,
		    "role must be User, Support or Admin");
	return 0;
}

int
account_create_parse(const struct config *cfg, json_object *body,
    struct account_register *out, enum chat_role *role,
    struct api_error *err)
{
	int has;

	if (account_fields(cfg, body, out, err) == -1 ||
	    account_role(body, 1, &has, role, err) == -1)
		return -1;
	/* The help desk's words are for its own people only. */
	if (*role == CHAT_ROLE_USER && account_name_reserved(out->name))
		return api_fail(err, API_VALIDATION,
		    "name may not contain words such as Support or Admin");
	return 0;
}

/* "capacity": an integer 0-ACCOUNT_CAPACITY_MAX, or null (the default). */
static int
account_capacity(json_object *body, struct account_change *c,
    struct api_error *err)
{
	json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(body, "capacity", &v))
		return 0;
	c->has_capacity = 1;
	c->capacity = -1;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_int) ||
	    (n = json_object_get_int64(v)) < 0 || n > ACCOUNT_CAPACITY_MAX)
		return api_fail(err, API_VALIDATION, "capacity must be a "
		    "whole number from 0 to %d, or null", ACCOUNT_CAPACITY_MAX);
	c->capacity = n;
	return 0;
}

int
account_change_parse(json_object *body, struct account_change *c,
    struct api_error *err)
{
	json_object *v;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = account_name(body, 0, c->name, sizeof(c->name), err)) == -1 ||
	    account_role(body, 0, &c->has_role, &c->role, err) == -1 ||
	    account_capacity(body, c, err) == -1)
		return -1;
	c->has_name = rc == 1;
	if (json_object_object_get_ex(body, "disabled", &v) && v != NULL) {
		if (jsonio_bool(body, "disabled", &c->disabled, err) == -1)
			return -1;
		c->has_disabled = 1;
	}
	if (!c->has_name && !c->has_role && !c->has_capacity &&
	    !c->has_disabled)
		return api_fail(err, API_VALIDATION,
		    "give name, role, capacity or disabled");
	return 0;
}
