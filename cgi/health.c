/*
 * health.c - GET /api/v1/health: is the database there, and which one;
 * is pushd there.
 */
#include "db.h"
#include "handlers.h"
#include "notify.h"

int
health_get(struct request *r, struct response *resp, struct api_error *err)
{
	json_object *db;
	int st;

	(void)err;
	st = db_probe(r->db);
	resp->status = st == DB_OK ? 200 : 503;
	resp->body = json_object_new_object();
	db = json_object_new_object();
	json_object_object_add(db, "reachable", json_object_new_boolean(st ==
	    DB_OK));
	if (st == DB_OK)
		json_object_object_add(db, "version",
		    json_object_new_string(db_server_version(r->db)));
	json_object_object_add(resp->body, "status",
	    json_object_new_string(st == DB_OK ? "ok" : "unavailable"));
	json_object_object_add(resp->body, "db", db);
	/* The API works without pushd (live updates off): said, not failed. */
	db = json_object_new_object();
	json_object_object_add(db, "reachable", json_object_new_boolean(
	    notify_probe(r->cfg) == 0));
	json_object_object_add(resp->body, "pushd", db);
	return 0;
}
