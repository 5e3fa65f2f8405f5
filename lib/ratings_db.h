/*
 * ratings_db.h - satisfaction: the user of a resolved conversation rates
 * that resolution once, 1 to 5 with an optional comment
 * (POST /api/v1/chat/conversations/:id/rating).  The rating is kept with
 * the resolution it rates (the conversation's resolvedAt) and the agent
 * who had it, for the reports.
 */
#ifndef CHAT_RATINGS_DB_H
#define CHAT_RATINGS_DB_H

#include <json-c/json.h>

#include "chat.h"

#define RATING_COMMENT_MAX	1000	/* characters */

struct rating_in {
	int	score;				/* 1..5 */
	int	has_comment;
	char	comment[RATING_COMMENT_MAX * 4 + 1];	/* trimmed */
};

/* {score, comment?}: 0, or -1 with err (400). */
int	rating_parse(json_object *body, struct rating_in *in,
	    struct api_error *err);

/*
 * Store u's rating of conversation id's current resolution: 0, or -1
 * with err: 403 for the support team, 404 if it is not u's, 409 if it is
 * not resolved or this resolution is rated already.
 */
int	rating_db_add(struct db *db, const struct chat_user *u, long long id,
	    const struct rating_in *in, struct api_error *err);

#endif
