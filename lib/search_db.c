/*
 * search_db.c - search (search_db.h).
 *
 * The words of a query become a boolean-mode FULLTEXT query, "+word*" for
 * each word InnoDB indexes (SEARCH_WORD_MIN characters or more): every
 * word must be there, as the start of a word.  A word is what InnoDB's
 * parser takes as one: ASCII letters, digits and '_', and the characters
 * of other scripts, letters and combining marks alike (Devanagari's
 * vowel signs are marks), but not their punctuation.
 */
#include <string.h>

#include "jsonio.h"
#include "labels_db.h"
#include "model.h"
#include "search_db.h"

/* The code point at s (len > 0 bytes of UTF-8), its length into *n. */
static unsigned
search_cp(const unsigned char *s, size_t len, size_t *n)
{
	if (s[0] < 0x80 || len < 2) {
		*n = 1;
		return s[0];
	}
	if (s[0] < 0xe0) {
		*n = 2;
		return (s[0] & 0x1fu) << 6 | (s[1] & 0x3fu);
	}
	if (s[0] < 0xf0 || len < 4) {
		*n = len < 3 ? len : 3;
		return len < 3 ? 0 : (s[0] & 0x0fu) << 12 |
		    (s[1] & 0x3fu) << 6 | (s[2] & 0x3fu);
	}
	*n = 4;
	return (s[0] & 0x07u) << 18 | (s[1] & 0x3fu) << 12 |
	    (s[2] & 0x3fu) << 6 | (s[3] & 0x3fu);
}

/* 1 if code point c belongs to a word. */
static int
search_word_cp(unsigned c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || c == '_';
	/* Latin-1 signs, general and CJK punctuation, the dandas. */
	return !(c <= 0xbf || (c >= 0x2000 && c <= 0x206f) ||
	    (c >= 0x3000 && c <= 0x303f) || c == 0x964 || c == 0x965);
}

/* Append "+word* " for each indexed word of text to out (outsz bytes). */
static void
search_fulltext(const char *text, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text), i = 0, n, start, chars, used = 0, words = 0;

	out[0] = '\0';
	while (i < len && words < SEARCH_WORDS_MAX) {
		while (i < len && !search_word_cp(search_cp(s + i, len - i, &n)))
			i += n;
		start = i;
		chars = 0;
		while (i < len && search_word_cp(search_cp(s + i, len - i, &n))) {
			i += n;
			chars++;
		}
		/* "+", the word, "*", a space or the end: it fits (sizes). */
		if (chars < SEARCH_WORD_MIN || used + (i - start) + 3 >= outsz)
			continue;
		if (used > 0)
			out[used++] = ' ';
		out[used++] = '+';
		memcpy(out + used, s + start, i - start);
		used += i - start;
		out[used++] = '*';
		out[used] = '\0';
		words++;
	}
}

/* "%text%" with LIKE's wildcards (and the escape '!') escaped. */
static void
search_like(const char *text, char *out)
{
	size_t used = 0;

	out[used++] = '%';
	for (; *text != '\0'; text++) {
		if (*text == '%' || *text == '_' || *text == '!')
			out[used++] = '!';
		out[used++] = *text;
	}
	out[used++] = '%';
	out[used] = '\0';
}

/*
 * A query of digits and the signs phone numbers are written with: its
 * digits without leading 0s (a national prefix), if 4 to 15 remain.
 */
static void
search_digits(const char *text, char *out, size_t outsz)
{
	size_t used = 0;

	out[0] = '\0';
	if (text[strspn(text, "0123456789 +-().")] != '\0')
		return;
	for (; *text != '\0'; text++)
		if (*text >= '0' && *text <= '9' && (used > 0 || *text != '0')) {
			if (used + 1 >= outsz || used == 15)
				return;
			out[used++] = *text;
		}
	out[used] = '\0';
	if (used < 4)
		out[0] = '\0';
}

int
search_parse(const char *q, struct search_query *out, struct api_error *err)
{
	size_t len, i, chars = 0;

	memset(out, 0, sizeof(*out));
	while (*q == ' ' || *q == '\t')
		q++;
	len = strlen(q);
	while (len > 0 && (q[len - 1] == ' ' || q[len - 1] == '\t'))
		len--;
	if (len >= sizeof(out->text) || !utf8_valid(q, len) ||
	    memchr(q, '\0', len) != NULL)
		return api_fail(err, API_VALIDATION, "q must be %d to %d "
		    "characters", SEARCH_Q_MIN, SEARCH_Q_MAX);
	for (i = 0; i < len; i++)
		if (((unsigned char)q[i] & 0xc0) != 0x80)
			chars++;
	if (chars < SEARCH_Q_MIN || chars > SEARCH_Q_MAX)
		return api_fail(err, API_VALIDATION, "q must be %d to %d "
		    "characters", SEARCH_Q_MIN, SEARCH_Q_MAX);
	memcpy(out->text, q, len);
	out->text[len] = '\0';
	search_fulltext(out->text, out->fulltext, sizeof(out->fulltext));
	search_like(out->text, out->like);
	search_digits(out->text, out->digits, sizeof(out->digits));
	return 0;
}

/* --- the statements ------------------------------------------------------ */

static const char *const search_convs[CHAT_NROLES] = CHAT_SCOPED(
    "SELECT " MODEL_CONVERSATION_COLUMNS MODEL_CONVERSATION_FROM " WHERE ",
    " AND (u.name LIKE ? ESCAPE '!'"
    "  OR (? <> '' AND u.phone LIKE CONCAT('%', ?, '%')))"
    " ORDER BY c.updatedAt DESC, c.id DESC LIMIT ? OFFSET ?");
/* Notes are the team's, and the team is who searches; entries are not. */
static const char *const search_msgs[CHAT_NROLES] = CHAT_SCOPED(
    "SELECT " MODEL_MESSAGE_COLUMNS " FROM messages m"
    " JOIN conversations c ON c.id = m.conversationId"
    " LEFT JOIN media md ON md.id = m.mediaId WHERE ",
    " AND MATCH (m.content) AGAINST (? IN BOOLEAN MODE)"
    " AND m.messageType <> 'activity'"
    " ORDER BY m.id DESC LIMIT ? OFFSET ?");
/* The conversations of a page of messages (all within the reach). */
static const char search_conv_of[] = "SELECT " MODEL_CONVERSATION_COLUMNS
    MODEL_CONVERSATION_FROM " WHERE c.id IN (SELECT j.id FROM JSON_TABLE(?,"
    " '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) AS j)";

/* Rows of res as conversation objects for u (at most limit), labelled. */
static json_object *
search_conv_rows(struct db *db, const struct chat_user *u,
    const struct db_res *res, unsigned limit, struct api_error *err)
{
	json_object *a = json_object_new_array();
	unsigned row;

	for (row = 0; row < res->nrows && row < limit; row++)
		json_object_array_add(a, model_conversation(res, row, u->id));
	if (labels_db_attach(db, a, err) == -1) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

static int
search_conversations(struct db *db, const struct chat_user *u,
    const struct search_query *q, long pg, long limit, struct search_page *out,
    struct api_error *err)
{
	struct db_res *res;
	int st;

	if ((st = db_exec(db, &res, search_convs[u->role], "isssii",
	    CHAT_SCOPE_ARG(u), q->like, q->digits, q->digits,
	    (long long)limit + 1, (long long)(pg - 1) * limit)) != DB_OK)
		return chat_db_fail(err, st);
	out->more_conversations = res->nrows > (unsigned)limit;
	out->conversations = search_conv_rows(db, u, res, (unsigned)limit, err);
	db_res_free(res);
	return out->conversations == NULL ? -1 : 0;
}

/* The conversation object of id in convs (an array), or NULL. */
static json_object *
search_find(json_object *convs, long long id)
{
	json_object *c, *v;
	size_t i;
	long long cid;

	for (i = 0; i < json_object_array_length(convs); i++) {
		c = json_object_array_get_idx(convs, i);
		if (json_object_object_get_ex(c, "_id", &v) &&
		    id_parse(json_object_get_string(v), &cid) == 0 && cid == id)
			return c;
	}
	return NULL;
}

/* The conversations of the messages res holds, in one query. */
static json_object *
search_message_convs(struct db *db, const struct chat_user *u,
    const struct db_res *res, unsigned n, struct api_error *err)
{
	json_object *ids = json_object_new_array(), *convs = NULL;
	struct db_res *cres;
	const char *text;
	size_t len;
	unsigned i;
	int st;

	for (i = 0; i < n; i++)
		json_object_array_add(ids, json_object_new_int64(
		    db_cell_ll(res, i, MSG_CONVERSATION, 0)));
	if ((text = jsonio_text(ids, &len)) == NULL)
		api_fail(err, API_INTERNAL, "out of memory");
	else if ((st = db_exec(db, &cres, search_conv_of, "s", text)) != DB_OK)
		chat_db_fail(err, st);
	else {
		convs = search_conv_rows(db, u, cres, cres->nrows, err);
		db_res_free(cres);
	}
	json_object_put(ids);
	return convs;
}

static int
search_messages(struct db *db, const struct config *cfg,
    const struct chat_user *u, const struct search_query *q, long pg,
    long limit, struct search_page *out, struct api_error *err)
{
	json_object *convs, *hit;
	struct db_res *res;
	unsigned i, n;
	int st;

	out->messages = json_object_new_array();
	if (q->fulltext[0] == '\0')
		return 0;		/* no word long enough to be indexed */
	if ((st = db_exec(db, &res, search_msgs[u->role], "isii",
	    CHAT_SCOPE_ARG(u), q->fulltext, (long long)limit + 1,
	    (long long)(pg - 1) * limit)) != DB_OK)
		return chat_db_fail(err, st);
	out->more_messages = res->nrows > (unsigned)limit;
	n = out->more_messages ? (unsigned)limit : res->nrows;
	if (n > 0 && (convs = search_message_convs(db, u, res, n, err)) ==
	    NULL) {
		db_res_free(res);
		return -1;
	}
	for (i = 0; i < n; i++) {
		hit = json_object_new_object();
		json_object_object_add(hit, "message", model_message(cfg, res, i));
		json_object_object_add(hit, "conversation", json_object_get(
		    search_find(convs, db_cell_ll(res, i, MSG_CONVERSATION, 0))));
		json_object_array_add(out->messages, hit);
	}
	if (n > 0)
		json_object_put(convs);
	db_res_free(res);
	return 0;
}

int
search_db_run(struct db *db, const struct config *cfg,
    const struct chat_user *u, const struct search_query *q, long pg,
    long limit, struct search_page *out, struct api_error *err)
{
	memset(out, 0, sizeof(*out));
	if (u->role == CHAT_ROLE_USER)
		return api_fail(err, API_FORBIDDEN, "search is for the support "
		    "team");
	if (search_conversations(db, u, q, pg, limit, out, err) == -1 ||
	    search_messages(db, cfg, u, q, pg, limit, out, err) == -1) {
		json_object_put(out->conversations);
		json_object_put(out->messages);
		out->conversations = out->messages = NULL;
		return -1;
	}
	return 0;
}
