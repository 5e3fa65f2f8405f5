/*
 * fuzz_multipart.c - libFuzzer target for lib/multipart.c.
 *
 * The input is a request body for the fixed boundary FUZZ_BOUNDARY.  It is
 * parsed three times: in one piece, one byte at a time, and in pieces
 * whose sizes come from a PRNG seeded with a hash of the input, so that
 * every mutation also changes where the chunks are cut.  A streaming
 * parser must not care how its input is cut: the three runs must give the
 * same status and the same callbacks, byte for byte, or the target aborts.
 * Part fields are checked for termination, and each filename is run
 * through mp_sanitize_filename() and the result checked.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"

#define FUZZ_BOUNDARY	"AaB03x"
#define FUZZ_MAXHDR	512	/* over a whole MP_FILENAME_MAX filename */
#define FUZZ_MAXPARTS	8

/* What the callbacks saw, folded into a hash so chunking cannot show. */
struct trace {
	uint64_t	hash;
	size_t		parts;
	size_t		bytes;
	int		in_part;
	int		stop_at_end;	/* fail this part's part_end */
};

static void
fold(struct trace *t, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	size_t i;

	/* FNV-1a, 64 bit */
	for (i = 0; i < len; i++) {
		t->hash ^= b[i];
		t->hash *= 0x100000001b3ULL;
	}
}

/* NUL-terminated within size bytes. */
static int
terminated(const char *f, size_t size)
{
	return memchr(f, '\0', size) != NULL;
}

static int
utf8_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * The promises of mp_sanitize_filename(): fits, no separators, no control
 * bytes, no leading dot or space, not empty, whole UTF-8 sequences.
 */
static void
check_sanitized(const char *raw)
{
	char out[MP_FILENAME_MAX + 1], tiny[4];
	const unsigned char *s;

	mp_sanitize_filename(raw, out, sizeof(out));
	if (!terminated(out, sizeof(out)) || out[0] == '\0' ||
	    out[0] == '.' || out[0] == ' ')
		abort();
	for (s = (const unsigned char *)out; *s != '\0'; s++) {
		if (*s < 0x20 || *s == 0x7f || *s == '/' || *s == '\\')
			abort();
		if (*s >= 0x80) {
			/* Lead byte with the right number of continuations. */
			size_t len = *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : 2, i;

			if (*s < 0xc2 || *s > 0xf4)
				abort();
			for (i = 1; i < len; i++)
				if (!utf8_cont(s[i]))
					abort();
			s += len - 1;
		}
	}
	mp_sanitize_filename(raw, tiny, sizeof(tiny));
	if (!terminated(tiny, sizeof(tiny)) || tiny[0] == '\0')
		abort();
}

static void
check_field(const char *f, size_t size)
{
	if (!terminated(f, size))
		abort();
}

static int
on_begin(void *ctx, const struct mp_part *part)
{
	struct trace *t = ctx;

	if (t->in_part)
		abort();
	t->in_part = 1;
	t->parts++;
	check_field(part->name, sizeof(part->name));
	check_field(part->filename, sizeof(part->filename));
	check_field(part->content_type, sizeof(part->content_type));
	fold(t, "B", 1);
	fold(t, part->name, strlen(part->name) + 1);
	fold(t, part->filename, strlen(part->filename) + 1);
	fold(t, part->content_type, strlen(part->content_type) + 1);
	fold(t, &part->has_filename, sizeof(part->has_filename));
	fold(t, &part->filename_truncated, sizeof(part->filename_truncated));
	if (part->has_filename)
		check_sanitized(part->filename);
	/*
	 * Let the input reach the abort paths: name="!" fails part_begin,
	 * name="?" part_end.  Short, so that mutation finds them.  The
	 * choice must not depend on chunking: made from the name, never
	 * from the data.
	 */
	t->stop_at_end = strcmp(part->name, "?") == 0;
	return strcmp(part->name, "!") == 0;
}

static int
on_data(void *ctx, const char *buf, size_t len)
{
	struct trace *t = ctx;

	if (!t->in_part || len == 0)
		abort();
	t->bytes += len;
	fold(t, buf, len);
	return 0;
}

static int
on_end(void *ctx)
{
	struct trace *t = ctx;

	if (!t->in_part)
		abort();
	t->in_part = 0;
	fold(t, "E", 1);
	return t->stop_at_end;
}

static const struct mp_callbacks callbacks = { on_begin, on_data, on_end };

/* xorshift64*: chunk sizes, mostly small, sometimes large. */
static size_t
next_chunk(uint64_t *state, size_t left)
{
	uint64_t x = *state;
	size_t n;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	x *= 0x2545f4914f6cdd1dULL;
	n = (x >> 32) & 1 ? (size_t)(x % 8) + 1 : (size_t)(x % 512) + 1;
	return n < left ? n : left;
}

/*
 * Parse data in chunks: mode 0 whole, 1 byte by byte, 2 random sizes.
 * Returns the final status, with the callbacks folded into *t.
 */
static enum mp_status
run(const uint8_t *data, size_t size, int mode, uint64_t seed,
    struct trace *t)
{
	struct mp_parser *p;
	enum mp_status s = MP_OK, again;
	size_t off = 0, n;

	memset(t, 0, sizeof(*t));
	t->hash = 0xcbf29ce484222325ULL;
	if ((p = mp_new(FUZZ_BOUNDARY, &callbacks, t, FUZZ_MAXHDR,
	    FUZZ_MAXPARTS)) == NULL)
		abort();
	while (off < size && s == MP_OK) {
		if (mode == 0)
			n = size;
		else if (mode == 1)
			n = 1;
		else
			n = next_chunk(&seed, size - off);
		s = mp_feed(p, (const char *)data + off, n);
		off += n;
	}
	if (s == MP_OK)
		s = mp_finish(p);
	/* Errors stick. */
	if (s != MP_OK) {
		again = mp_feed(p, "\r\n--" FUZZ_BOUNDARY "--", 12);
		if (again != s || mp_finish(p) != s)
			abort();
	}
	mp_free(p);
	if (mp_strerror(s) == NULL || t->bytes > size)
		abort();
	return s;
}

/* The first line, tried as a Content-Type header value. */
static void
try_content_type(const uint8_t *data, size_t size)
{
	char ct[256], out[MP_BOUNDARY_MAX + 1];
	size_t n, i;

	for (n = 0; n < size && n < sizeof(ct) - 1 && data[n] != '\n' &&
	    data[n] != '\0'; n++)
		ct[n] = (char)data[n];
	ct[n] = '\0';
	if (mp_boundary_from_content_type(ct, out, sizeof(out)) != 0)
		return;
	if (!terminated(out, sizeof(out)))
		abort();
	n = strlen(out);
	if (n == 0 || out[n - 1] == ' ')
		abort();
	for (i = 0; i < n; i++)
		if (out[i] == '"' || out[i] == ';' || out[i] == '\\' ||
		    (unsigned char)out[i] < 0x20 || (unsigned char)out[i] > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace whole, bytes, chunked;
	enum mp_status s0, s1, s2;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < size; i++) {
		seed ^= data[i];
		seed *= 0x100000001b3ULL;
	}
	if (seed == 0)
		seed = 1;	/* xorshift must not start at 0 */

	s0 = run(data, size, 0, seed, &whole);
	s1 = run(data, size, 1, seed, &bytes);
	s2 = run(data, size, 2, seed, &chunked);
	if (s0 != s1 || s0 != s2 ||
	    whole.hash != bytes.hash || whole.hash != chunked.hash ||
	    whole.parts != bytes.parts || whole.parts != chunked.parts ||
	    whole.bytes != bytes.bytes || whole.bytes != chunked.bytes)
		abort();
	if (whole.parts > FUZZ_MAXPARTS)
		abort();

	try_content_type(data, size);
	return 0;
}
