/*
 * media_db.h - the statements about uploads: a stored upload's row, and
 * its wire object.  (Who may see one: chat_media_access in chat.c; the
 * quota and the sweeper: uploads.c.)
 */
#ifndef CHAT_MEDIA_DB_H
#define CHAT_MEDIA_DB_H

#include <json-c/json.h>

#include "apierr.h"
#include "config.h"
#include "db.h"

struct media_row {
	long long	 owner;
	const char	*name;		/* as the client named it */
	const char	*type;		/* image | video | audio */
	const char	*file;		/* its name under upload.dir/chat */
	const char	*format;	/* the MIME type its bytes are */
	long long	 size;		/* of the stored file */
	const char	*thumb;		/* an image's thumbnail, or NULL */
	long long	 width, height;	/* an image's (as stored), or 0 */
};

/* Record a stored file; its id, or -1 with err. */
long long media_db_insert(struct db *db, const struct media_row *m,
	    struct api_error *err);
/* The media object of id, or NULL with err (404, 503). */
json_object *media_db_load(struct db *db, const struct config *cfg,
	    long long id, struct api_error *err);

#endif
