/*
 * search_db.h - search within the caller's reach (GET /api/v1/chat/search):
 * messages by the words of their text (FULLTEXT, every word as a prefix,
 * all of them required), and conversations by their user's name or phone
 * number (digits, with or without the country code or a leading 0).  An
 * agent searches their own conversations and the queue, an admin all;
 * the one access rule (chat.h's CHAT_SCOPED) decides.
 */
#ifndef CHAT_SEARCH_DB_H
#define CHAT_SEARCH_DB_H

#include <json-c/json.h>

#include "chat.h"

#define SEARCH_Q_MIN		2	/* characters */
#define SEARCH_Q_MAX		200
#define SEARCH_WORDS_MAX	16
#define SEARCH_WORD_MIN		3	/* InnoDB's innodb_ft_min_token_size */

struct search_query {
	char	text[SEARCH_Q_MAX * 4 + 1];	/* trimmed */
	/* "+word* +word*": the words long enough to be indexed; "" if none. */
	char	fulltext[SEARCH_Q_MAX * 4 + SEARCH_WORDS_MAX * 3 + 1];
	/* "%text%" for LIKE ... ESCAPE '!': a name that holds the text. */
	char	like[SEARCH_Q_MAX * 8 + 3];
	/* The digits of a query that is a phone number, leading 0s gone. */
	char	digits[32];
};

/* The query q (URL-decoded): 0, or -1 with err (400). */
int	search_parse(const char *q, struct search_query *out,
	    struct api_error *err);

struct search_page {
	json_object	*conversations;	/* array (caller puts) */
	json_object	*messages;	/* array of {message, conversation} */
	int		 more_conversations;
	int		 more_messages;
};

/* Page pg (from 1) of limit results of each kind, for u; 0 or -1 + err. */
int	search_db_run(struct db *db, const struct config *cfg,
	    const struct chat_user *u, const struct search_query *q, long pg,
	    long limit, struct search_page *out, struct api_error *err);

#endif
