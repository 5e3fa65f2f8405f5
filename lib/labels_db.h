/*
 * labels_db.h - labels and the conversations that carry them: who may use
 * and manage them, the labels themselves, a conversation's add and remove,
 * and the "labels" of conversation objects (one query for a whole page).
 */
#ifndef CHAT_LABELS_DB_H
#define CHAT_LABELS_DB_H

#include <json-c/json.h>

#include "chat.h"
#include "label.h"

/* Agents and admins use labels (0); a user gets -1 with err (403). */
int	labels_may_use(const struct chat_user *u, struct api_error *err);
/* Admins create, change and delete them (0); anyone else 403. */
int	labels_may_manage(const struct chat_user *u, struct api_error *err);

/* Every label, by name, as [{_id, name, color}]; NULL with err. */
json_object *labels_db_list(struct db *db, struct api_error *err);
/* Label id as {_id, name, color}; NULL with err (404). */
json_object *labels_db_get(struct db *db, long long id,
	    struct api_error *err);
/* A new label (in: name and color); 0, or -1 with err (409 name taken). */
int	labels_db_create(struct db *db, const struct label_in *in,
	    long long *id, struct api_error *err);
/* What in has of label id; 0, or -1 with err (409; an unknown id is not an
 * error here: labels_db_get says 404). */
int	labels_db_update(struct db *db, long long id, const struct label_in *in,
	    struct api_error *err);
/* Label id, off every conversation too; 0, or -1 with err (404). */
int	labels_db_delete(struct db *db, long long id, struct api_error *err);

/*
 * Put label on conversation conv, or take it off, as u: who may act in the
 * conversation (chat.h's CHAT_SCOPED_ACT: its agent, an admin).  *changed:
 * 0 when it already was so (adding twice, removing what is not there).
 * 0, or -1 with err (403 a user, 404 conversation or label, 400 over
 * LABELS_PER_CONVERSATION, 503).
 */
int	labels_db_add(struct db *db, const struct chat_user *u, long long conv,
	    long long label, int *changed, struct api_error *err);
int	labels_db_remove(struct db *db, const struct chat_user *u,
	    long long conv, long long label, int *changed,
	    struct api_error *err);

/*
 * Give every conversation object of the array convs its "labels" (by name)
 * with one query for all of them; 0, or -1 with err.
 */
int	labels_db_attach(struct db *db, json_object *convs,
	    struct api_error *err);
/* The same for one conversation object. */
int	labels_db_attach_one(struct db *db, json_object *conv,
	    struct api_error *err);

#endif
