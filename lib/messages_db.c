/*
 * messages_db.c - history pages (messages_db.h).
 *
 * A page joins its conversation and holds only rows the caller may see (the
 * one access rule, chat.h's CHAT_SCOPED), so access costs no round trip of
 * its own; an empty page needs a look to tell "none yet" from "not yours".
 * Keyset on (conversationId, id), one row more than asked to tell whether
 * there is another page; the index is forced (docs/api.md says why).
 */
#include "messages_db.h"
#include "model.h"

#define PAGE_SELECT	"SELECT " MODEL_MESSAGE_COLUMNS \
	" FROM messages m FORCE INDEX (messages_conversation_id)" \
	" JOIN conversations c ON c.id = m.conversationId" \
	" LEFT JOIN media md ON md.id = m.mediaId" \
	" WHERE m.conversationId = ? AND "
/*
 * Activity entries, or only the seed's four types; notes for the support
 * team only, whatever a user's client asks.
 */
#define PAGE_TYPES	" AND (? = 1 OR m.messageType <> 'activity')" \
	" AND (? = 1 OR m.isPrivate = 0)"

int
msg_db_page(struct db *db, const struct config *cfg,
    const struct chat_user *u, long long conv, long long before,
    long long after, long limit, int activity, struct msg_page *out,
    struct api_error *err)
{
	static const char *const older[CHAT_NROLES] = CHAT_SCOPED(
	    PAGE_SELECT, PAGE_TYPES " AND m.id < ? ORDER BY m.id DESC LIMIT ?");
	static const char *const newer[CHAT_NROLES] = CHAT_SCOPED(
	    PAGE_SELECT, PAGE_TYPES " AND m.id > ? ORDER BY m.id ASC LIMIT ?");
	/* Staff always see activity entries; a user's client when it asks. */
	long long staff = u->role != CHAT_ROLE_USER, with = staff || activity;
	struct chat_conv c;
	struct db_res *res;
	unsigned i, n;
	int st;

	out->messages = NULL;
	out->more = 0;
	out->edge = after;
	if ((st = db_exec(db, &res, (after > 0 ? newer : older)[u->role],
	    "iiiiii", conv, CHAT_SCOPE_ARG(u), with, staff,
	    after > 0 ? after : before,
	    (long long)limit + 1)) != DB_OK)
		return chat_db_fail(err, st);
	if (res->nrows == 0 &&
	    chat_conversation_access(db, u, conv, &c, err) == -1) {
		db_res_free(res);
		return -1;
	}
	out->more = res->nrows > (unsigned)limit;
	n = out->more ? (unsigned)limit : res->nrows;
	if (n > 0)
		out->edge = db_cell_ll(res, n - 1, MSG_ID, 0);
	out->messages = json_object_new_array();
	/* Older pages come newest first from the index: turn them round. */
	for (i = 0; i < n; i++)
		json_object_array_add(out->messages, model_message(cfg, res,
		    after > 0 ? i : n - 1 - i));
	db_res_free(res);
	return 0;
}
