/*
 * hist.c - log-linear latency histogram (see hist.h).
 */
#include <stdint.h>

#include "hist.h"

/*
 * Values below HIST_SUB get a bucket each; above, the exponent picks a row
 * of HIST_SUB buckets and the next HIST_SUB_BITS bits below the top bit
 * pick the column.
 */
static unsigned
hist_index(uint64_t v)
{
	unsigned e;

	if (v < HIST_SUB)
		return (unsigned)v;
	e = 63 - (unsigned)__builtin_clzll(v);
	return (e - HIST_SUB_BITS + 1) * HIST_SUB +
	    (unsigned)((v >> (e - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

/* The largest value a bucket holds: percentiles err on the high side. */
static uint64_t
hist_upper(unsigned i)
{
	unsigned e, sub;

	if (i < HIST_SUB)
		return i;
	e = i / HIST_SUB + HIST_SUB_BITS - 1;
	sub = i % HIST_SUB;
	return (((uint64_t)(HIST_SUB + sub + 1)) << (e - HIST_SUB_BITS)) - 1;
}

void
hist_add(struct hist *h, uint64_t us)
{
	if (us > h->max)
		h->max = us;
	h->sum += (long double)us;
	h->count++;
	if (us > HIST_MAX_US) {
		h->clamped++;
		us = HIST_MAX_US;
	}
	h->b[hist_index(us)]++;
}

/* The value at fraction p (0..1) of the samples, never above the max. */
uint64_t
hist_pct(const struct hist *h, double p)
{
	uint64_t rank, cum = 0, v;
	unsigned i;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)(p * (double)h->count + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (i = 0; i < HIST_NBUCKETS; i++) {
		cum += h->b[i];
		if (cum >= rank) {
			v = hist_upper(i);
			return v < h->max ? v : h->max;
		}
	}
	return h->max;
}

double
hist_mean(const struct hist *h)
{
	if (h->count == 0)
		return 0;
	return (double)(h->sum / (long double)h->count);
}
