/*
 * labels_db.c - the statements about labels (labels_db.h).
 */
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "labels_db.h"
#include "model.h"

int
labels_may_use(const struct chat_user *u, struct api_error *err)
{
	if (u->role == CHAT_ROLE_USER)
		return api_fail(err, API_FORBIDDEN,
		    "labels are for agents and admins");
	return 0;
}

int
labels_may_manage(const struct chat_user *u, struct api_error *err)
{
	if (u->role != CHAT_ROLE_ADMIN)
		return api_fail(err, API_FORBIDDEN, "only admins manage labels");
	return 0;
}

json_object *
labels_db_list(struct db *db, struct api_error *err)
{
	static const char sql[] = "SELECT " MODEL_LABEL_COLUMNS
	    " FROM labels l ORDER BY l.nameKey, l.id";
	struct db_res *res;
	json_object *data, *o;
	unsigned row;
	int st;

	if ((st = db_exec(db, &res, sql, "")) != DB_OK) {
		chat_db_fail(err, st);
		return NULL;
	}
	data = json_object_new_array();
	for (row = 0; data != NULL && row < res->nrows; row++)
		if ((o = model_label(res, row, 0)) == NULL ||
		    json_object_array_add(data, o) != 0) {
			json_object_put(o);
			json_object_put(data);
			data = NULL;
		}
	db_res_free(res);
	if (data == NULL)
		api_fail(err, API_INTERNAL, "out of memory");
	return data;
}

static json_object *
labels_render(const struct config *cfg, const struct db_res *res,
    unsigned row)
{
	(void)cfg;
	return model_label(res, row, 0);
}

json_object *
labels_db_get(struct db *db, long long id, struct api_error *err)
{
	static const char sql[] = "SELECT " MODEL_LABEL_COLUMNS
	    " FROM labels l WHERE l.id = ?";

	return chat_load_one(db, NULL, sql, id, labels_render, "label", err);
}

/* A write that may hit the unique name: 409 then. */
static int
labels_write_fail(int st, struct api_error *err)
{
	if (st == DB_ERR_DUP)
		return api_fail(err, API_CONFLICT,
		    "a label of that name already exists");
	return chat_db_fail(err, st);
}

int
labels_db_create(struct db *db, const struct label_in *in, long long *id,
    struct api_error *err)
{
	static const char sql[] = "INSERT INTO labels (name, color)"
	    " VALUES (?, ?)";
	struct db_res *res;
	int st;

	*id = 0;
	if ((st = db_exec(db, &res, sql, "ss", in->name, in->color)) != DB_OK)
		return labels_write_fail(st, err);
	*id = (long long)res->insert_id;
	db_res_free(res);
	return 0;
}

int
labels_db_update(struct db *db, long long id, const struct label_in *in,
    struct api_error *err)
{
	static const char sql[] = "UPDATE labels SET"
	    " name = IF(? = 1, ?, name), color = IF(? = 1, ?, color)"
	    " WHERE id = ?";
	int st;

	if ((st = db_exec(db, NULL, sql, "isisi", (long long)in->has_name,
	    in->name, (long long)in->has_color, in->color, id)) != DB_OK)
		return labels_write_fail(st, err);
	return 0;
}

int
labels_db_delete(struct db *db, long long id, struct api_error *err)
{
	static const char sql[] = "DELETE FROM labels WHERE id = ?";
	struct db_res *res;
	int st, gone;

	if ((st = db_exec(db, &res, sql, "i", id)) != DB_OK)
		return chat_db_fail(err, st);
	gone = res->affected > 0;
	db_res_free(res);
	return gone ? 0 : api_fail(err, API_NOT_FOUND, "label not found");
}

/* --- a conversation's labels ----------------------------------------------- */

/* One change inside the transaction labels_tx opened. */
typedef int labels_tx_fn(struct db *db, long long conv, long long label,
    int *changed, struct api_error *err);

/*
 * Inside a transaction: lock conversation id if u may act in it (the one
 * access rule), so that two adds count its labels one after the other.
 */
static int
labels_conv_lock(struct db *db, const struct chat_user *u, long long id,
    struct api_error *err)
{
	static const char *const sql[CHAT_NROLES] = CHAT_SCOPED_ACT(
	    "SELECT c.id FROM conversations c WHERE c.id = ? AND ",
	    " FOR UPDATE");
	struct db_res *res;
	int st, found;

	if ((st = db_exec(db, &res, sql[u->role], "ii", id,
	    CHAT_SCOPE_ARG(u))) != DB_OK)
		return chat_db_fail(err, st);
	found = res->nrows > 0;
	db_res_free(res);
	return found ? 0 : api_fail(err, API_NOT_FOUND,
	    "conversation not found");
}

/* A label change is a change of the conversation: lists and polls see it. */
static int
labels_touch(struct db *db, long long conv, struct api_error *err)
{
	static const char sql[] = "UPDATE conversations"
	    " SET updatedAt = CURRENT_TIMESTAMP(3) WHERE id = ?";
	int st;

	if ((st = db_exec(db, NULL, sql, "i", conv)) != DB_OK)
		return chat_db_fail(err, st);
	return 0;
}

static int
labels_add_tx(struct db *db, long long conv, long long label, int *changed,
    struct api_error *err)
{
	static const char state[] = "SELECT"
	    " (SELECT COUNT(*) FROM labels WHERE id = ?), COUNT(*),"
	    " COALESCE(SUM(labelId = ?), 0) FROM conversation_labels"
	    " WHERE conversationId = ?";
	enum { KNOWN, COUNT, HAS };
	static const char ins[] = "INSERT INTO conversation_labels"
	    " (conversationId, labelId) VALUES (?, ?)";
	struct db_res *res;
	long long known, count, has;
	int st;

	if ((st = db_exec(db, &res, state, "iii", label, label, conv)) != DB_OK)
		return chat_db_fail(err, st);
	known = db_cell_ll(res, 0, KNOWN, 0);
	count = db_cell_ll(res, 0, COUNT, 0);
	has = db_cell_ll(res, 0, HAS, 0);
	db_res_free(res);
	if (known == 0)
		return api_fail(err, API_NOT_FOUND, "label not found");
	if (has > 0)
		return 0;
	if (count >= LABELS_PER_CONVERSATION)
		return api_fail(err, API_VALIDATION, "a conversation carries "
		    "at most %d labels", LABELS_PER_CONVERSATION);
	if ((st = db_exec(db, NULL, ins, "ii", conv, label)) != DB_OK)
		return chat_db_fail(err, st);
	*changed = 1;
	return labels_touch(db, conv, err);
}

static int
labels_remove_tx(struct db *db, long long conv, long long label,
    int *changed, struct api_error *err)
{
	static const char known[] = "SELECT COUNT(*) FROM labels WHERE id = ?";
	static const char del[] = "DELETE FROM conversation_labels"
	    " WHERE conversationId = ? AND labelId = ?";
	struct db_res *res;
	int st, found;

	if ((st = db_exec(db, &res, known, "i", label)) != DB_OK)
		return chat_db_fail(err, st);
	found = db_cell_ll(res, 0, 0, 0) > 0;
	db_res_free(res);
	if (!found)
		return api_fail(err, API_NOT_FOUND, "label not found");
	if ((st = db_exec(db, &res, del, "ii", conv, label)) != DB_OK)
		return chat_db_fail(err, st);
	*changed = res->affected > 0;
	db_res_free(res);
	return *changed ? labels_touch(db, conv, err) : 0;
}

struct labels_change {
	const struct chat_user	*u;
	long long		 conv;
	long long		 label;
	int			*changed;
	labels_tx_fn		*fn;
};

static int
labels_change_body(struct db *db, void *arg, struct api_error *err)
{
	struct labels_change *c = arg;

	return labels_conv_lock(db, c->u, c->conv, err) == -1 ? -1 :
	    c->fn(db, c->conv, c->label, c->changed, err);
}

/* fn in one transaction, on a conversation u may act in. */
static int
labels_tx(struct db *db, const struct chat_user *u, long long conv,
    long long label, int *changed, labels_tx_fn *fn, struct api_error *err)
{
	struct labels_change c = { u, conv, label, changed, fn };

	*changed = 0;
	if (labels_may_use(u, err) == -1)
		return -1;
	if (chat_transaction(db, labels_change_body, &c, err) == -1) {
		*changed = 0;
		return -1;
	}
	return 0;
}

int
labels_db_add(struct db *db, const struct chat_user *u, long long conv,
    long long label, int *changed, struct api_error *err)
{
	return labels_tx(db, u, conv, label, changed, labels_add_tx, err);
}

int
labels_db_remove(struct db *db, const struct chat_user *u, long long conv,
    long long label, int *changed, struct api_error *err)
{
	return labels_tx(db, u, conv, label, changed, labels_remove_tx, err);
}

/* --- labels of conversation objects ---------------------------------------- */

/*
 * Each object of convs gets an empty "labels"; its id goes to ids[i] and
 * into the JSON array *idarr (for JSON_TABLE; the caller puts it).
 */
static int
labels_prepare(json_object *convs, size_t n, long long *ids,
    json_object **idarr)
{
	json_object *c, *id;
	size_t i;

	if ((*idarr = json_object_new_array()) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		c = json_object_array_get_idx(convs, i);
		if (!json_object_object_get_ex(c, "_id", &id) ||
		    id_parse(json_object_get_string(id), &ids[i]) == -1 ||
		    json_object_array_add(*idarr,
		    json_object_new_int64(ids[i])) != 0 ||
		    json_object_object_add(c, "labels",
		    json_object_new_array()) != 0)
			return -1;
	}
	return 0;
}

/* Row by row (conversationId, label columns), into its object's labels. */
static int
labels_fill(json_object *convs, size_t n, const long long *ids,
    const struct db_res *res)
{
	json_object *list, *o;
	unsigned row;
	long long conv;
	size_t i;

	for (row = 0; row < res->nrows; row++) {
		conv = db_cell_ll(res, row, 0, 0);
		for (i = 0; i < n && ids[i] != conv; i++)
			;
		if (i == n || !json_object_object_get_ex(
		    json_object_array_get_idx(convs, i), "labels", &list))
			continue;
		if ((o = model_label(res, row, 1)) == NULL ||
		    json_object_array_add(list, o) != 0) {
			json_object_put(o);
			return -1;
		}
	}
	return 0;
}

int
labels_db_attach(struct db *db, json_object *convs, struct api_error *err)
{
	static const char sql[] = "SELECT cl.conversationId, "
	    MODEL_LABEL_COLUMNS " FROM conversation_labels cl"
	    " JOIN labels l ON l.id = cl.labelId"
	    " WHERE cl.conversationId IN (SELECT j.id FROM JSON_TABLE(?,"
	    " '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) AS j)"
	    " ORDER BY cl.conversationId, l.nameKey, l.id";
	size_t n = json_object_array_length(convs);
	struct db_res *res = NULL;
	json_object *idarr = NULL;
	long long *ids;
	int st = DB_OK, rc = -1;

	if (n == 0)
		return 0;
	if ((ids = calloc(n, sizeof(*ids))) != NULL &&
	    labels_prepare(convs, n, ids, &idarr) == 0 &&
	    (st = db_exec(db, &res, sql, "s", jsonio_text(idarr, NULL))) ==
	    DB_OK)
		rc = labels_fill(convs, n, ids, res);
	db_res_free(res);
	json_object_put(idarr);
	free(ids);
	if (st != DB_OK)
		return chat_db_fail(err, st);
	return rc == 0 ? 0 : api_fail(err, API_INTERNAL, "out of memory");
}

int
labels_db_attach_one(struct db *db, json_object *conv, struct api_error *err)
{
	json_object *one;
	int rc;

	if ((one = json_object_new_array()) == NULL ||
	    json_object_array_add(one, json_object_get(conv)) != 0) {
		json_object_put(one);
		return api_fail(err, API_INTERNAL, "out of memory");
	}
	rc = labels_db_attach(db, one, err);
	json_object_put(one);
	return rc;
}
