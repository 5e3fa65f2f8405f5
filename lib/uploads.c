/*
 * uploads.c - the upload quota and the sweeper of unused uploads.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "chat.h"
#include "log.h"
#include "uploads.h"

int
uploads_quota(struct db *db, const struct config *cfg, long long uid,
    long long incoming, struct api_error *err)
{
	/* The bytes of the last 24 h, and when the oldest of them ages out. */
	static const char sql[] = "SELECT COALESCE(SUM(size), 0),"
	    " COALESCE(TIMESTAMPDIFF(SECOND, CURRENT_TIMESTAMP(3),"
	    "  MIN(createdAt) + INTERVAL 1 DAY), 0)"
	    " FROM media WHERE ownerId = ?"
	    " AND createdAt > CURRENT_TIMESTAMP(3) - INTERVAL 1 DAY";
	struct db_res *res;
	long long used, wait;
	int st;

	if (cfg->upload_daily_bytes <= 0)
		return 0;
	if ((st = db_exec(db, &res, sql, "i", uid)) != DB_OK)
		return chat_db_fail(err, st);
	used = db_cell_ll(res, 0, 0, 0);
	wait = db_cell_ll(res, 0, 1, 0);
	db_res_free(res);
	if (used + incoming <= cfg->upload_daily_bytes)
		return 0;
	api_fail(err, API_TOO_MANY, "upload quota reached: %lld of %ld bytes"
	    " in the last 24 hours", used, cfg->upload_daily_bytes);
	err->retry_after = wait > 0 ? (long)wait : 1;
	return -1;
}

/* Delete one unused upload's row; 1 if it went, 0 if not (now in use). */
static int
uploads_drop(struct db *db, long long id)
{
	static const char sql[] = "DELETE FROM media WHERE id = ? AND NOT"
	    " EXISTS (SELECT 1 FROM messages WHERE mediaId = ?)";
	struct db_res *res;
	int gone;

	/* A message stored meanwhile holds the row by its foreign key. */
	if (db_exec(db, &res, sql, "ii", id, id) != DB_OK)
		return 0;
	gone = res->affected == 1;
	db_res_free(res);
	return gone;
}

void
uploads_unlink(const struct config *cfg, const char *file)
{
	char path[PATH_MAX];

	if (file == NULL)
		return;
	if ((size_t)snprintf(path, sizeof(path), "%s/chat/%s",
	    cfg->upload_dir, file) >= sizeof(path) ||
	    (unlink(path) == -1 && errno != ENOENT))
		log_warn("remove upload %s", file);
}

int
uploads_sweep(struct db *db, const struct config *cfg, int n)
{
	static const char sql[] = "SELECT md.id, md.fileName,"
	    " md.thumbFileName FROM media md"
	    " WHERE md.createdAt < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND"
	    " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.mediaId = md.id)"
	    " ORDER BY md.id LIMIT ?";
	struct db_res *res;
	unsigned i;
	int st, removed = 0;

	if ((st = db_exec(db, &res, sql, "ii", (long long)cfg->upload_unused_ttl,
	    (long long)n)) != DB_OK)
		return -1;
	for (i = 0; i < res->nrows; i++) {
		if (!uploads_drop(db, db_cell_ll(res, i, 0, 0)))
			continue;
		removed++;
		uploads_unlink(cfg, db_cell(res, i, 1));
		uploads_unlink(cfg, db_cell(res, i, 2));
	}
	db_res_free(res);
	return removed;
}
