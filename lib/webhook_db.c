/*
 * webhook_db.c - the deliveries of the offline webhook (webhook_db.h).
 *
 * The scan reads messages by createdAt (its index) over one day before
 * the threshold, so a message that became due while nothing ran is still
 * found, and older ones are let go.
 */
#include <stdio.h>

#include "jsonio.h"
#include "model.h"
#include "webhook_db.h"

int
webhook_db_scan(struct db *db, const struct config *cfg)
{
	static const char sql[] = "INSERT IGNORE INTO webhook_deliveries"
	    " (messageId, conversationId)"
	    " SELECT m.id, m.conversationId FROM messages m"
	    " JOIN conversations c ON c.id = m.conversationId"
	    " JOIN users u ON u.id = c.userId"
	    " WHERE m.createdAt >= NOW(3) - INTERVAL ? SECOND - INTERVAL 1 DAY"
	    " AND m.createdAt < NOW(3) - INTERVAL ? SECOND"
	    " AND m.isRead = 0 AND m.isPrivate = 0"
	    " AND m.messageType <> 'activity' AND m.senderId <> c.userId"
	    " AND u.isOnline = 0";
	struct db_res *res;
	int n;

	if (db_exec(db, &res, sql, "ii", cfg->notify_offline_after,
	    cfg->notify_offline_after) != DB_OK)
		return -1;
	n = (int)res->affected;
	db_res_free(res);
	return n;
}

/* Claims left by a sender that died: an attempt that failed. */
static int
webhook_db_reclaim(struct db *db, const struct config *cfg)
{
	static const char sql[] = "UPDATE webhook_deliveries"
	    " SET state = IF(attempts >= ?, 'failed', 'pending'),"
	    " nextAttemptAt = NOW(3) WHERE state = 'sending'"
	    " AND claimedAt < NOW(3) - INTERVAL ? SECOND";

	return db_exec(db, NULL, sql, "ii", cfg->notify_webhook_attempts,
	    cfg->notify_webhook_timeout * 3) == DB_OK ? 0 : -1;
}

int
webhook_db_claim(struct db *db, const struct config *cfg, long long *ids,
    int max)
{
	static const char due[] = "SELECT messageId FROM webhook_deliveries"
	    " WHERE state = 'pending' AND nextAttemptAt <= NOW(3)"
	    " ORDER BY nextAttemptAt LIMIT ? FOR UPDATE SKIP LOCKED";
	static const char claim[] = "UPDATE webhook_deliveries"
	    " SET state = 'sending', attempts = attempts + 1,"
	    " claimedAt = NOW(3) WHERE messageId = ?";
	struct db_res *res;
	unsigned i;
	int n = 0;

	if (webhook_db_reclaim(db, cfg) == -1 || db_begin(db) != DB_OK)
		return -1;
	if (db_exec(db, &res, due, "i", (long long)max) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	for (i = 0; i < res->nrows && n < max; i++) {
		ids[n] = db_cell_ll(res, i, 0, 0);
		if (db_exec(db, NULL, claim, "i", ids[n]) != DB_OK) {
			db_res_free(res);
			db_rollback(db);
			return -1;
		}
		n++;
	}
	db_res_free(res);
	if (db_commit(db) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	return n;
}

json_object *
webhook_db_body(struct db *db, const struct config *cfg, long long id,
    int *drop)
{
	static const char sql[] = "SELECT " MODEL_MESSAGE_COLUMNS ","
	    " u.id, u.name, u.phone, u.isOnline"
	    MODEL_MESSAGE_FROM " JOIN conversations c ON c.id = m.conversationId"
	    " JOIN users u ON u.id = c.userId WHERE m.id = ?";
	enum { USER_ID = MODEL_MESSAGE_NCOLS, USER_NAME, USER_PHONE,
	    USER_ONLINE };
	struct db_res *res;
	json_object *o, *user;

	*drop = 0;
	if (db_exec(db, &res, sql, "i", id) != DB_OK)
		return NULL;
	if (res->nrows == 0 || db_cell_ll(res, 0, MSG_READ, 0) == 1 ||
	    db_cell_ll(res, 0, USER_ONLINE, 0) == 1) {
		*drop = 1;
		db_res_free(res);
		return NULL;
	}
	o = json_object_new_object();
	json_object_object_add(o, "event",
	    json_object_new_string("message.unread"));
	json_object_object_add(o, "conversationId",
	    jsonio_id_new(db_cell_ll(res, 0, MSG_CONVERSATION, 0)));
	json_object_object_add(o, "message", model_message(cfg, res, 0));
	user = json_object_new_object();
	json_object_object_add(user, "_id",
	    jsonio_id_new(db_cell_ll(res, 0, USER_ID, 0)));
	json_object_object_add(user, "name",
	    json_object_new_string(db_cell(res, 0, USER_NAME)));
	json_object_object_add(user, "phone",
	    json_object_new_string(db_cell(res, 0, USER_PHONE)));
	json_object_object_add(o, "user", user);
	db_res_free(res);
	return o;
}

int
webhook_db_done(struct db *db, const struct config *cfg, long long id,
    enum webhook_outcome how, long http_status)
{
	/* After attempt n the next waits 30 s * 2^(n-1), at most an hour. */
	static const char sql[] = "UPDATE webhook_deliveries SET"
	    " lastStatus = NULLIF(?, 0),"
	    " sentAt = IF(? = 0, NOW(3), NULL),"
	    " nextAttemptAt = IF(? = 1, NOW(3) + INTERVAL"
	    "  LEAST(3600, 30 * POW(2, LEAST(attempts, 20) - 1)) SECOND,"
	    "  nextAttemptAt),"
	    " state = CASE ? WHEN 0 THEN 'sent' WHEN 2 THEN 'dropped'"
	    "  ELSE IF(attempts >= ?, 'failed', 'pending') END"
	    " WHERE messageId = ? AND state = 'sending'";

	return db_exec(db, NULL, sql, "iiiiii", (long long)http_status,
	    (long long)how, (long long)how, (long long)how,
	    cfg->notify_webhook_attempts, id) == DB_OK ? 0 : -1;
}
