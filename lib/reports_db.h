/*
 * reports_db.h - the figures of a report (report.h), computed in SQL over
 * indexed ranges: conversations by createdAt and by resolvedAt, messages
 * by createdAt, ratings by createdAt; the medians and 90th percentiles by
 * PERCENTILE_CONT windows.  Never a scan of every message.
 *
 * Who a figure counts for: a conversation (started, resolved, first
 * response, resolution) and a user's message for the agent it is
 * assigned to now, a message of the team for whoever sent it, a rating
 * for the agent of the resolution rated.  Unassigned conversations count
 * in the days and totals of a report of everyone, in no agent's row.
 */
#ifndef CHAT_REPORTS_DB_H
#define CHAT_REPORTS_DB_H

#include "chat.h"
#include "report.h"

/*
 * The report for q (checked by report_query_parse and report_scope) into
 * rep, which the caller frees with report_free.  0, or -1 with err (404
 * if q.support is not an agent's or an admin's id, 503).
 */
int	reports_db_fill(struct db *db, const struct report_query *q,
	    struct report *rep, struct api_error *err);

#endif
