/*
 * addr.c - who is on the other end: a client's address, and what one
 * address may hold.
 *
 * Behind the web server every connection comes from the proxy, so the
 * client is the last address the proxy appended to X-Forwarded-For - but
 * only when the peer is one of pushd.trusted_proxies; anyone else's header
 * is ignored (it is whatever the client wrote).  An address is kept as a
 * 64-bit keyed hash (SipHash, a random key per process), so the table
 * holds no address text and no one can aim collisions at it.
 *
 * Per address: its Engine.IO sessions (pushd.max_sockets_per_address) and
 * those that have not sent CONNECT yet (pushd.max_pending_per_address, the
 * cheap ones to open by the thousand); over all: pushd.max_sockets, kept
 * below the web server's connection limit so that HTTP keeps room.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "pushd.h"

struct addr_ent {
	struct hmap_node	 node;
	unsigned		 sessions;
	unsigned		 pending;
};

static struct hmap	addrs;
static unsigned char	addr_key[crypto_shorthash_KEYBYTES];
static unsigned		nsessions;

int
addr_init(void)
{
	crypto_shorthash_keygen(addr_key);
	return hmap_init(&addrs);
}

/* s, trimmed of blanks, is one of the space-separated list. */
static int
in_list(const char *list, const char *s)
{
	size_t n = strlen(s), k;

	while (*list != '\0') {
		list += strspn(list, " ,");
		k = strcspn(list, " ,");
		if (k == n && k > 0 && memcmp(list, s, n) == 0)
			return 1;
		list += k;
	}
	return 0;
}

/* The last entry of an X-Forwarded-For list, trimmed, into out. */
static int
xff_last(const char *h, char *out, size_t outsz)
{
	const char *p = strrchr(h, ',');
	size_t n;

	p = p != NULL ? p + 1 : h;
	p += strspn(p, " \t");
	n = strcspn(p, " \t");
	if (n == 0 || n >= outsz)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

int
addr_is_loopback(struct lws *wsi)
{
	char peer[64];

	if (lws_get_peer_simple(wsi, peer, sizeof(peer)) == NULL)
		return 0;
	return strncmp(peer, "127.", 4) == 0 || strcmp(peer, "::1") == 0 ||
	    strncmp(peer, "::ffff:127.", 11) == 0;
}

uint64_t
addr_of(struct lws *wsi)
{
	char peer[64], xff[256], client[64];
	unsigned char h[crypto_shorthash_BYTES];
	const char *who = peer;
	uint64_t key;

	if (lws_get_peer_simple(wsi, peer, sizeof(peer)) == NULL)
		strcpy(peer, "?");
	if (in_list(pd.cfg.pushd_trusted_proxies, peer) &&
	    lws_hdr_copy(wsi, xff, sizeof(xff), WSI_TOKEN_X_FORWARDED_FOR) > 0 &&
	    xff_last(xff, client, sizeof(client)) == 0)
		who = client;
	crypto_shorthash(h, (const unsigned char *)who, strlen(who), addr_key);
	memcpy(&key, h, sizeof(key));
	return key;
}

static struct addr_ent *
addr_get(uint64_t key)
{
	struct hmap_node *n = hmap_get(&addrs, key);

	return n != NULL ? HMAP_ENTRY(n, struct addr_ent, node) : NULL;
}

int
addr_admit(uint64_t key, struct api_error *err)
{
	const struct config *c = &pd.cfg;
	struct addr_ent *a = addr_get(key);

	if (c->pushd_max_sockets > 0 &&
	    nsessions >= (unsigned)c->pushd_max_sockets)
		return api_fail(err, API_UNAVAILABLE,
		    "the server is full, try again later");
	if (a != NULL && c->pushd_max_sockets_per_address > 0 &&
	    a->sessions >= (unsigned)c->pushd_max_sockets_per_address)
		return api_fail(err, API_TOO_MANY,
		    "too many connections from this address");
	if (a != NULL && c->pushd_max_pending_per_address > 0 &&
	    a->pending >= (unsigned)c->pushd_max_pending_per_address)
		return api_fail(err, API_TOO_MANY,
		    "too many connections from this address waiting to "
		    "connect");
	return 0;
}

int
addr_add(struct session *s, uint64_t key)
{
	struct addr_ent *a = addr_get(key);

	if (a == NULL) {
		if ((a = calloc(1, sizeof(*a))) == NULL)
			return -1;
		a->node.key = key;
		if (hmap_put(&addrs, &a->node) == -1) {
			free(a);
			return -1;
		}
	}
	s->addr = key;
	s->addr_counted = 1;
	s->addr_pending = 1;
	a->sessions++;
	a->pending++;
	nsessions++;
	return 0;
}

void
addr_connected(struct session *s)
{
	struct addr_ent *a = addr_get(s->addr);

	if (a != NULL && s->addr_pending) {
		s->addr_pending = 0;
		a->pending--;
	}
}

void
addr_del(struct session *s)
{
	struct addr_ent *a;

	if (!s->addr_counted || (a = addr_get(s->addr)) == NULL)
		return;
	s->addr_counted = 0;
	addr_connected(s);
	nsessions--;
	if (--a->sessions > 0)
		return;
	hmap_del(&addrs, &a->node);
	free(a);
}
