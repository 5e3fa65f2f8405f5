/*
 * webhook.c - sending the offline webhook (webhook.h), with libcurl.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "jsonio.h"
#include "log.h"
#include "webhook.h"
#include "webhook_db.h"

int
webhook_init(struct webhook *w, const struct config *cfg, char *err,
    size_t errsz)
{
	FILE *f;
	size_t n;

	memset(w, 0, sizeof(*w));
	w->cfg = cfg;
	if (cfg->notify_webhook_url[0] == '\0' ||
	    cfg->notify_webhook_secret_file[0] == '\0') {
		snprintf(err, errsz, "notify.webhook_url and "
		    "notify.webhook_secret_file must both be set");
		return -1;
	}
	if ((f = fopen(cfg->notify_webhook_secret_file, "r")) == NULL) {
		snprintf(err, errsz, "%s: cannot read the webhook key",
		    cfg->notify_webhook_secret_file);
		return -1;
	}
	n = fread(w->key, 1, sizeof(w->key), f);
	fclose(f);
	/* A final newline is the editor's, not the key's. */
	while (n > 0 && (w->key[n - 1] == '\n' || w->key[n - 1] == '\r'))
		n--;
	if (n == 0 || n == sizeof(w->key)) {
		snprintf(err, errsz, "%s: the key must be 1 to %d bytes",
		    cfg->notify_webhook_secret_file, WEBHOOK_KEY_MAX - 1);
		return -1;
	}
	w->keylen = n;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errsz, "libcurl did not start");
		return -1;
	}
	return 0;
}

void
webhook_sign(const unsigned char *key, size_t keylen, const char *body,
    size_t len, char *out)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
}

/* The answer's body is not ours to keep. */
static size_t
webhook_discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* POST body; the HTTP status, or 0 when no answer came. */
static long
webhook_post(const struct webhook *w, long long id, const char *body,
    size_t len)
{
	char sig[WEBHOOK_SIG_LEN + 1], h_sig[WEBHOOK_SIG_LEN + 32], h_id[64];
	struct curl_slist *headers = NULL, *h;
	long status = 0;
	CURL *c;

	webhook_sign(w->key, w->keylen, body, len, sig);
	if ((size_t)snprintf(h_sig, sizeof(h_sig), "X-Chat-Signature: %s",
	    sig) >= sizeof(h_sig) || (size_t)snprintf(h_id, sizeof(h_id),
	    "X-Chat-Delivery: %lld", id) >= sizeof(h_id))
		return 0;
	if ((c = curl_easy_init()) == NULL)
		return 0;
	if ((h = curl_slist_append(headers,
	    "Content-Type: application/json")) == NULL ||
	    (headers = h, h = curl_slist_append(headers, h_sig)) == NULL ||
	    (headers = h, h = curl_slist_append(headers, h_id)) == NULL) {
		curl_slist_free_all(headers);
		curl_easy_cleanup(c);
		return 0;
	}
	headers = h;
	curl_easy_setopt(c, CURLOPT_URL, w->cfg->notify_webhook_url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, w->cfg->notify_webhook_timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, webhook_discard);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return status;
}

/* One claimed delivery: its body, the POST, the outcome stored. */
static int
webhook_one(struct webhook *w, struct db *db, long long id)
{
	json_object *body;
	const char *text;
	size_t len;
	long status;
	int drop;

	if ((body = webhook_db_body(db, w->cfg, id,
	    &drop)) == NULL)
		return drop ? webhook_db_done(db, w->cfg, id, WEBHOOK_DROP, 0) :
		    -1;
	if ((text = jsonio_text(body, &len)) == NULL) {
		json_object_put(body);
		return webhook_db_done(db, w->cfg, id, WEBHOOK_RETRY, 0);
	}
	status = webhook_post(w, id, text, len);
	json_object_put(body);
	if (status < 200 || status > 299)
		log_warnx("webhook for message %lld: %s %ld", id,
		    status ? "answered" : "no answer", status);
	return webhook_db_done(db, w->cfg, id, status >= 200 && status <= 299 ?
	    WEBHOOK_SENT : WEBHOOK_RETRY, status) == -1 ? -1 :
	    status >= 200 && status <= 299;
}

int
webhook_round(struct webhook *w, struct db *db)
{
	long long ids[WEBHOOK_BATCH];
	int batch, i, n, r, sent = 0;

	if (webhook_db_scan(db, w->cfg) == -1)
		return -1;
	/* Batch after batch until nothing is due (a backlog after a pause). */
	for (batch = 0; batch < WEBHOOK_ROUND_BATCHES; batch++) {
		if ((n = webhook_db_claim(db, w->cfg, ids, WEBHOOK_BATCH)) == -1)
			return -1;
		for (i = 0; i < n; i++) {
			if ((r = webhook_one(w, db, ids[i])) == -1)
				return -1;
			sent += r;
		}
		if (n < WEBHOOK_BATCH)
			break;
	}
	return sent;
}
