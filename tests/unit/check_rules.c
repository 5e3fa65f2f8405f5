/*
 * check_rules.c - the rules of lib/ against a real MariaDB: who sees which
 * conversation (one row and lists), which history, which media; and where
 * routing sends a conversation.
 *
 * Not a plain unit test: it needs the private database that
 * tests/integration/run.sh starts, and runs from there with its config
 * (argv[1]).  Fixtures are made with SQL of the test's own; everything
 * checked goes through lib/'s functions, as cgi/ and pushd/ call them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"
#include "chat.h"
#include "config.h"
#include "conversations_db.h"
#include "db.h"
#include "messages_db.h"
#include "route_db.h"

static struct config	cfg;
static struct db	*db;
static const char	*conf_path;

/* The cast: two users, two agents, an admin; conversations A (user a,
 * agent s1, with an image message) and B (user b, unassigned); an upload
 * of a's that was never sent. */
static struct chat_user	ua, ub, s1, s2, adm;
static long long	conv_a, conv_b, media_sent, media_unsent;

static void
person(struct chat_user *u, enum chat_role role, const char *tag)
{
	static const char sql[] = "INSERT INTO users (phone, name, role,"
	    " passwordHash) VALUES (CONCAT('+9188', LPAD(FLOOR(RAND() *"
	    " 100000000), 8, '0')), ?, ?, 'x')";
	struct db_res *res;

	memset(u, 0, sizeof(*u));
	u->role = role;
	ck_assert_int_eq(db_exec(db, &res, sql, "ss", tag,
	    chat_role_name(role)), DB_OK);
	u->id = (long long)res->insert_id;
	db_res_free(res);
}

/* One INSERT of up to three integers (types says how many); its id. */
static long long
exec_id(const char *sql, const char *types, long long a, long long b,
    long long c)
{
	struct db_res *res;
	long long id;

	ck_assert_int_eq(db_exec(db, &res, sql, types, a, b, c), DB_OK);
	id = (long long)res->insert_id;
	db_res_free(res);
	return id;
}

static void
setup(void)
{
	char err[256];

	ck_assert_int_eq(config_load(&cfg, conf_path, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(db = db_new(&cfg));
	ck_assert_int_eq(db_connect(db), DB_OK);
	person(&ua, CHAT_ROLE_USER, "Rules User A");
	person(&ub, CHAT_ROLE_USER, "Rules User B");
	person(&s1, CHAT_ROLE_SUPPORT, "Rules Agent 1");
	person(&s2, CHAT_ROLE_SUPPORT, "Rules Agent 2");
	person(&adm, CHAT_ROLE_ADMIN, "Rules Admin");
	conv_a = exec_id("INSERT INTO conversations (userId, assignedSupportId)"
	    " VALUES (?, ?)", "ii", ua.id, s1.id, 0);
	conv_b = exec_id("INSERT INTO conversations (userId, status,"
	    " queuedAt) VALUES (?, 'pending', CURRENT_TIMESTAMP(3))", "i",
	    ub.id, 0, 0);
	media_sent = exec_id("INSERT INTO media (ownerId, name, type, fileName,"
	    " format, size) VALUES (?, 'leaf.png', 'image',"
	    " CONCAT(UUID(), '.png'), 'image/png', 10)", "i", ua.id, 0, 0);
	media_unsent = exec_id("INSERT INTO media (ownerId, name, type,"
	    " fileName, format, size) VALUES (?, 'other.png', 'image',"
	    " CONCAT(UUID(), '.png'), 'image/png', 10)", "i", ua.id, 0, 0);
	(void)exec_id("INSERT INTO messages (conversationId, senderId,"
	    " messageType, mediaId) VALUES (?, ?, 'image', ?)", "iii", conv_a,
	    ua.id, media_sent);
}

static void
teardown(void)
{
	db_free(db);
	db = NULL;
}

static int
sees(const struct chat_user *u, long long conv)
{
	struct chat_conv c;
	struct api_error err;
	int r = chat_conversation_access(db, u, conv, &c, &err);

	if (r == -1)
		ck_assert_int_eq(err.code, API_NOT_FOUND);
	return r == 0;
}

START_TEST(one_conversation)
{
	ck_assert(sees(&ua, conv_a));
	ck_assert(!sees(&ua, conv_b));
	ck_assert(!sees(&ub, conv_a));
	ck_assert(sees(&ub, conv_b));
	ck_assert(sees(&s1, conv_a));
	ck_assert(!sees(&s2, conv_a));
	ck_assert(sees(&s1, conv_b));		/* the queue: every agent */
	ck_assert(sees(&s2, conv_b));
	ck_assert(sees(&adm, conv_a));
	ck_assert(sees(&adm, conv_b));
	ck_assert(!sees(&adm, 987654321));	/* none at all: 404 too */
}
END_TEST

static int
acts(const struct chat_user *u, long long conv)
{
	struct chat_conv c;
	struct api_error err;
	int r = chat_conversation_act(db, u, conv, &c, &err);

	if (r == -1)
		ck_assert_int_eq(err.code, API_NOT_FOUND);
	return r == 0;
}

START_TEST(acting_in_one)
{
	ck_assert(acts(&ua, conv_a));
	ck_assert(!acts(&ub, conv_a));
	ck_assert(acts(&s1, conv_a));
	ck_assert(!acts(&s2, conv_a));
	ck_assert(!acts(&s1, conv_b));		/* seen in the queue, not its */
	ck_assert(acts(&ub, conv_b));
	ck_assert(acts(&adm, conv_b));
}
END_TEST

/* Whether conv is among the first 100 of u's list (assignee as ?assignee=). */
static int
lists_as(const struct chat_user *u, const char *assignee, long long conv,
    long long *total)
{
	struct conv_filter f;
	struct api_error err;
	json_object *arr, *o, *id;
	size_t i;
	int found = 0;

	ck_assert_int_eq(conv_filter_parse(u, assignee, "all", &f, &err), 0);
	ck_assert_ptr_nonnull(arr = conv_db_list(db, u, &f, 1, 100, total,
	    &err));
	for (i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		if (json_object_object_get_ex(o, "_id", &id) &&
		    atoll(json_object_get_string(id)) == conv)
			found = 1;
	}
	json_object_put(arr);
	return found;
}

static int
lists(const struct chat_user *u, long long conv, long long *total)
{
	return lists_as(u, u->role == CHAT_ROLE_ADMIN ? "all" : NULL, conv,
	    total);
}

START_TEST(lists_follow_the_same_rule)
{
	long long total;

	ck_assert(lists(&ua, conv_a, &total));
	ck_assert_int_eq(total, 1);
	ck_assert(!lists(&ua, conv_b, &total));
	ck_assert(lists(&s1, conv_a, &total));
	ck_assert(!lists(&s2, conv_a, &total));
	ck_assert(!lists(&s1, conv_b, &total));
	ck_assert(lists(&adm, conv_a, &total));
	ck_assert(lists(&adm, conv_b, &total) || total > 100);
	/* The queue, for agents: unassigned ones only. */
	ck_assert(lists_as(&s2, "unassigned", conv_b, &total) || total > 100);
	ck_assert(!lists_as(&s1, "unassigned", conv_a, &total));
}
END_TEST

START_TEST(history_follows_the_same_rule)
{
	struct api_error err;
	struct msg_page pg;

	ck_assert_int_eq(msg_db_page(db, &cfg, &ua, conv_a, 1LL << 62, 0, 50,
	    0, &pg, &err), 0);
	ck_assert_uint_eq(json_object_array_length(pg.messages), 1);
	json_object_put(pg.messages);
	ck_assert_int_eq(msg_db_page(db, &cfg, &s2, conv_a, 1LL << 62, 0, 50,
	    0, &pg, &err), -1);
	ck_assert_int_eq(err.code, API_NOT_FOUND);
	/* An empty conversation: empty for its user, 404 for a stranger. */
	ck_assert_int_eq(msg_db_page(db, &cfg, &ub, conv_b, 1LL << 62, 0, 50,
	    0, &pg, &err), 0);
	ck_assert_uint_eq(json_object_array_length(pg.messages), 0);
	json_object_put(pg.messages);
	ck_assert_int_eq(msg_db_page(db, &cfg, &ua, conv_b, 0, 1, 50, 0,
	    &pg, &err), -1);
	ck_assert_int_eq(err.code, API_NOT_FOUND);
}
END_TEST

static int
sees_media(const struct chat_user *u, long long id)
{
	struct api_error err;

	return chat_media_access(db, u, id, &err) == 0;
}

START_TEST(media_follows_the_same_rule)
{
	ck_assert(sees_media(&ua, media_sent));		/* its owner */
	ck_assert(sees_media(&s1, media_sent));		/* shown to s1 */
	ck_assert(!sees_media(&s2, media_sent));
	ck_assert(!sees_media(&ub, media_sent));
	ck_assert(sees_media(&adm, media_sent));
	ck_assert(sees_media(&ua, media_unsent));
	ck_assert(!sees_media(&s1, media_unsent));	/* never sent */
	ck_assert(sees_media(&adm, media_unsent));
}
END_TEST

START_TEST(roles_by_name)
{
	enum chat_role r;
	unsigned i;

	for (i = 0; i < CHAT_NROLES; i++) {
		ck_assert_int_eq(chat_role_parse(chat_role_name(
		    (enum chat_role)i), &r), 0);
		ck_assert_int_eq(r, (enum chat_role)i);
	}
	ck_assert_int_eq(chat_role_parse("admin", &r), -1);
	ck_assert_int_eq(chat_role_parse("", &r), -1);
}
END_TEST

/* --- routing (route_db.h) --------------------------------------------- */

/* Routing's cast: agents r1, r2 connected and available, r3 busy. */
static struct chat_user	r1, r2, r3;

static void
sql_ok(const char *sql, const char *types, long long a, long long b)
{
	ck_assert_int_eq(db_exec(db, NULL, sql, types, a, b), DB_OK);
}

static void
route_setup(void)
{
	setup();
	person(&r1, CHAT_ROLE_SUPPORT, "Route Agent 1");
	person(&r2, CHAT_ROLE_SUPPORT, "Route Agent 2");
	person(&r3, CHAT_ROLE_SUPPORT, "Route Agent 3");
	/* Only this cast may take work: nobody else is connected yet. */
	sql_ok("UPDATE users SET isOnline = 0 WHERE role = 'Support'", "", 0, 0);
	sql_ok("UPDATE users SET isOnline = 1, capacity = 2 WHERE id IN (?, ?)",
	    "ii", r1.id, r2.id);
	sql_ok("UPDATE users SET isOnline = 1, availability = 'busy'"
	    " WHERE id = ?", "i", r3.id, 0);
}

static void
route_teardown(void)
{
	/* Leave nobody connected for the suite that runs next. */
	sql_ok("UPDATE users SET isOnline = 0 WHERE id IN (?, ?)", "ii", r1.id,
	    r2.id);
	sql_ok("UPDATE users SET isOnline = 0 WHERE id = ?", "i", r3.id, 0);
	sql_ok("UPDATE conversations SET status = 'resolved'"
	    " WHERE status = 'pending' AND assignedSupportId IS NULL", "", 0, 0);
	teardown();
}

static long long
pick(long long exclude)
{
	long long agent;

	ck_assert_int_eq(db_begin_fresh(db), DB_OK);
	ck_assert_int_eq(route_db_pick(db, &cfg, exclude, &agent), DB_OK);
	ck_assert_int_eq(db_commit(db), DB_OK);
	return agent;
}

START_TEST(routing_picks_the_least_loaded_available_agent)
{
	(void)exec_id("INSERT INTO conversations (userId, assignedSupportId)"
	    " VALUES (?, ?)", "ii", ua.id, r1.id, 0);
	ck_assert_int_eq(pick(0), r2.id);	/* fewest open; r3 is busy */
	ck_assert_int_eq(pick(r2.id), r1.id);
	sql_ok("UPDATE users SET capacity = 1 WHERE id = ?", "i", r1.id, 0);
	ck_assert_int_eq(pick(r2.id), 0);	/* r1 is full */
	sql_ok("UPDATE users SET disabled = 1 WHERE id = ?", "i", r2.id, 0);
	ck_assert_int_eq(pick(0), 0);
}
END_TEST

START_TEST(draining_takes_the_oldest_up_to_capacity)
{
	struct route_move m[ROUTE_DRAIN_MAX];
	struct api_error err;
	long long q[3];
	unsigned i, n;

	/* Older than anything else waiting: these go first. */
	for (i = 0; i < 3; i++)
		q[i] = exec_id("INSERT INTO conversations (userId, status,"
		    " queuedAt) VALUES (?, 'pending', FROM_UNIXTIME(?))", "ii",
		    ub.id, 1000000000 + i, 0);
	ck_assert_int_eq(route_db_drain(db, &cfg, r2.id, m, ROUTE_DRAIN_MAX,
	    &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(m[i].conversation, q[i]);
		ck_assert_int_eq(m[i].agent, r2.id);
		ck_assert_int_gt(m[i].activity, 0);
	}
	/* Full now: nothing more, and a busy agent takes nothing. */
	ck_assert_int_eq(route_db_drain(db, &cfg, r2.id, m, ROUTE_DRAIN_MAX,
	    &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(route_db_drain(db, &cfg, r3.id, m, ROUTE_DRAIN_MAX,
	    &n, &err), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(settling_keeps_an_available_agent_and_moves_from_an_absent_one)
{
	struct route_move m;
	struct api_error err;
	long long c;

	c = exec_id("INSERT INTO conversations (userId, assignedSupportId)"
	    " VALUES (?, ?)", "ii", ua.id, r1.id, 0);
	ck_assert_int_eq(route_db_settle(db, &cfg, c, 0, &m, &err), 0);
	ck_assert_int_eq(m.conversation, 0);		/* r1 keeps it */
	sql_ok("UPDATE users SET isOnline = 0 WHERE id = ?", "i", r1.id, 0);
	ck_assert_int_eq(route_db_settle(db, &cfg, c, 0, &m, &err), 0);
	ck_assert_int_eq(m.conversation, c);
	ck_assert_int_eq(m.previous, r1.id);
	ck_assert_int_eq(m.agent, r2.id);
	/* Away too: back in the queue, as nobody else can take it. */
	sql_ok("UPDATE users SET isOnline = 0 WHERE id = ?", "i", r2.id, 0);
	ck_assert_int_eq(route_db_settle(db, &cfg, c, 0, &m, &err), 0);
	ck_assert_int_eq(m.conversation, c);
	ck_assert_int_eq(m.previous, r2.id);
	ck_assert_int_eq(m.agent, 0);
	/* Waiting already: it keeps its place, nothing moves. */
	ck_assert_int_eq(route_db_settle(db, &cfg, c, 0, &m, &err), 0);
	ck_assert_int_eq(m.conversation, 0);
}
END_TEST

static Suite *
rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, one_conversation);
	tcase_add_test(tc, acting_in_one);
	tcase_add_test(tc, lists_follow_the_same_rule);
	tcase_add_test(tc, history_follows_the_same_rule);
	tcase_add_test(tc, media_follows_the_same_rule);
	tcase_add_test(tc, roles_by_name);
	suite_add_tcase(s, tc);
	tc = tcase_create("routing");
	tcase_add_checked_fixture(tc, route_setup, route_teardown);
	tcase_add_test(tc, routing_picks_the_least_loaded_available_agent);
	tcase_add_test(tc, draining_takes_the_oldest_up_to_capacity);
	tcase_add_test(tc,
	    settling_keeps_an_available_agent_and_moves_from_an_absent_one);
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: check_rules chat.conf\n");
		return 2;
	}
	conf_path = argv[1];
	return unit_run(rules_suite());
}
