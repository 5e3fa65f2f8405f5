/*
 * fuzz_envelope.c - libFuzzer target for pushd/envelope.c, the decoder of
 * what a pushd node hears from the others through Redis.
 *
 * Every input is decoded; one that decodes must keep its promises (every
 * pointer inside the input, lengths within the limits, every target of a
 * known kind) and encode again to the very same bytes.  Any broken
 * promise aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"

static void
check(int ok)
{
	if (!ok)
		abort();
}

static int
inside(const uint8_t *data, size_t size, const void *p, size_t n)
{
	const uint8_t *q = p;

	return n == 0 || (q >= data && q + n <= data + size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char origin[ENVELOPE_ORIGIN_MAX + 1], event[ENVELOPE_EVENT_MAX + 1];
	struct fan_target *t;
	struct envelope e;
	unsigned char *b;
	size_t i, len;

	if (envelope_decode(data, size, &e) == -1)
		return 0;
	check(e.origin_len >= 1 && e.origin_len <= ENVELOPE_ORIGIN_MAX);
	check(e.event_len <= ENVELOPE_EVENT_MAX);
	check(inside(data, size, e.origin, e.origin_len));
	check(inside(data, size, e.event, e.event_len));
	check(inside(data, size, e.targets, e.ntargets * ENVELOPE_TARGET_LEN));
	check(inside(data, size, e.frame, e.frame_len));
	/* Names with a NUL inside do not survive strlen(): skip those. */
	if (memchr(e.origin, 0, e.origin_len) != NULL ||
	    memchr(e.event, 0, e.event_len) != NULL)
		return 0;
	memcpy(origin, e.origin, e.origin_len);
	origin[e.origin_len] = '\0';
	memcpy(event, e.event, e.event_len);
	event[e.event_len] = '\0';
	check((t = calloc(e.ntargets + 1, sizeof(*t))) != NULL);
	for (i = 0; i < e.ntargets; i++)
		check(envelope_target(&e, i, &t[i]) == 0);
	b = envelope_encode(origin, event, t, e.ntargets, e.frame, e.frame_len,
	    &len);
	check(b != NULL && len == size && memcmp(b, data, size) == 0);
	free(b);
	free(t);
	return 0;
}
