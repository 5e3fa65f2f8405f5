/*
 * webhook.h - the offline webhook (docs/configuration.md, [notify]): what
 * webhook_db.h finds due is POSTed as JSON to notify.webhook_url, signed
 * with HMAC-SHA256 of the raw body under the key in
 * notify.webhook_secret_file ("X-Chat-Signature: sha256=<hex>"), with the
 * message's id as "X-Chat-Delivery" so that a gateway can tell a retry
 * after a lost answer from a new message.  Run by `chatadm notify`, a
 * process of its own: never on pushd's event loop.
 */
#ifndef CHAT_WEBHOOK_H
#define CHAT_WEBHOOK_H

#include <stddef.h>

#include "config.h"
#include "db.h"

#define WEBHOOK_KEY_MAX	1024
#define WEBHOOK_SIG_LEN	(7 + 64)		/* "sha256=" + hex */

struct webhook {
	const struct config	*cfg;
	unsigned char		 key[WEBHOOK_KEY_MAX];
	size_t			 keylen;
};

/* Read the key; 0, or -1 with err (no URL, no key, an unreadable file). */
int	webhook_init(struct webhook *w, const struct config *cfg, char *err,
	    size_t errsz);
/* "sha256=<hex>" of body under key into out (WEBHOOK_SIG_LEN + 1). */
void	webhook_sign(const unsigned char *key, size_t keylen,
	    const char *body, size_t len, char *out);
/*
 * One round: find what became due, send what is due.  The number sent,
 * or -1 if the database failed (the next round tries again).
 */
int	webhook_round(struct webhook *w, struct db *db);

#endif
