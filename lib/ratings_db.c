/*
 * ratings_db.c - satisfaction ratings (ratings_db.h).
 */
#include <string.h>

#include "jsonio.h"
#include "ratings_db.h"
#include "text.h"

/* The comment trimmed of ASCII white space; blank is none. */
static int
rating_comment(json_object *body, struct rating_in *in, struct api_error *err)
{
	const char *s;
	size_t len, i, chars = 0;

	/* RATING_COMMENT_MAX characters are at most 4 bytes each. */
	if (jsonio_string(body, "comment", 0, RATING_COMMENT_MAX * 4, &s,
	    err) == -1)
		return -1;
	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		len--;
	if (!utf8_valid(s, len))
		return api_fail(err, API_VALIDATION, "comment must be UTF-8");
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	if (chars > RATING_COMMENT_MAX)
		return api_fail(err, API_VALIDATION,
		    "comment is longer than %d characters", RATING_COMMENT_MAX);
	if (len > 0 && !text_blank(s, len)) {
		memcpy(in->comment, s, len);	/* len <= 4 * the cap */
		in->comment[len] = '\0';
		in->has_comment = 1;
	}
	return 0;
}

int
rating_parse(json_object *body, struct rating_in *in, struct api_error *err)
{
	json_object *v;
	int64_t score;

	memset(in, 0, sizeof(*in));
	if (!json_object_object_get_ex(body, "score", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    (score = json_object_get_int64(v)) < 1 || score > 5)
		return api_fail(err, API_VALIDATION,
		    "score must be a whole number from 1 to 5");
	in->score = (int)score;
	return rating_comment(body, in, err);
}

int
rating_db_add(struct db *db, const struct chat_user *u, long long id,
    const struct rating_in *in, struct api_error *err)
{
	/* The resolution rated is the one the conversation is in now. */
	static const char ins[] = "INSERT INTO conversation_ratings"
	    " (conversationId, userId, supportId, resolvedAt, score, comment)"
	    " SELECT c.id, c.userId, c.assignedSupportId, c.resolvedAt, ?, ?"
	    " FROM conversations c"
	    " WHERE c.id = ? AND c.userId = ? AND c.status = 'resolved'"
	    " AND c.resolvedAt IS NOT NULL";
	struct chat_conv conv;
	struct db_res *res;
	int st, stored;

	if (u->role != CHAT_ROLE_USER)
		return api_fail(err, API_FORBIDDEN,
		    "a conversation is rated by its user");
	if (chat_conversation_access(db, u, id, &conv, err) == -1)
		return -1;
	st = db_exec(db, &res, ins, "isii", (long long)in->score,
	    in->has_comment ? in->comment : NULL, id, u->id);
	if (st == DB_ERR_DUP)
		return api_fail(err, API_CONFLICT,
		    "this resolution is rated already");
	if (st != DB_OK)
		return chat_db_fail(err, st);
	stored = res->affected == 1;
	db_res_free(res);
	if (!stored)
		return api_fail(err, API_CONFLICT,
		    "only a resolved conversation is rated");
	return 0;
}
