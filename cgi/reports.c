/*
 * reports.c - GET /api/v1/reports/summary?from=&to=&supportId=&format=:
 * per UTC day and per agent, what the help desk did (report.h, and
 * reports_db.h for who each figure counts for), as JSON or CSV.  Admins
 * read anyone's or everyone's, an agent their own.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "report.h"
#include "reports_db.h"

#define CSV_TYPE	"text/csv; charset=utf-8"

/* One query parameter of at most outsz - 1 bytes; absent leaves "". */
static int
reports_arg(struct request *r, const char *name, char *out, size_t outsz,
    struct api_error *err)
{
	out[0] = '\0';
	if (http_query(r, name, out, outsz) == -1)
		return api_fail(err, API_VALIDATION,
		    "%s is malformed or too long", name);
	return 0;
}

/* The query and its format: 1 for CSV, 0 for JSON, -1 with err. */
static int
reports_parse(struct request *r, struct report_query *q,
    struct api_error *err)
{
	char from[16], to[16], support[24], format[8];

	if (reports_arg(r, "from", from, sizeof(from), err) == -1 ||
	    reports_arg(r, "to", to, sizeof(to), err) == -1 ||
	    reports_arg(r, "supportId", support, sizeof(support), err) == -1 ||
	    reports_arg(r, "format", format, sizeof(format), err) == -1 ||
	    report_query_parse(from, to, support, time(NULL), q, err) == -1 ||
	    report_scope(&r->user, q, err) == -1)
		return -1;
	if (format[0] == '\0' || strcmp(format, "json") == 0)
		return 0;
	if (strcmp(format, "csv") == 0)
		return 1;
	return api_fail(err, API_VALIDATION, "format must be json or csv");
}

static int
reports_csv(const struct report *rep, struct response *resp,
    struct api_error *err)
{
	char *text;
	size_t len;
	int n;

	n = snprintf(resp->headers, sizeof(resp->headers),
	    "Content-Disposition: attachment;"
	    " filename=\"report-%s-%s.csv\"\r\n", rep->q.from, rep->q.to);
	if (n < 0 || (size_t)n >= sizeof(resp->headers))
		return api_fail(err, API_INTERNAL, "headers too long");
	if (report_csv(rep, &text, &len) == -1)
		return api_fail(err, API_INTERNAL, "out of memory");
	http_text(resp, CSV_TYPE, text, len);
	return 0;
}

int
reports_summary(struct request *r, struct response *resp,
    struct api_error *err)
{
	struct report_query q;
	struct report rep;
	json_object *o;
	int csv, st;

	if ((csv = reports_parse(r, &q, err)) == -1 ||
	    reports_db_fill(r->db, &q, &rep, err) == -1)
		return -1;
	if (csv)
		st = reports_csv(&rep, resp, err);
	else if ((o = report_json(&rep)) == NULL)
		st = api_fail(err, API_INTERNAL, "out of memory");
	else {
		http_data(resp, 200, o);
		st = 0;
	}
	report_free(&rep);
	return st;
}
