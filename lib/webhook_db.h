/*
 * webhook_db.h - what `chatadm notify` hands to the outside gateway (the
 * webhook of docs/configuration.md, [notify]): an agent's message that its
 * user has not read notify.offline_after seconds after it was sent, while
 * they have no socket.  One row per message (webhook_deliveries): found
 * once, claimed before it is sent, marked sent, retried with a growing
 * pause, failed after notify.webhook_attempts, dropped when the user read
 * it or came back first.
 */
#ifndef CHAT_WEBHOOK_DB_H
#define CHAT_WEBHOOK_DB_H

#include <json-c/json.h>

#include "db.h"

#define WEBHOOK_BATCH		50	/* claimed at once */
#define WEBHOOK_ROUND_BATCHES	40	/* at most, in one round */

/* Rows for the messages that became due: their number, or -1. */
int	webhook_db_scan(struct db *db, const struct config *cfg);
/*
 * Up to max due deliveries claimed (state sending, one attempt more) into
 * ids: their number, or -1.  A claim left by a sender that died counts as
 * a failed attempt once it is older than three timeouts.
 */
int	webhook_db_claim(struct db *db, const struct config *cfg,
	    long long *ids, int max);
/*
 * The body of delivery id: {event, conversationId, message, user}, or
 * NULL with *drop set when it is no longer wanted (read, or the user is
 * online again), NULL alone on a database error.
 */
json_object *webhook_db_body(struct db *db, const struct config *cfg,
	    long long id, int *drop);
/* How the attempt went: sent (2xx), failed (then retried), or dropped. */
enum webhook_outcome { WEBHOOK_SENT, WEBHOOK_RETRY, WEBHOOK_DROP };
int	webhook_db_done(struct db *db, const struct config *cfg, long long id,
	    enum webhook_outcome how, long http_status);

#endif
