/*
 * hmap.c - an intrusive hash map keyed by 64-bit ids (chaining).
 */
#include <stdlib.h>

#include "hmap.h"

#define HMAP_MIN	64

/* Ids are sequential: mix them so buckets fill evenly (splitmix64). */
static size_t
hmap_slot(uint64_t key, size_t nb)
{
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebULL;
	key ^= key >> 31;
	return (size_t)key & (nb - 1);
}

int
hmap_init(struct hmap *h)
{
	h->n = 0;
	h->nb = HMAP_MIN;
	h->b = calloc(h->nb, sizeof(*h->b));
	return h->b == NULL ? -1 : 0;
}

void
hmap_free(struct hmap *h)
{
	free(h->b);
	h->b = NULL;
	h->nb = h->n = 0;
}

struct hmap_node *
hmap_get(const struct hmap *h, uint64_t key)
{
	struct hmap_node *n;

	for (n = h->b[hmap_slot(key, h->nb)]; n != NULL; n = n->next)
		if (n->key == key)
			return n;
	return NULL;
}

static int
hmap_grow(struct hmap *h)
{
	struct hmap_node **nb, *n, *next;
	size_t i, size = h->nb * 2, s;

	if ((nb = calloc(size, sizeof(*nb))) == NULL)
		return -1;
	for (i = 0; i < h->nb; i++)
		for (n = h->b[i]; n != NULL; n = next) {
			next = n->next;
			s = hmap_slot(n->key, size);
			n->next = nb[s];
			nb[s] = n;
		}
	free(h->b);
	h->b = nb;
	h->nb = size;
	return 0;
}

int
hmap_put(struct hmap *h, struct hmap_node *node)
{
	size_t s;

	/* A failed growth only makes chains longer. */
	if (h->n >= h->nb)
		(void)hmap_grow(h);
	s = hmap_slot(node->key, h->nb);
	node->next = h->b[s];
	h->b[s] = node;
	h->n++;
	return 0;
}

void
hmap_del(struct hmap *h, struct hmap_node *node)
{
	struct hmap_node **pp;

	for (pp = &h->b[hmap_slot(node->key, h->nb)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == node) {
			*pp = node->next;
			node->next = NULL;
			h->n--;
			return;
		}
}
