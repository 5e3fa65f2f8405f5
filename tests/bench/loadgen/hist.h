/*
 * hist.h - log-linear latency histogram in microseconds.
 *
 * Every power of two is split into HIST_SUB equal buckets, so a bucket is
 * at most 1/16 (6.25 %) wide relative to its value, from 1 us to 100 s, in
 * a fixed 3 KiB that costs nothing to add to at any rate.
 */
#ifndef LOADGEN_HIST_H
#define LOADGEN_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS	4
#define HIST_SUB	(1 << HIST_SUB_BITS)
#define HIST_MAX_US	100000000ULL	/* 100 s: larger values clamp */
#define HIST_MAX_EXP	26		/* 2^26 <= HIST_MAX_US < 2^27 */
#define HIST_NBUCKETS	((HIST_MAX_EXP - HIST_SUB_BITS + 2) * HIST_SUB)

struct hist {
	uint64_t	b[HIST_NBUCKETS];
	uint64_t	count;
	uint64_t	max;		/* exact, not clamped */
	uint64_t	clamped;	/* values over HIST_MAX_US */
	long double	sum;		/* no overflow past 2^64 us */
};

void		hist_add(struct hist *, uint64_t);
uint64_t	hist_pct(const struct hist *, double);
double		hist_mean(const struct hist *);

#endif
