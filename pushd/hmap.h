/*
 * hmap.h - an intrusive hash map keyed by 64-bit ids.
 *
 * The caller embeds a struct hmap_node in its own struct and owns it; the
 * map only links nodes.  Used for sessions (by session id), users (by user
 * id) and rooms (by conversation id).
 */
#ifndef PUSHD_HMAP_H
#define PUSHD_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_node {
	uint64_t		 key;
	struct hmap_node	*next;
};

struct hmap {
	struct hmap_node	**b;
	size_t			 nb;	/* a power of two */
	size_t			 n;
};

int		 hmap_init(struct hmap *h);
void		 hmap_free(struct hmap *h);	/* the nodes stay the caller's */
struct hmap_node *hmap_get(const struct hmap *h, uint64_t key);
/* Link a node whose key is not in the map yet; -1 only if out of memory. */
int		 hmap_put(struct hmap *h, struct hmap_node *node);
void		 hmap_del(struct hmap *h, struct hmap_node *node);

/* The struct that contains a node. */
#define HMAP_ENTRY(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif
