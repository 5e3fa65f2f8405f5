/*
 * multipart.h - a streaming multipart/form-data parser (RFC 7578, RFC 2046).
 *
 * The parser is a byte-driven state machine: the caller feeds the request
 * body in chunks of any size and receives callbacks for each part's headers
 * and body bytes.  Memory use is bounded by the boundary length and the
 * header cap given to mp_new(); part bodies are never buffered.
 *
 * Line endings must be CRLF, as every browser sends them.  Header folding,
 * bare LF and bare CR in headers are rejected rather than guessed at.
 */
#ifndef CHAT_MULTIPART_H
#define CHAT_MULTIPART_H

#include <stddef.h>

#define MP_NAME_MAX	64	/* form field name cap */
#define MP_FILENAME_MAX	255	/* filename cap (bytes) */
#define MP_CTYPE_MAX	127	/* part Content-Type cap */
#define MP_BOUNDARY_MAX	70	/* RFC 2046 section 5.1.1 */

/* Largest max_header_bytes mp_new() accepts; the buffer is allocated whole. */
#define MP_HEADER_BYTES_LIMIT	65536

struct mp_part {
	/* Content-Disposition name="" */
	char	name[MP_NAME_MAX + 1];
	/*
	 * Raw filename="" (may be empty); never display or store it without
	 * mp_sanitize_filename().  Longer values are cut to MP_FILENAME_MAX
	 * bytes, possibly inside a UTF-8 sequence, and filename_truncated set.
	 */
	char	filename[MP_FILENAME_MAX + 1];
	int	has_filename;		/* filename= was present: a file part */
	int	filename_truncated;	/* filename was longer than the cap */
	char	content_type[MP_CTYPE_MAX + 1];	/* part Content-Type, or "" */
};

/*
 * Any callback may be NULL.  A non-zero return from any of them stops the
 * parser with MP_ERR_CALLBACK.  The part pointer is valid only during the
 * call.  mp_new() copies the structure.
 */
struct mp_callbacks {
	/* After a part's headers. */
	int	(*part_begin)(void *ctx, const struct mp_part *part);
	/* Body bytes of the current part, in chunks of any size (never 0). */
	int	(*part_data)(void *ctx, const char *buf, size_t len);
	/* After the part's body. */
	int	(*part_end)(void *ctx);
};

enum mp_status {
	MP_OK = 0,
	MP_ERR_BOUNDARY,	/* delimiter line not followed by CRLF or "--" */
	MP_ERR_SYNTAX,		/* malformed part headers */
	MP_ERR_HEADER_TOO_LONG,	/* a part's headers exceed the cap */
	MP_ERR_TOO_MANY_PARTS,
	MP_ERR_TRUNCATED,	/* input ended before the close delimiter */
	MP_ERR_CALLBACK,	/* a callback returned non-zero */
	MP_ERR_NOMEM,		/* not returned: mp_new() allocates all */
	MP_ERR_FIELD_TOO_LONG,	/* name or Content-Type over its cap */
};

struct mp_parser;

/*
 * Extract the boundary parameter from a Content-Type header value
 * ("multipart/form-data; boundary=----x", the value token or quoted).
 * Returns 0 with the boundary in out, or -1 if the type is not
 * multipart/form-data, or the boundary is missing, given twice, empty,
 * longer than MP_BOUNDARY_MAX, has characters RFC 2046 forbids, ends in a
 * space, or does not fit in outsz.
 */
int		 mp_boundary_from_content_type(const char *content_type,
		    char *out, size_t outsz);

/*
 * Returns a parser, or NULL with errno set: EINVAL when the boundary is not
 * valid (see above) or max_header_bytes is 0 or over MP_HEADER_BYTES_LIMIT,
 * ENOMEM.  max_header_bytes caps all header lines of one part together,
 * counting each line's CRLF but not the empty line ending them.  cb may be
 * NULL; it is copied.
 */
struct mp_parser *mp_new(const char *boundary, const struct mp_callbacks *cb,
		    void *ctx, size_t max_header_bytes, size_t max_parts);

/*
 * Parse the next len bytes of the body; any split is fine, 1 byte included.
 * After an error every later call returns the same error.  Once the close
 * delimiter is seen the rest (the epilogue) is ignored.  A whole
 * "CRLF--boundary" that is followed by neither "--" nor optional padding
 * and CRLF is MP_ERR_BOUNDARY, not data: RFC 2046 forbids the boundary
 * inside a part.  Anything shorter is data.
 */
enum mp_status	 mp_feed(struct mp_parser *p, const char *buf, size_t len);

/* MP_OK only if the close delimiter was seen; else MP_ERR_TRUNCATED. */
enum mp_status	 mp_finish(struct mp_parser *p);

void		 mp_free(struct mp_parser *p);
const char	*mp_strerror(enum mp_status s);

/*
 * Make a display-safe filename from a raw one: keep the part after the last
 * '/' or '\\', drop control characters (C0, DEL, C1), Unicode bidi controls
 * and invalid UTF-8, strip leading dots and spaces, and cap to outsz - 1
 * bytes without cutting a UTF-8 sequence.  An empty result becomes "file"
 * (cut to fit).  Never fails; writes nothing only when outsz is 0.
 */
void		 mp_sanitize_filename(const char *raw, char *out,
		    size_t outsz);

#endif /* CHAT_MULTIPART_H */
