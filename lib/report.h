/*
 * report.h - the reports (GET /api/v1/reports/summary): what is asked
 * (a range of UTC days and an agent, or all), who may ask it, the figures
 * and how they are written, as JSON or CSV.  Pure: the figures come from
 * reports_db.h.
 *
 * Days are UTC calendar days written YYYY-MM-DD; a range is inclusive and
 * at most REPORT_DAYS_MAX days.
 */
#ifndef CHAT_REPORT_H
#define CHAT_REPORT_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "apierr.h"
#include "chat.h"

#define REPORT_DAYS_MAX		366
#define REPORT_DAYS_DEFAULT	7
#define REPORT_DATE_LEN		10		/* YYYY-MM-DD */

/* What is asked, checked: from <= to, both as days since 1970-01-01. */
struct report_query {
	long	 first;			/* the first day */
	int	 ndays;			/* 1..REPORT_DAYS_MAX */
	long long support;		/* the agent, or 0 for all */
	char	 from[REPORT_DATE_LEN + 1];
	char	 to[REPORT_DATE_LEN + 1];
	char	 end[REPORT_DATE_LEN + 1];	/* the day after to */
};

/* A duration's median and 90th percentile, in seconds. */
struct report_pct {
	int	has;			/* 0: no data (JSON null) */
	double	median;
	double	p90;
};

/* The figures of a day, an agent or the whole range. */
struct report_figs {
	long long		started;	/* conversations created */
	long long		resolved;
	struct report_pct	first_response;
	struct report_pct	resolution;
	long long		msg_in;		/* from users */
	long long		msg_out;	/* from the team: no notes */
	long long		rated;		/* ratings given */
	long long		score_sum;
};

struct report_agent {
	long long		id;
	char			name[CHAT_NAME_MAX * 4 + 1];
	struct report_figs	f;
};

/* A report: owns day and agent (report_free). */
struct report {
	struct report_query	 q;
	struct report_figs	*day;		/* q.ndays */
	struct report_figs	 total;
	struct report_agent	*agent;		/* by name, once sorted */
	size_t			 nagents;
};

#define REPORT_YEAR_MIN		1970
#define REPORT_YEAR_MAX		2999

/* Days since 1970-01-01 of a strict YYYY-MM-DD (years above): 0, or -1. */
int	report_day_parse(const char *s, long *day);
/* The date of day (>= 0) as YYYY-MM-DD into out: 0, or -1 if it is not. */
int	report_day_format(long day, char *out, size_t outsz);

/*
 * The query from its parameters (NULL: absent): from and to (a missing
 * one is REPORT_DAYS_DEFAULT days from the other, both missing the last
 * REPORT_DAYS_DEFAULT days up to today), supportId.  0, or -1 with err
 * (400).
 */
int	report_query_parse(const char *from, const char *to,
	    const char *support, time_t now, struct report_query *q,
	    struct api_error *err);
/*
 * Who asks: an admin anything, an agent only their own (no supportId is
 * their own; another's is 403), a user nothing (403).
 */
int	report_scope(const struct chat_user *u, struct report_query *q,
	    struct api_error *err);

/* The agent of that id, added (zeroed, unnamed) if new; NULL out of memory. */
struct report_agent *report_agent_of(struct report *rep, long long id);
/* Agents by name (then id), for both renderings. */
void	report_sort(struct report *rep);
void	report_free(struct report *rep);

/* {from, to, supportId, days, agents, totals}; NULL out of memory. */
json_object	*report_json(const struct report *rep);
/*
 * The same as CSV (a header, a row per day, per agent, then the total)
 * into a malloc'd buffer: 0, or -1 out of memory.
 */
int		 report_csv(const struct report *rep, char **out, size_t *len);
/*
 * A CSV being written: p is malloc'd and owned by whoever started the
 * buffer (zeroed); after a failed append (out of memory) failed is set,
 * p stays valid and nothing more is written.
 */
struct report_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 col;			/* fields on the current line */
	int	 failed;
};
/*
 * One field (NULL: empty): quoted when it holds a comma, a quote or a
 * line break; text (a name) that a spreadsheet would take for a formula
 * (= + - @ tab CR first) gets a ' before it, and quotes.
 */
void		 report_buf_field(struct report_buf *b, const char *s, int text);
void		 report_buf_eol(struct report_buf *b);

#endif
