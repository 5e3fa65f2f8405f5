/*
 * report.c - the reports' query, scope and renderings (report.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "report.h"

#define DAY_SECONDS	86400

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;			/* y >= 0 here */
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
digits(const char *s, int n, long *out)
{
	int i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

int
report_day_parse(const char *s, long *day)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	long y, m, d;

	if (strlen(s) != REPORT_DATE_LEN || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &y) == -1 || digits(s + 5, 2, &m) == -1 ||
	    digits(s + 8, 2, &d) == -1)
		return -1;
	if (y < REPORT_YEAR_MIN || y > REPORT_YEAR_MAX || m < 1 || m > 12 ||
	    d < 1 || d > mdays[m - 1] + (m == 2 && leap(y)))
		return -1;
	*day = days_from_civil(y, m, d);
	return 0;
}

int
report_day_format(long day, char *out, size_t outsz)
{
	long z, era, doe, yoe, y, doy, mp, d, m;
	int n;

	if (day < 0)
		return -1;
	z = day + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	n = snprintf(out, outsz, "%04ld-%02ld-%02ld", y, m, d);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* One of from and to: absent (0), a day (1), or -1 with err. */
static int
report_date_arg(const char *name, const char *s, long *day,
    struct api_error *err)
{
	if (s == NULL || *s == '\0')
		return 0;
	if (report_day_parse(s, day) == -1)
		return api_fail(err, API_VALIDATION, "%s must be a date "
		    "YYYY-MM-DD (a UTC day, years %d to %d)", name,
		    REPORT_YEAR_MIN, REPORT_YEAR_MAX);
	return 1;
}

/* The three dates of the range, once first and ndays are known. */
static int
report_query_dates(struct report_query *q, struct api_error *err)
{
	if (report_day_format(q->first, q->from, sizeof(q->from)) == -1 ||
	    report_day_format(q->first + q->ndays - 1, q->to,
	    sizeof(q->to)) == -1 ||
	    report_day_format(q->first + q->ndays, q->end,
	    sizeof(q->end)) == -1)
		return api_fail(err, API_INTERNAL, "bad report range");
	return 0;
}

int
report_query_parse(const char *from, const char *to, const char *support,
    time_t now, struct report_query *q, struct api_error *err)
{
	long first, last, lo = 0, hi;
	int hf, ht;

	memset(q, 0, sizeof(*q));
	(void)report_day_parse("2999-12-31", &hi);
	if ((hf = report_date_arg("from", from, &first, err)) == -1 ||
	    (ht = report_date_arg("to", to, &last, err)) == -1)
		return -1;
	if (!hf && !ht)
		last = (long)(now / DAY_SECONDS);
	if (!hf)
		first = last - (REPORT_DAYS_DEFAULT - 1);
	if (!ht)
		last = first + (REPORT_DAYS_DEFAULT - 1);
	first = first < lo ? lo : first;
	last = last > hi ? hi : last;
	if (first > last)
		return api_fail(err, API_VALIDATION,
		    "from must not be after to");
	if (last - first + 1 > REPORT_DAYS_MAX)
		return api_fail(err, API_VALIDATION,
		    "a report covers at most %d days", REPORT_DAYS_MAX);
	q->first = first;
	q->ndays = (int)(last - first + 1);
	if (support != NULL && *support != '\0' &&
	    id_parse(support, &q->support) == -1)
		return api_fail(err, API_VALIDATION,
		    "supportId must be an agent's id");
	return report_query_dates(q, err);
}

int
report_scope(const struct chat_user *u, struct report_query *q,
    struct api_error *err)
{
	if (u->role == CHAT_ROLE_USER)
		return api_fail(err, API_FORBIDDEN,
		    "reports are for the support team");
	if (u->role == CHAT_ROLE_ADMIN)
		return 0;
	if (q->support == 0)
		q->support = u->id;
	if (q->support != u->id)
		return api_fail(err, API_FORBIDDEN,
		    "an agent reads only their own report");
	return 0;
}

struct report_agent *
report_agent_of(struct report *rep, long long id)
{
	struct report_agent *a;
	size_t i;

	for (i = 0; i < rep->nagents; i++)
		if (rep->agent[i].id == id)
			return &rep->agent[i];
	a = realloc(rep->agent, (rep->nagents + 1) * sizeof(*a));
	if (a == NULL)
		return NULL;
	rep->agent = a;
	a = &rep->agent[rep->nagents++];
	memset(a, 0, sizeof(*a));
	a->id = id;
	return a;
}

static int
agent_cmp(const void *x, const void *y)
{
	const struct report_agent *a = x, *b = y;
	int c = strcmp(a->name, b->name);

	if (c != 0)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

void
report_sort(struct report *rep)
{
	if (rep->nagents > 1)
		qsort(rep->agent, rep->nagents, sizeof(rep->agent[0]),
		    agent_cmp);
}

void
report_free(struct report *rep)
{
	free(rep->day);
	free(rep->agent);
	rep->day = NULL;
	rep->agent = NULL;
	rep->nagents = 0;
}

/*
 * A figure as text with at most decimals places, trailing zeros dropped
 * ("45.5", "20"): JSON and CSV write the same digits.
 */
static void
report_num(double v, int decimals, char *out, size_t outsz)
{
	size_t n;
	int w = snprintf(out, outsz, "%.*f", decimals, v);

	if (w < 0 || (size_t)w >= outsz) {
		(void)snprintf(out, outsz, "0");
		return;
	}
	n = (size_t)w;
	if (strchr(out, '.') == NULL)
		return;
	while (n > 0 && out[n - 1] == '0')
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
	if (strcmp(out, "-0") == 0)
		(void)snprintf(out, outsz, "0");
}

/* The text of each figure of f, or NULL where it has none. */
enum report_col {
	COL_STARTED, COL_RESOLVED, COL_FR_MEDIAN, COL_FR_P90, COL_RES_MEDIAN,
	COL_RES_P90, COL_IN, COL_OUT, COL_RATING_AVG, COL_RATING_COUNT,
	REPORT_NCOLS
};
#define REPORT_NUM_MAX	32
struct report_text {
	char		 buf[REPORT_NCOLS][REPORT_NUM_MAX];
	const char	*col[REPORT_NCOLS];
};

/* A long long takes at most 20 bytes: never truncated. */
static void
text_ll(struct report_text *t, enum report_col c, long long v)
{
	(void)snprintf(t->buf[c], REPORT_NUM_MAX, "%lld", v);
	t->col[c] = t->buf[c];
}

static void
text_num(struct report_text *t, enum report_col c, int has, double v,
    int decimals)
{
	t->col[c] = NULL;
	if (!has)
		return;
	report_num(v, decimals, t->buf[c], REPORT_NUM_MAX);
	t->col[c] = t->buf[c];
}

static void
report_text(const struct report_figs *f, struct report_text *t)
{
	const struct report_pct *fr = &f->first_response, *rs = &f->resolution;

	text_ll(t, COL_STARTED, f->started);
	text_ll(t, COL_RESOLVED, f->resolved);
	text_num(t, COL_FR_MEDIAN, fr->has, fr->median, 3);
	text_num(t, COL_FR_P90, fr->has, fr->p90, 3);
	text_num(t, COL_RES_MEDIAN, rs->has, rs->median, 3);
	text_num(t, COL_RES_P90, rs->has, rs->p90, 3);
	text_ll(t, COL_IN, f->msg_in);
	text_ll(t, COL_OUT, f->msg_out);
	text_num(t, COL_RATING_AVG, f->rated > 0,
	    f->rated > 0 ? (double)f->score_sum / (double)f->rated : 0, 2);
	text_ll(t, COL_RATING_COUNT, f->rated);
}

/* --- JSON ------------------------------------------------------------ */

static void
obj_add(json_object *o, const char *key, json_object *v)
{
	(void)json_object_object_add_ex(o, key, v,
	    JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_KEY_IS_CONSTANT);
}

/* A number written as its text; JSON null for none. */
static json_object *
json_num(const char *text)
{
	return text != NULL ? json_object_new_double_s(strtod(text, NULL),
	    text) : NULL;
}

static json_object *
json_pair(const struct report_text *t, const char *k1, enum report_col c1,
    const char *k2, enum report_col c2)
{
	json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	obj_add(o, k1, json_num(t->col[c1]));
	obj_add(o, k2, json_num(t->col[c2]));
	return o;
}

/* The figures of f added to o. */
static void
report_json_figs(json_object *o, const struct report_figs *f)
{
	struct report_text t;

	report_text(f, &t);
	obj_add(o, "started", json_object_new_int64(f->started));
	obj_add(o, "resolved", json_object_new_int64(f->resolved));
	obj_add(o, "firstResponse", json_pair(&t, "median", COL_FR_MEDIAN,
	    "p90", COL_FR_P90));
	obj_add(o, "resolution", json_pair(&t, "median", COL_RES_MEDIAN,
	    "p90", COL_RES_P90));
	obj_add(o, "messagesIn", json_object_new_int64(f->msg_in));
	obj_add(o, "messagesOut", json_object_new_int64(f->msg_out));
	obj_add(o, "rating", json_pair(&t, "average", COL_RATING_AVG,
	    "count", COL_RATING_COUNT));
}

static json_object *
report_json_days(const struct report *rep)
{
	json_object *a = json_object_new_array(), *o;
	char date[REPORT_DATE_LEN + 1];
	int i;

	for (i = 0; a != NULL && i < rep->q.ndays; i++) {
		if ((o = json_object_new_object()) == NULL ||
		    report_day_format(rep->q.first + i, date,
		    sizeof(date)) == -1) {
			json_object_put(o);
			json_object_put(a);
			return NULL;
		}
		obj_add(o, "date", json_object_new_string(date));
		report_json_figs(o, &rep->day[i]);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
report_json_agents(const struct report *rep)
{
	json_object *a = json_object_new_array(), *o;
	size_t i;

	for (i = 0; a != NULL && i < rep->nagents; i++) {
		if ((o = json_object_new_object()) == NULL) {
			json_object_put(a);
			return NULL;
		}
		obj_add(o, "supportId", jsonio_id_new(rep->agent[i].id));
		obj_add(o, "name", json_object_new_string(rep->agent[i].name));
		report_json_figs(o, &rep->agent[i].f);
		json_object_array_add(a, o);
	}
	return a;
}

json_object *
report_json(const struct report *rep)
{
	json_object *o, *days, *agents, *totals;

	o = json_object_new_object();
	days = report_json_days(rep);
	agents = report_json_agents(rep);
	totals = json_object_new_object();
	if (o == NULL || days == NULL || agents == NULL || totals == NULL) {
		json_object_put(o);
		json_object_put(days);
		json_object_put(agents);
		json_object_put(totals);
		return NULL;
	}
	report_json_figs(totals, &rep->total);
	obj_add(o, "from", json_object_new_string(rep->q.from));
	obj_add(o, "to", json_object_new_string(rep->q.to));
	obj_add(o, "supportId", rep->q.support > 0 ?
	    jsonio_id_new(rep->q.support) : NULL);
	obj_add(o, "days", days);
	obj_add(o, "agents", agents);
	obj_add(o, "totals", totals);
	return o;
}

/* --- CSV ------------------------------------------------------------- */

static void
buf_put(struct report_buf *b, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
report_buf_field(struct report_buf *b, const char *s, int text)
{
	int guard, quote;
	const char *q;

	if (b->col++ > 0)
		buf_put(b, ",", 1);
	if (s == NULL)
		return;
	guard = text && *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
	quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_put(b, "\"", 1);
	if (guard)
		buf_put(b, "'", 1);
	while (quote && (q = strchr(s, '"')) != NULL) {
		buf_put(b, s, (size_t)(q - s) + 1);
		buf_put(b, "\"", 1);
		s = q + 1;
	}
	buf_put(b, s, strlen(s));
	if (quote)
		buf_put(b, "\"", 1);
}

void
report_buf_eol(struct report_buf *b)
{
	buf_put(b, "\r\n", 2);
	b->col = 0;
}

static const char *const csv_head[] = {
	"row", "date", "supportId", "name", "started", "resolved",
	"firstResponseMedian", "firstResponseP90", "resolutionMedian",
	"resolutionP90", "messagesIn", "messagesOut", "ratingAverage",
	"ratingCount"
};

/* One row: its kind, date, agent id and name (NULL: empty), figures. */
static void
report_csv_row(struct report_buf *b, const char *kind, const char *date,
    long long support, const char *name, const struct report_figs *f)
{
	struct report_text t;
	char id[24];
	int c;

	(void)snprintf(id, sizeof(id), "%lld", support);	/* fits */
	report_text(f, &t);
	report_buf_field(b, kind, 0);
	report_buf_field(b, date, 0);
	report_buf_field(b, support > 0 ? id : NULL, 0);
	report_buf_field(b, name, 1);
	for (c = 0; c < REPORT_NCOLS; c++)
		report_buf_field(b, t.col[c], 0);
	report_buf_eol(b);
}

int
report_csv(const struct report *rep, char **out, size_t *len)
{
	struct report_buf b = { 0 };
	char date[REPORT_DATE_LEN + 1];
	size_t i;
	int d;

	for (i = 0; i < sizeof(csv_head) / sizeof(csv_head[0]); i++)
		report_buf_field(&b, csv_head[i], 0);
	report_buf_eol(&b);
	for (d = 0; d < rep->q.ndays; d++) {
		if (report_day_format(rep->q.first + d, date,
		    sizeof(date)) == -1)
			b.failed = 1;
		report_csv_row(&b, "day", date, 0, NULL, &rep->day[d]);
	}
	for (i = 0; i < rep->nagents; i++)
		report_csv_row(&b, "agent", NULL, rep->agent[i].id,
		    rep->agent[i].name, &rep->agent[i].f);
	report_csv_row(&b, "total", NULL, rep->q.support, NULL, &rep->total);
	if (b.failed) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}
