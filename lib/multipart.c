/*
 * multipart.c - a streaming multipart/form-data parser (RFC 7578, RFC 2046).
 *
 * The body is matched against the delimiter "\r\n--boundary".  Because a
 * boundary may not contain CR or LF, '\r' occurs in the delimiter only at
 * its first byte, so after a mismatch the only place a new match can start
 * is the current byte: no back-tracking table is needed, and the bytes held
 * back while a match is in progress are always a prefix of the delimiter.
 * They are therefore re-emitted from the delimiter itself and never copied,
 * which keeps the parser's memory at the boundary plus one header buffer.
 *
 * The stream is matched as if it began with "\r\n", so that a first
 * boundary at the very start of the body (no preamble) is found too.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"

enum mp_state {
	ST_PREAMBLE,	/* before the first delimiter; discarded */
	ST_DELIM_TAIL,	/* just after a delimiter: "--", padding or CRLF */
	ST_CLOSE_DASH,	/* seen "-" after a delimiter, want the second */
	ST_PADDING,	/* transport padding (SP / HTAB) before CRLF */
	ST_DELIM_LF,	/* seen CR ending the delimiter line */
	ST_HEADER,	/* inside a header line */
	ST_HEADER_LF,	/* seen CR ending a header line */
	ST_BODY,	/* part body */
	ST_EPILOGUE,	/* after the close delimiter; ignored */
	ST_ERROR,
};

struct mp_parser {
	struct mp_callbacks	 cb;
	void			*ctx;
	enum mp_state		 state;
	enum mp_status		 err;

	/* "\r\n--" boundary, and how many of its bytes are matched. */
	char			 delim[4 + MP_BOUNDARY_MAX + 1];
	size_t			 dlen;
	size_t			 match;

	/* Current header line (NUL-terminated when complete). */
	char			*line;
	size_t			 linelen;
	size_t			 hdrbytes;	/* this part's header bytes */
	size_t			 maxhdr;

	size_t			 nparts;
	size_t			 maxparts;

	struct mp_part		 part;
	int			 seen_cd;	/* Content-Disposition */
	int			 seen_ct;	/* Content-Type */
};

/* One name=value parameter of a header value, pointing into the line. */
struct mp_param {
	const char	*name;
	size_t		 namelen;
	const char	*val;		/* without the quotes, escapes kept */
	size_t		 vallen;
	int		 quoted;
};

/* ASCII-only so that the result never depends on the locale. */
static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Case-insensitive compare of s[0..len) with the lowercase literal lit. */
static int
ieq(const char *s, size_t len, const char *lit)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (lit[i] == '\0' || lower((unsigned char)s[i]) != lit[i])
			return 0;
	return lit[len] == '\0';
}

/* RFC 9110 tchar. */
static int
is_tchar(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bcharsnospace. */
static int
is_bchar_nospace(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=?", c) != NULL;
}

/* A boundary of 1..70 bchars not ending in a space (RFC 2046 5.1.1). */
static int
valid_boundary(const char *b, size_t len)
{
	size_t i;

	if (len == 0 || len > MP_BOUNDARY_MAX || b[len - 1] == ' ')
		return 0;
	for (i = 0; i < len; i++)
		if (b[i] != ' ' && !is_bchar_nospace((unsigned char)b[i]))
			return 0;
	return 1;
}

static const char *
skip_ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static const char *
skip_token(const char *s)
{
	while (is_tchar((unsigned char)*s))
		s++;
	return s;
}

/*
 * Parse the next [OWS] ";" OWS name OWS "=" OWS value from *sp, where value
 * is a token or a quoted-string.  Returns 1 with prm filled and *sp moved
 * past it, 0 at the end of the string (a trailing ";" is tolerated), or -1
 * on bad syntax.
 *
 * In a quoted-string a backslash escapes only '"' and '\\', as Go's mime
 * package does: browsers send filenames with raw backslashes (old IE sends
 * whole "C:\dir\file" paths), and those must survive for
 * mp_sanitize_filename() to find the last path component.
 */
static int
next_param(const char **sp, struct mp_param *prm)
{
	const char *s, *e;

	s = skip_ows(*sp);
	if (*s == '\0')
		return 0;
	if (*s != ';')
		return -1;
	s = skip_ows(s + 1);
	if (*s == '\0')
		return 0;
	e = skip_token(s);
	if (e == s)
		return -1;
	prm->name = s;
	prm->namelen = (size_t)(e - s);
	s = skip_ows(e);
	if (*s != '=')
		return -1;
	s = skip_ows(s + 1);
	if (*s == '"') {
		prm->val = ++s;
		while (*s != '"') {
			if (*s == '\0')
				return -1;
			if (s[0] == '\\' && (s[1] == '"' || s[1] == '\\'))
				s++;
			s++;
		}
		prm->vallen = (size_t)(s - prm->val);
		prm->quoted = 1;
		s++;
	} else {
		e = skip_token(s);
		if (e == s)
			return -1;
		prm->val = s;
		prm->vallen = (size_t)(e - s);
		prm->quoted = 0;
		s = e;
	}
	*sp = s;
	return 1;
}

/*
 * Copy the value of prm into out (outsz > 0), undoing quoted-pair escapes
 * and cutting it to fit.  Returns the full decoded length, so that a
 * result >= outsz tells the caller it was cut.
 */
static size_t
param_copy(const struct mp_param *prm, char *out, size_t outsz)
{
	size_t i, n = 0;
	char c;

	for (i = 0; i < prm->vallen; i++) {
		c = prm->val[i];
		if (prm->quoted && c == '\\' && i + 1 < prm->vallen &&
		    (prm->val[i + 1] == '"' || prm->val[i + 1] == '\\'))
			c = prm->val[++i];
		if (n + 1 < outsz)
			out[n] = c;
		n++;
	}
	out[n < outsz ? n : outsz - 1] = '\0';
	return n;
}

int
mp_boundary_from_content_type(const char *ct, char *out, size_t outsz)
{
	struct mp_param prm;
	const char *s, *e;
	size_t n = 0;
	int found = 0, r;

	if (ct == NULL || out == NULL || outsz == 0)
		return -1;
	out[0] = '\0';
	s = skip_ows(ct);
	e = skip_token(s);
	if (!ieq(s, (size_t)(e - s), "multipart") || *e != '/')
		return -1;
	s = e + 1;
	e = skip_token(s);
	if (!ieq(s, (size_t)(e - s), "form-data"))
		return -1;
	s = e;
	/* Scan every parameter: a duplicate boundary is ambiguous. */
	while ((r = next_param(&s, &prm)) == 1) {
		if (!ieq(prm.name, prm.namelen, "boundary"))
			continue;
		if (found++)
			goto bad;
		n = param_copy(&prm, out, outsz);
		if (n >= outsz)
			goto bad;
	}
	if (r < 0 || !found || !valid_boundary(out, n))
		goto bad;
	return 0;
bad:
	out[0] = '\0';
	return -1;
}

struct mp_parser *
mp_new(const char *boundary, const struct mp_callbacks *cb, void *ctx,
    size_t max_header_bytes, size_t max_parts)
{
	struct mp_parser *p;
	size_t blen;

	if (boundary == NULL || max_header_bytes == 0 ||
	    max_header_bytes > MP_HEADER_BYTES_LIMIT) {
		errno = EINVAL;
		return NULL;
	}
	/* Bounded strlen: the boundary may come straight from a request. */
	for (blen = 0; blen <= MP_BOUNDARY_MAX && boundary[blen] != '\0';
	    blen++)
		;
	if (!valid_boundary(boundary, blen)) {
		errno = EINVAL;
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->line = malloc(max_header_bytes + 1)) == NULL) {
		free(p);
		return NULL;
	}
	if (cb != NULL)
		p->cb = *cb;
	p->ctx = ctx;
	memcpy(p->delim, "\r\n--", 4);
	memcpy(p->delim + 4, boundary, blen);
	p->dlen = 4 + blen;
	p->maxhdr = max_header_bytes;
	p->maxparts = max_parts;
	p->state = ST_PREAMBLE;
	p->err = MP_OK;
	/* Pretend a CRLF came first: the first delimiter may open the body. */
	p->match = 2;
	return p;
}

void
mp_free(struct mp_parser *p)
{
	if (p == NULL)
		return;
	free(p->line);
	free(p);
}

/* Pass body bytes to the caller; preamble bytes go nowhere. */
static enum mp_status
emit(struct mp_parser *p, const char *buf, size_t len)
{
	if (p->state != ST_BODY || len == 0 || p->cb.part_data == NULL)
		return MP_OK;
	if (p->cb.part_data(p->ctx, buf, len) != 0)
		return MP_ERR_CALLBACK;
	return MP_OK;
}

/* A whole delimiter was matched: end the part, if any. */
static enum mp_status
delimiter_seen(struct mp_parser *p)
{
	int body = p->state == ST_BODY;

	p->state = ST_DELIM_TAIL;
	if (body && p->cb.part_end != NULL && p->cb.part_end(p->ctx) != 0)
		return MP_ERR_CALLBACK;
	return MP_OK;
}

/*
 * Scan preamble or body bytes for the delimiter, emitting body bytes in
 * runs as long as the chunk allows.  *used is set to the bytes consumed:
 * all of them, or up to the end of a delimiter.
 */
static enum mp_status
scan(struct mp_parser *p, const char *buf, size_t len, size_t *used)
{
	enum mp_status s;
	const char *cr;
	size_t k = 0, run = 0, held = p->match;

	/*
	 * buf[0..run) is data not yet emitted; held is how many matched
	 * bytes came from earlier chunks (they are p->delim[0..held)).
	 */
	while (k < len) {
		if (p->match == 0) {
			cr = memchr(buf + k, '\r', len - k);
			if (cr == NULL) {
				run = k = len;
				break;
			}
			run = k = (size_t)(cr - buf);
			p->match = 1;
			k++;
			continue;
		}
		if (buf[k] == p->delim[p->match]) {
			k++;
			if (++p->match < p->dlen)
				continue;
			p->match = 0;
			*used = k;
			if ((s = emit(p, buf, run)) != MP_OK)
				return s;
			return delimiter_seen(p);
		}
		/*
		 * Mismatch: what was held back is data after all.  Older
		 * bytes come first; a held prefix implies run == 0.
		 */
		if (held > 0) {
			if ((s = emit(p, p->delim, held)) != MP_OK)
				return s;
			held = 0;
		}
		run = k;
		p->match = 0;
		/* buf[k] itself is looked at again: it may be a '\r'. */
	}
	*used = len;
	return emit(p, buf, run);
}

static enum mp_status
part_start(struct mp_parser *p)
{
	if (p->nparts >= p->maxparts)
		return MP_ERR_TOO_MANY_PARTS;
	p->nparts++;
	memset(&p->part, 0, sizeof(p->part));
	p->seen_cd = p->seen_ct = 0;
	p->linelen = 0;
	p->hdrbytes = 0;
	p->state = ST_HEADER;
	return MP_OK;
}

/* Content-Disposition: form-data; name="..."[; filename="..."] */
static enum mp_status
parse_disposition(struct mp_parser *p, const char *v)
{
	struct mp_param prm;
	const char *e;
	int seen_name = 0, r;

	e = skip_token(v);
	if (!ieq(v, (size_t)(e - v), "form-data"))
		return MP_ERR_SYNTAX;
	while ((r = next_param(&e, &prm)) == 1) {
		if (ieq(prm.name, prm.namelen, "name")) {
			if (seen_name++)
				return MP_ERR_SYNTAX;
			/* A cut name could match another field: refuse. */
			if (param_copy(&prm, p->part.name,
			    sizeof(p->part.name)) > MP_NAME_MAX)
				return MP_ERR_FIELD_TOO_LONG;
		} else if (ieq(prm.name, prm.namelen, "filename")) {
			if (p->part.has_filename)
				return MP_ERR_SYNTAX;
			p->part.has_filename = 1;
			/* Only cosmetic: cut it rather than fail the upload. */
			if (param_copy(&prm, p->part.filename,
			    sizeof(p->part.filename)) > MP_FILENAME_MAX)
				p->part.filename_truncated = 1;
		}
		/* Others, filename* included, are ignored. */
	}
	if (r < 0 || !seen_name)
		return MP_ERR_SYNTAX;
	return MP_OK;
}

/* Handle one complete, non-empty header line in p->line. */
static enum mp_status
header_line(struct mp_parser *p)
{
	char *l = p->line, *colon, *v, *end;
	size_t i, namelen;

	/* Obsolete line folding is refused, not unfolded (RFC 7578 4.8). */
	if (l[0] == ' ' || l[0] == '\t')
		return MP_ERR_SYNTAX;
	for (i = 0; i < p->linelen; i++) {
		unsigned char c = (unsigned char)l[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return MP_ERR_SYNTAX;
	}
	if ((colon = memchr(l, ':', p->linelen)) == NULL)
		return MP_ERR_SYNTAX;
	namelen = (size_t)(colon - l);
	/* No white space before the colon (RFC 9112 5.1): smuggling. */
	if (namelen == 0 || skip_token(l) != colon)
		return MP_ERR_SYNTAX;
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	end = l + p->linelen;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';

	if (ieq(l, namelen, "content-disposition")) {
		if (p->seen_cd++)
			return MP_ERR_SYNTAX;
		return parse_disposition(p, v);
	}
	if (ieq(l, namelen, "content-type")) {
		if (p->seen_ct++)
			return MP_ERR_SYNTAX;
		if ((size_t)(end - v) > MP_CTYPE_MAX)
			return MP_ERR_FIELD_TOO_LONG;
		memcpy(p->part.content_type, v, (size_t)(end - v) + 1);
	}
	/* Anything else (Content-Transfer-Encoding, ...) is ignored. */
	return MP_OK;
}

/* The empty line after a part's headers. */
static enum mp_status
headers_done(struct mp_parser *p)
{
	if (!p->seen_cd)
		return MP_ERR_SYNTAX;
	p->state = ST_BODY;
	p->match = 0;
	if (p->cb.part_begin != NULL &&
	    p->cb.part_begin(p->ctx, &p->part) != 0)
		return MP_ERR_CALLBACK;
	return MP_OK;
}

static enum mp_status
header_byte(struct mp_parser *p, char c)
{
	if (c == '\r') {
		p->state = ST_HEADER_LF;
		return MP_OK;
	}
	if (c == '\n')
		return MP_ERR_SYNTAX;	/* bare LF */
	if (p->hdrbytes >= p->maxhdr)
		return MP_ERR_HEADER_TOO_LONG;
	p->line[p->linelen++] = c;
	p->hdrbytes++;
	return MP_OK;
}

static enum mp_status
header_lf(struct mp_parser *p, char c)
{
	enum mp_status s;

	if (c != '\n')
		return MP_ERR_SYNTAX;	/* bare CR */
	if (p->linelen == 0)
		return headers_done(p);
	/* The CRLF counts too; the line itself always fits in the buffer. */
	p->hdrbytes += 2;
	if (p->hdrbytes > p->maxhdr)
		return MP_ERR_HEADER_TOO_LONG;
	p->line[p->linelen] = '\0';
	s = header_line(p);
	p->linelen = 0;
	p->state = ST_HEADER;
	return s;
}

/* One byte in any state but the preamble, body and epilogue. */
static enum mp_status
step(struct mp_parser *p, char c)
{
	switch (p->state) {
	case ST_DELIM_TAIL:
		if (c == '-')
			p->state = ST_CLOSE_DASH;
		else if (c == ' ' || c == '\t')
			p->state = ST_PADDING;
		else if (c == '\r')
			p->state = ST_DELIM_LF;
		else
			return MP_ERR_BOUNDARY;
		return MP_OK;
	case ST_CLOSE_DASH:
		if (c != '-')
			return MP_ERR_BOUNDARY;
		p->state = ST_EPILOGUE;
		return MP_OK;
	case ST_PADDING:
		if (c == '\r')
			p->state = ST_DELIM_LF;
		else if (c != ' ' && c != '\t')
			return MP_ERR_BOUNDARY;
		return MP_OK;
	case ST_DELIM_LF:
		if (c != '\n')
			return MP_ERR_BOUNDARY;
		return part_start(p);
	case ST_HEADER:
		return header_byte(p, c);
	case ST_HEADER_LF:
		return header_lf(p, c);
	default:
		/* Not reached: mp_feed() handles the other states. */
		return MP_ERR_SYNTAX;
	}
}

static enum mp_status
fail(struct mp_parser *p, enum mp_status s)
{
	p->err = s;
	p->state = ST_ERROR;
	return s;
}

enum mp_status
mp_feed(struct mp_parser *p, const char *buf, size_t len)
{
	enum mp_status s;
	size_t off = 0, n;

	if (p->err != MP_OK)
		return p->err;
	while (off < len && p->state != ST_EPILOGUE) {
		if (p->state == ST_PREAMBLE || p->state == ST_BODY)
			s = scan(p, buf + off, len - off, &n);
		else {
			s = step(p, buf[off]);
			n = 1;
		}
		if (s != MP_OK)
			return fail(p, s);
		off += n;
	}
	return MP_OK;
}

enum mp_status
mp_finish(struct mp_parser *p)
{
	if (p->err != MP_OK)
		return p->err;
	if (p->state != ST_EPILOGUE)
		return fail(p, MP_ERR_TRUNCATED);
	return MP_OK;
}

const char *
mp_strerror(enum mp_status s)
{
	switch (s) {
	case MP_OK:
		return "success";
	case MP_ERR_BOUNDARY:
		return "malformed boundary line";
	case MP_ERR_SYNTAX:
		return "malformed part headers";
	case MP_ERR_HEADER_TOO_LONG:
		return "part headers too long";
	case MP_ERR_TOO_MANY_PARTS:
		return "too many parts";
	case MP_ERR_TRUNCATED:
		return "body ended before the closing boundary";
	case MP_ERR_CALLBACK:
		return "aborted by callback";
	case MP_ERR_NOMEM:
		return "out of memory";
	case MP_ERR_FIELD_TOO_LONG:
		return "field name or content type too long";
	}
	return "unknown error";
}

/*
 * Decode one UTF-8 sequence at s.  Returns its length with the code point
 * in *cp, or 0 if it is invalid: a stray continuation byte, an overlong
 * form, a surrogate or a value past U+10FFFF.  Stops at any byte that is
 * not a continuation, so it never reads past the NUL terminator.
 */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xc2)
		return 0;
	if (s[0] < 0xe0) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] < 0xf0) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] < 0xf5) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/*
 * Characters that must not reach a display: C0, DEL, C1, and the bidi
 * controls that can make "gpj.exe" look like "exe.jpg", plus the Unicode
 * line and paragraph separators.
 */
static int
unsafe_cp(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x061c ||
	    c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069);
}

void
mp_sanitize_filename(const char *raw, char *out, size_t outsz)
{
	const unsigned char *s;
	const char *slash;
	size_t n = 0, len;
	uint32_t cp;

	if (outsz == 0)
		return;
	if (raw == NULL)
		raw = "";
	/* Both separators: the client may run any OS. */
	if ((slash = strrchr(raw, '/')) != NULL)
		raw = slash + 1;
	if ((slash = strrchr(raw, '\\')) != NULL)
		raw = slash + 1;
	for (s = (const unsigned char *)raw; *s != '\0'; s += len) {
		if ((len = utf8_decode(s, &cp)) == 0) {
			len = 1;	/* drop one byte and resynchronise */
			continue;
		}
		if (unsafe_cp(cp))
			continue;
		/* No hidden files, no names that look empty. */
		if (n == 0 && (cp == '.' || cp == ' '))
			continue;
		if (len > outsz - 1 - n)
			break;
		memcpy(out + n, s, len);
		n += len;
	}
	if (n == 0) {
		n = strlen("file");
		if (n > outsz - 1)
			n = outsz - 1;
		memcpy(out, "file", n);
	}
	out[n] = '\0';
}
