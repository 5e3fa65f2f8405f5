/*
 * media_db.c - the statements about uploads (media_db.h).
 */
#include "chat.h"
#include "media_db.h"
#include "model.h"

long long
media_db_insert(struct db *db, const struct media_row *m,
    struct api_error *err)
{
	static const char sql[] = "INSERT INTO media (ownerId, name, type,"
	    " fileName, format, size, thumbFileName, width, height)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0))";
	struct db_res *res;
	long long id;
	int st;

	if ((st = db_exec(db, &res, sql, "issssisii", m->owner, m->name,
	    m->type, m->file, m->format, m->size, m->thumb, m->width,
	    m->height)) != DB_OK)
		return chat_db_fail(err, st);
	id = (long long)res->insert_id;
	db_res_free(res);
	return id;
}

/* A media row from its first column. */
static json_object *
media_render(const struct config *cfg, const struct db_res *res,
    unsigned row)
{
	return model_media(cfg, res, row, 0);
}

json_object *
media_db_load(struct db *db, const struct config *cfg, long long id,
    struct api_error *err)
{
	static const char sql[] = "SELECT " MODEL_MEDIA_COLUMNS
	    " FROM media md WHERE md.id = ?";

	return chat_load_one(db, cfg, sql, id, media_render, "media", err);
}
