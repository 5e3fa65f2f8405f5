/*
 * health.c - GET /api/v1/health: is the database there, and which one.
 */
#include "db.h"
#include "handlers.h"

int
health_get(struct request *r, struct response *resp, struct api_error *err)
{
	json_object *db;
	struct db_res *res;
	int st;

	(void)err;
	st = db_exec(r->db, &res, "SELECT VERSION()", "");
	resp->status = st == DB_OK ? 200 : 503;
	resp->body = json_object_new_object();
	db = json_object_new_object();
	json_object_object_add(db, "reachable", json_object_new_boolean(st ==
	    DB_OK));
	if (st == DB_OK) {
		json_object_object_add(db, "version",
		    json_object_new_string(db_cell(res, 0, 0)));
		db_res_free(res);
	}
	json_object_object_add(resp->body, "status",
	    json_object_new_string(st == DB_OK ? "ok" : "unavailable"));
	json_object_object_add(resp->body, "db", db);
	return 0;
}
