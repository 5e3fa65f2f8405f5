/*
 * label.c - a label's body, without the database (label.h).
 */
#include <ctype.h>
#include <string.h>

#include "jsonio.h"
#include "label.h"
#include "text.h"

/* "name": 1-LABEL_NAME_MAX visible characters once trimmed. */
static int
label_name(json_object *body, int required, struct label_in *out,
    struct api_error *err)
{
	const char *s;

	if (jsonio_string(body, "name", required, LABEL_FIELD_MAX, &s,
	    err) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (text_name(s, LABEL_NAME_MAX, out->name, sizeof(out->name)) == -1)
		return api_fail(err, API_VALIDATION, "name must be 1 to %d "
		    "visible characters, without control or direction "
		    "characters", LABEL_NAME_MAX);
	out->has_name = 1;
	return 0;
}

/* "color": "#rrggbb" in either case, kept in lower case. */
static int
label_color(json_object *body, int required, struct label_in *out,
    struct api_error *err)
{
	const char *s;
	size_t i;

	if (jsonio_string(body, "color", required, 16, &s, err) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (strlen(s) != LABEL_COLOR_LEN || s[0] != '#' ||
	    strspn(s + 1, "0123456789abcdefABCDEF") != LABEL_COLOR_LEN - 1)
		return api_fail(err, API_VALIDATION,
		    "color must be #rrggbb (six hexadecimal digits)");
	for (i = 0; i <= LABEL_COLOR_LEN; i++)
		out->color[i] = (char)tolower((unsigned char)s[i]);
	out->has_color = 1;
	return 0;
}

int
label_parse(json_object *body, int partial, struct label_in *out,
    struct api_error *err)
{
	memset(out, 0, sizeof(*out));
	if (label_name(body, !partial, out, err) == -1 ||
	    label_color(body, !partial, out, err) == -1)
		return -1;
	if (!out->has_name && !out->has_color)
		return api_fail(err, API_VALIDATION, "give name or color");
	return 0;
}
