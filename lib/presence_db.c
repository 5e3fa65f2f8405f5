/*
 * presence_db.c - presence in the database (presence_db.h).
 */
#include <stdlib.h>

#include "presence_db.h"

int
presence_db_reset(struct db *db)
{
	static const char sql[] = "UPDATE users SET isOnline = 0"
	    " WHERE isOnline = 1";

	return db_exec(db, NULL, sql, "") == DB_OK ? 0 : -1;
}

int
presence_db_set(struct db *db, long long uid, int online,
    long long *last_seen_ms)
{
	static const char on[] = "UPDATE users SET isOnline = 1 WHERE id = ?";
	static const char off[] = "UPDATE users SET isOnline = 0,"
	    " lastSeen = CURRENT_TIMESTAMP(3) WHERE id = ?";
	static const char seen[] = "SELECT ROUND(UNIX_TIMESTAMP(lastSeen)"
	    " * 1000) FROM users WHERE id = ?";
	struct db_res *res;

	*last_seen_ms = -1;
	if (db_exec(db, NULL, online ? on : off, "i", uid) != DB_OK)
		return -1;
	if (!online && db_exec(db, &res, seen, "i", uid) == DB_OK) {
		*last_seen_ms = db_cell_ll(res, 0, 0, -1);
		db_res_free(res);
	}
	return 0;
}

int
presence_db_peers(struct db *db, long long uid, unsigned max,
    long long **peers, unsigned *n)
{
	static const char sql[] = "SELECT assignedSupportId FROM conversations"
	    " WHERE userId = ? AND assignedSupportId IS NOT NULL"
	    " UNION SELECT userId FROM conversations WHERE assignedSupportId = ?";
	struct db_res *res;
	unsigned i;

	*peers = NULL;
	*n = 0;
	if (db_exec(db, &res, sql, "ii", uid, uid) != DB_OK)
		return -1;
	if (res->nrows > 0 && res->nrows <= max &&
	    (*peers = calloc(res->nrows, sizeof(**peers))) != NULL) {
		for (i = 0; i < res->nrows; i++)
			(*peers)[i] = db_cell_ll(res, i, 0, 0);
		*n = res->nrows;
	}
	db_res_free(res);
	return 0;
}
