/*
 * reports_db.c - the statements of the reports (reports_db.h).
 *
 * Each statement returns a row per (day, agent) that has anything, the
 * day as its offset from the first day of the range and the agent as an
 * id (0: none) with its name; the days', agents' and totals' counts are
 * their sums.  Medians and percentiles do not add up, so the two duration
 * statements compute them for each day, each agent and the whole range by
 * window functions over the conversations in range, and carry all three
 * on every row (the same values on each row of a day, of an agent).
 *
 * Every statement takes the same parameters: the first day (for the
 * offset), the first day and the day after the last (the range), and the
 * agent twice (0: everyone).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports_db.h"

/* The columns every statement starts with; the measures follow. */
enum report_row_col {
	RR_DAY, RR_AGENT, RR_NAME, RR_MEASURE
};
/* The duration statements' measures: a count, then three levels. */
enum report_pct_col {
	RP_COUNT = RR_MEASURE, RP_LEVELS,	/* median, p90 per level */
	RP_NCOLS = RP_LEVELS + 6
};
/* A level of the figures: its day, its agent, the whole range. */
enum report_level {
	LEVEL_DAY, LEVEL_AGENT, LEVEL_ALL, NLEVELS
};
enum report_msg_col {
	RM_IN = RR_MEASURE, RM_OUT, RM_NCOLS
};
enum report_rating_col {
	RT_COUNT = RR_MEASURE, RT_SUM, RT_NCOLS
};

#define PCT(frac, part)							\
	"PERCENTILE_CONT(" frac ") WITHIN GROUP (ORDER BY v) OVER (" part ")"
/*
 * Over src's rows (d: day, a: agent, v: seconds or NULL), the count and
 * the percentiles of v by day, by agent and over everything.
 */
#define REPORT_PCT(src)							\
	"SELECT w.d, w.a, s.name, COUNT(*), MIN(w.dm), MIN(w.dp),"	\
	" MIN(w.am), MIN(w.ap), MIN(w.tm), MIN(w.tp) FROM (SELECT d, a, "\
	PCT("0.5", "PARTITION BY d") " dm, "				\
	PCT("0.9", "PARTITION BY d") " dp, "				\
	PCT("0.5", "PARTITION BY a") " am, "				\
	PCT("0.9", "PARTITION BY a") " ap, "				\
	PCT("0.5", "") " tm, " PCT("0.9", "") " tp"			\
	" FROM (" src ") x) w LEFT JOIN users s ON s.id = w.a"		\
	" GROUP BY w.d, w.a, s.name"
/* Conversations with col in the range; v: seconds from createdAt to until. */
#define REPORT_CONV(col, until)						\
	"SELECT DATEDIFF(c." col ", ?) d,"				\
	" COALESCE(c.assignedSupportId, 0) a, TIMESTAMPDIFF(MICROSECOND,"\
	" c.createdAt, c." until ") / 1000000 v FROM conversations c"	\
	" WHERE c." col " >= ? AND c." col " < ?"			\
	" AND (? = 0 OR c.assignedSupportId = ?)"

static const char started_sql[] =
    REPORT_PCT(REPORT_CONV("createdAt", "firstResponseAt"));
static const char resolved_sql[] =
    REPORT_PCT(REPORT_CONV("resolvedAt", "resolvedAt"));
/* Users' messages for the conversation's agent, the team's for the sender. */
static const char messages_sql[] =
    "SELECT x.d, x.a, s.name, SUM(x.u), SUM(1 - x.u) FROM ("
    "SELECT DATEDIFF(m.createdAt, ?) d, m.senderId = c.userId u,"
    " IF(m.senderId = c.userId, COALESCE(c.assignedSupportId, 0),"
    " m.senderId) a FROM messages m"
    " JOIN conversations c ON c.id = m.conversationId"
    " WHERE m.createdAt >= ? AND m.createdAt < ?"
    " AND m.messageType <> 'activity' AND m.isPrivate = 0) x"
    " LEFT JOIN users s ON s.id = x.a WHERE (? = 0 OR x.a = ?)"
    " GROUP BY x.d, x.a, s.name";
static const char ratings_sql[] =
    "SELECT DATEDIFF(r.createdAt, ?) d, COALESCE(r.supportId, 0) a, s.name,"
    " COUNT(*), SUM(r.score) FROM conversation_ratings r"
    " LEFT JOIN users s ON s.id = r.supportId"
    " WHERE r.createdAt >= ? AND r.createdAt < ?"
    " AND (? = 0 OR r.supportId = ?) GROUP BY d, a, s.name";

/*
 * A statement and what its measures add to: each of the first nsum to a
 * count of the figures (an offset in struct report_figs), and the
 * percentiles after them, if any, to a struct report_pct.
 */
#define NO_PCT	((size_t)-1)
#define FIG(field)	offsetof(struct report_figs, field)
struct report_stmt {
	const char	*sql;
	unsigned	 ncols;
	unsigned	 nsum;
	size_t		 sum[2];
	size_t		 pct;
};
static const struct report_stmt stmts[] = {
	{ started_sql, RP_NCOLS, 1, { FIG(started) }, FIG(first_response) },
	{ resolved_sql, RP_NCOLS, 1, { FIG(resolved) }, FIG(resolution) },
	{ messages_sql, RM_NCOLS, 2, { FIG(msg_in), FIG(msg_out) }, NO_PCT },
	{ ratings_sql, RT_NCOLS, 2, { FIG(rated), FIG(score_sum) }, NO_PCT },
};

/* The percentiles of a level from the row, unless it has none. */
static void
pct_set(struct report_pct *p, const struct db_res *res, unsigned row,
    enum report_level level)
{
	const char *median = db_cell(res, row, RP_LEVELS + 2 * level);
	const char *p90 = db_cell(res, row, RP_LEVELS + 2 * level + 1);

	if (median == NULL || p90 == NULL)
		return;
	p->has = 1;
	p->median = strtod(median, NULL);
	p->p90 = strtod(p90, NULL);
}

/* What one row adds to its day's, its agent's and the total figures. */
static void
report_row_add(const struct report_stmt *st, const struct db_res *res,
    unsigned row, struct report_figs *f[NLEVELS])
{
	unsigned i;
	int l;

	for (l = 0; l < NLEVELS; l++) {
		for (i = 0; i < st->nsum; i++)
			*(long long *)((char *)f[l] + st->sum[i]) +=
			    db_cell_ll(res, row, RR_MEASURE + i, 0);
		if (st->pct != NO_PCT)
			pct_set((struct report_pct *)((char *)f[l] + st->pct),
			    res, row, (enum report_level)l);
	}
}

/* The agent of a row (none: a scratch that is never shown), named. */
static struct report_figs *
report_row_agent(struct report *rep, const struct db_res *res, unsigned row,
    struct report_figs *none)
{
	long long id = db_cell_ll(res, row, RR_AGENT, 0);
	const char *name = db_cell(res, row, RR_NAME);
	struct report_agent *a;
	size_t n;

	if (id <= 0)
		return none;
	if ((a = report_agent_of(rep, id)) == NULL)
		return NULL;
	if (a->name[0] == '\0' && name != NULL) {
		n = strlen(name);
		if (n >= sizeof(a->name))
			n = sizeof(a->name) - 1;	/* never: names are capped */
		memcpy(a->name, name, n);
		a->name[n] = '\0';
	}
	return &a->f;
}

static int
reports_db_run(struct db *db, struct report *rep,
    const struct report_stmt *stmt, struct api_error *err)
{
	const struct report_query *q = &rep->q;
	struct report_figs none, *f[NLEVELS];
	struct db_res *res;
	long long day;
	unsigned row;
	int st;

	if ((st = db_exec(db, &res, stmt->sql, "sssii", q->from, q->from, q->end,
	    q->support, q->support)) != DB_OK)
		return chat_db_fail(err, st);
	for (row = 0; row < res->nrows && res->ncols == stmt->ncols; row++) {
		day = db_cell_ll(res, row, RR_DAY, -1);
		if (day < 0 || day >= q->ndays)
			continue;		/* never: the range is the WHERE */
		memset(&none, 0, sizeof(none));
		f[LEVEL_DAY] = &rep->day[day];
		f[LEVEL_AGENT] = report_row_agent(rep, res, row, &none);
		f[LEVEL_ALL] = &rep->total;
		if (f[LEVEL_AGENT] == NULL) {
			db_res_free(res);
			return api_fail(err, API_INTERNAL, "out of memory");
		}
		report_row_add(stmt, res, row, f);
	}
	st = res->ncols == stmt->ncols || res->nrows == 0;
	db_res_free(res);
	return st ? 0 : api_fail(err, API_INTERNAL, "bad report row");
}

/* The one agent asked for, listed even with nothing to show: 404 if none. */
static int
reports_db_agent(struct db *db, struct report *rep, struct api_error *err)
{
	static const char sql[] = "SELECT name FROM users"
	    " WHERE id = ? AND role IN ('Support', 'Admin')";
	struct report_agent *a;
	struct db_res *res;
	const char *name;
	int st;

	if ((st = db_exec(db, &res, sql, "i", rep->q.support)) != DB_OK)
		return chat_db_fail(err, st);
	name = db_cell(res, 0, 0);
	if (res->nrows == 0 || name == NULL) {
		db_res_free(res);
		return api_fail(err, API_NOT_FOUND, "no such agent");
	}
	if ((a = report_agent_of(rep, rep->q.support)) == NULL) {
		db_res_free(res);
		return api_fail(err, API_INTERNAL, "out of memory");
	}
	st = (size_t)snprintf(a->name, sizeof(a->name), "%s", name) >=
	    sizeof(a->name);
	db_res_free(res);
	return st ? api_fail(err, API_INTERNAL, "bad agent row") : 0;
}

int
reports_db_fill(struct db *db, const struct report_query *q,
    struct report *rep, struct api_error *err)
{
	size_t i;

	memset(rep, 0, sizeof(*rep));
	rep->q = *q;
	if ((rep->day = calloc((size_t)q->ndays, sizeof(rep->day[0]))) == NULL)
		return api_fail(err, API_INTERNAL, "out of memory");
	if (q->support > 0 && reports_db_agent(db, rep, err) == -1) {
		report_free(rep);
		return -1;
	}
	for (i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++)
		if (reports_db_run(db, rep, &stmts[i], err) == -1) {
			report_free(rep);
			return -1;
		}
	report_sort(rep);
	return 0;
}
