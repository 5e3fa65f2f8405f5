/*
 * uploads.h - how much one account may upload, and the uploads nobody
 * sent: a per-user quota over the last 24 hours (of the bytes stored: an
 * image's display version, not what was uploaded), and a sweeper that
 * removes uploads never used in a message (row first, then the files).
 */
#ifndef CHAT_UPLOADS_H
#define CHAT_UPLOADS_H

#include "apierr.h"
#include "config.h"
#include "db.h"

/*
 * 0 if uid may upload incoming more bytes today (upload.daily_bytes over
 * the last 24 hours); -1 with err (429 with retry_after) if not.
 */
int	uploads_quota(struct db *db, const struct config *cfg, long long uid,
	    long long incoming, struct api_error *err);

/* Remove upload.dir/chat/<file> (NULL: nothing); a failure is logged. */
void	uploads_unlink(const struct config *cfg, const char *file);

/*
 * Remove up to n uploads older than upload.unused_ttl seconds that no
 * message names: the row (so no message can name it any more), then its
 * files (an image's thumbnail too).  The number removed, or -1 on a
 * database error.
 */
int	uploads_sweep(struct db *db, const struct config *cfg, int n);

#endif
