/*
 * account.c - the bodies of login and register, without the database.
 */
#include <string.h>

#include "account.h"
#include "jsonio.h"
#include "password.h"

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

/* A display name: 1-100 characters of UTF-8 without control bytes. */
static int
account_name_ok(const char *s, char *out, size_t outsz)
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
account_register_parse(const struct config *cfg, json_object *body,
    struct account_register *out, struct api_error *err)
{
	const char *name, *why;

	memset(out, 0, sizeof(*out));
	if (account_phone(cfg, body, out->phone, sizeof(out->phone),
	    err) == -1 ||
	    jsonio_string(body, "name", 1, ACCOUNT_FIELD_MAX, &name,
	    err) == -1 ||
	    jsonio_string(body, "password", 1, ACCOUNT_FIELD_MAX,
	    &out->password, err) == -1)
		return -1;
	if (account_name_ok(name, out->name, sizeof(out->name)) == -1)
		return api_fail(err, API_VALIDATION,
		    "name must be 1 to 100 characters, without control "
		    "characters");
	if ((why = password_check_rules(out->password)) != NULL)
		return api_fail(err, API_VALIDATION, "%s", why);
	return 0;
}
