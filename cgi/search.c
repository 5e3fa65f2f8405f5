/*
 * search.c - GET /api/v1/chat/search?q=&page=&limit=: conversations whose
 * user's name or phone number matches, and messages whose words do, within
 * the caller's reach (search_db.h).  A message found opens in context with
 * GET /api/v1/chat/messages/:id?around=<messageId> (messages.c).
 */
#include "handlers.h"
#include "search_db.h"

#define SEARCH_LIMIT_DEFAULT	20
#define SEARCH_LIMIT_MAX	50
#define SEARCH_PAGE_MAX		1000

int
search_get(struct request *r, struct response *resp, struct api_error *err)
{
	struct search_query q;
	struct search_page pg;
	char text[SEARCH_Q_MAX * 4 + 64];
	json_object *data, *page;
	long n, limit;
	int st;

	if ((st = http_query(r, "q", text, sizeof(text))) != 1)
		return api_fail(err, API_VALIDATION, "q must be %d to %d "
		    "characters", SEARCH_Q_MIN, SEARCH_Q_MAX);
	if (search_parse(text, &q, err) == -1 ||
	    http_query_long(r, "page", 1, 1, SEARCH_PAGE_MAX, &n, err) == -1 ||
	    http_query_long(r, "limit", SEARCH_LIMIT_DEFAULT, 1,
	    SEARCH_LIMIT_MAX, &limit, err) == -1 ||
	    search_db_run(r->db, r->cfg, &r->user, &q, n, limit, &pg,
	    err) == -1)
		return -1;
	data = json_object_new_object();
	json_object_object_add(data, "conversations", pg.conversations);
	json_object_object_add(data, "messages", pg.messages);
	http_data(resp, 200, data);
	page = json_object_new_object();
	json_object_object_add(page, "page", json_object_new_int64(n));
	json_object_object_add(page, "limit", json_object_new_int64(limit));
	json_object_object_add(page, "hasMoreConversations",
	    json_object_new_boolean(pg.more_conversations));
	json_object_object_add(page, "hasMoreMessages",
	    json_object_new_boolean(pg.more_messages));
	json_object_object_add(resp->body, "pagination", page);
	return 0;
}
