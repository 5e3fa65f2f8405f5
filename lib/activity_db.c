/*
 * activity_db.c - activity entries (activity_db.h).
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "activity_db.h"
#include "chat.h"
#include "jsonio.h"

/* What each action is called on the wire and how it reads in English. */
static const struct {
	const char	*name;
	const char	*by;		/* after the actor's name */
	const char	*alone;		/* with no actor */
	int		 to_agent;	/* the agent's name follows */
} actions[ACT_NACTIONS] = {
	[ACT_RESOLVED] = { "resolved", "resolved the conversation",
	    "The conversation was resolved", 0 },
	[ACT_REOPENED] = { "reopened", "reopened the conversation",
	    "The conversation was reopened", 0 },
	[ACT_SNOOZED] = { "snoozed", "snoozed the conversation until",
	    "The conversation was snoozed until", 0 },
	[ACT_PENDING] = { "pending", "marked the conversation pending",
	    "The conversation is pending", 0 },
	[ACT_WOKE] = { "woke", "ended the snooze", "The snooze ended", 0 },
	[ACT_ASSIGNED] = { "assigned", "assigned the conversation to",
	    "The conversation was assigned to", 1 },
	[ACT_TAKEN] = { "taken", "took the conversation",
	    "The conversation was taken", 0 },
	[ACT_TRANSFERRED] = { "transferred", "transferred the conversation to",
	    "The conversation was transferred to", 1 },
	[ACT_UNASSIGNED] = { "unassigned",
	    "put the conversation back in the queue",
	    "The conversation went back to the queue", 0 },
	[ACT_ROUTED] = { "routed", "assigned the conversation to",
	    "The conversation was assigned to", 1 },
};

enum activity_action
activity_of_status(const char *status)
{
	if (strcmp(status, "resolved") == 0)
		return ACT_RESOLVED;
	if (strcmp(status, "snoozed") == 0)
		return ACT_SNOOZED;
	if (strcmp(status, "pending") == 0)
		return ACT_PENDING;
	return ACT_REOPENED;
}

/* The names of the actor and the agent (empty when 0 or gone); DB_*. */
static int
activity_names(struct db *db, const struct activity *a, char *actor,
    char *agent, size_t sz)
{
	static const char sql[] = "SELECT (SELECT name FROM users WHERE id = ?),"
	    " (SELECT name FROM users WHERE id = ?)";
	struct db_res *res;
	const char *c;
	int st;

	if ((st = db_exec(db, &res, sql, "ii", a->actor, a->agent)) != DB_OK)
		return st;
	c = db_cell(res, 0, 0);
	st = snprintf(actor, sz, "%s", c ? c : "") >= (int)sz ? DB_ERR : DB_OK;
	c = db_cell(res, 0, 1);
	if (snprintf(agent, sz, "%s", c ? c : "") >= (int)sz)
		st = DB_ERR;
	db_res_free(res);
	return st;
}

/* The English sentence into out; 0, or -1 if it does not fit. */
static int
activity_sentence(const struct activity *a, const char *actor,
    const char *agent, const char *until, char *out, size_t sz)
{
	int n;

	if (*actor != '\0')
		n = snprintf(out, sz, "%s %s%s%s%s%s", actor,
		    actions[a->action].by,
		    actions[a->action].to_agent ? " " : "",
		    actions[a->action].to_agent ? agent : "",
		    until ? " " : "", until ? until : "");
	else
		n = snprintf(out, sz, "%s%s%s%s%s", actions[a->action].alone,
		    actions[a->action].to_agent ? " " : "",
		    actions[a->action].to_agent ? agent : "",
		    until ? " " : "", until ? until : "");
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

static json_object *
activity_json(const struct activity *a, const char *actor, const char *agent,
    const char *until)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "action",
	    json_object_new_string(actions[a->action].name));
	json_object_object_add(o, "actorId", a->actor ?
	    jsonio_id_new(a->actor) : NULL);
	json_object_object_add(o, "actorName", *actor ?
	    json_object_new_string(actor) : NULL);
	json_object_object_add(o, "agentId", a->agent ?
	    jsonio_id_new(a->agent) : NULL);
	json_object_object_add(o, "agentName", *agent ?
	    json_object_new_string(agent) : NULL);
	json_object_object_add(o, "until", until ?
	    json_object_new_string(until) : NULL);
	return o;
}

int
activity_db_add(struct db *db, long long conv, const struct activity *a,
    long long *id)
{
	static const char ins[] = "INSERT INTO messages (conversationId,"
	    " senderId, messageType, content, isRead, readAt, activity)"
	    " VALUES (?, NULLIF(?, 0), 'activity', ?, 1, CURRENT_TIMESTAMP(3),"
	    " ?)";
	char actor[CHAT_NAME_MAX * 4 + 1], agent[CHAT_NAME_MAX * 4 + 1];
	char text[1200];
	const char *until = NULL;
	json_object *o, *t = NULL;
	struct db_res *res;
	int st;

	*id = 0;
	if (a->action >= ACT_NACTIONS)
		return DB_ERR;
	if ((st = activity_names(db, a, actor, agent, sizeof(actor))) != DB_OK)
		return st;
	if (a->action == ACT_SNOOZED && a->until_ms > 0 &&
	    (t = jsonio_time_new(a->until_ms)) != NULL)
		until = json_object_get_string(t);
	if (activity_sentence(a, actor, agent, until, text, sizeof(text)) ==
	    -1) {
		json_object_put(t);
		return DB_ERR;
	}
	o = activity_json(a, actor, agent, until);
	json_object_put(t);
	st = db_exec(db, &res, ins, "iiss", conv, a->actor, text,
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	if (st != DB_OK)
		return st;
	*id = (long long)res->insert_id;
	db_res_free(res);
	return DB_OK;
}
