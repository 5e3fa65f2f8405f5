/*
 * ratings.c - POST /api/v1/chat/conversations/:id/rating {score, comment?}:
 * the user of a resolved conversation says how it went, once per
 * resolution.  The team hears of it as a conversation:updated.
 */
#include "handlers.h"
#include "notify.h"
#include "ratings_db.h"

int
conversations_rate(struct request *r, struct response *resp,
    struct api_error *err)
{
	struct rating_in in;

	if (rating_parse(r->body, &in, err) == -1 ||
	    rating_db_add(r->db, &r->user, r->id, &in, err) == -1)
		return -1;
	(void)notify_updated(r->cfg, r->id, 0, 0);
	if (conversations_get(r, resp, err) == -1)
		return -1;
	resp->status = 201;
	return 0;
}
