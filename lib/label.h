/*
 * label.h - the bodies of POST /api/v1/chat/labels and PATCH
 * /api/v1/chat/labels/:id, without the database (as account.h does for
 * accounts), so that cgi/labels.c and tests/fuzz/fuzz_bodies.c run the
 * same code.
 */
#ifndef CHAT_LABEL_H
#define CHAT_LABEL_H

#include <json-c/json.h>

#include "apierr.h"

#define LABEL_NAME_MAX		40	/* characters of a name, trimmed */
#define LABEL_FIELD_MAX		1024	/* bytes of "name" read */
#define LABEL_COLOR_LEN		7	/* "#rrggbb" */
#define LABELS_PER_CONVERSATION	20

struct label_in {
	int	has_name, has_color;
	char	name[LABEL_NAME_MAX * 4 + 1];	/* trimmed */
	char	color[LABEL_COLOR_LEN + 1];	/* "#rrggbb", lower case */
};

/*
 * {name, color}: both required, or (partial, a PATCH) at least one.  0, or
 * -1 with err (API_VALIDATION naming the field).
 */
int	label_parse(json_object *body, int partial, struct label_in *out,
	    struct api_error *err);

#endif
