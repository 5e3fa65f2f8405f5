/*
 * check_multipart.c - unit tests for lib/multipart.c.
 *
 * Every callback is written into a text log, with body bytes appended
 * verbatim, so that two runs of the parser over the same body with
 * different chunking can be compared with one string compare.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "multipart.h"

#define BND	"----WebKitFormBoundary7MA4YWxkTrZu0gW"
#define CRLF	"\r\n"
#define LOGMAX	16384

struct rec {
	char	log[LOGMAX];
	size_t	len;
	int	overflow;
	int	abort_begin;	/* fail the nth part_begin (1-based) */
	int	abort_data;	/* fail the first part_data */
	int	abort_end;	/* fail the first part_end */
	int	nbegin;
	int	ndata;
	int	nend;
};

static void
rec_add(struct rec *r, const char *buf, size_t len)
{
	if (len > sizeof(r->log) - 1 - r->len) {
		r->overflow = 1;
		return;
	}
	memcpy(r->log + r->len, buf, len);
	r->len += len;
	r->log[r->len] = '\0';
}

static int
cb_begin(void *ctx, const struct mp_part *part)
{
	struct rec *r = ctx;
	char tmp[1024];
	int n;

	n = snprintf(tmp, sizeof(tmp), "[B name=%s file=%s has=%d trunc=%d "
	    "ct=%s]", part->name, part->filename, part->has_filename,
	    part->filename_truncated, part->content_type);
	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, (int)sizeof(tmp));
	rec_add(r, tmp, (size_t)n);
	return ++r->nbegin == r->abort_begin;
}

static int
cb_data(void *ctx, const char *buf, size_t len)
{
	struct rec *r = ctx;

	ck_assert_uint_gt(len, 0);
	r->ndata++;
	rec_add(r, buf, len);
	return r->abort_data;
}

static int
cb_end(void *ctx)
{
	struct rec *r = ctx;

	r->nend++;
	rec_add(r, "[E]", 3);
	return r->abort_end;
}

static const struct mp_callbacks cbs = { cb_begin, cb_data, cb_end };

/*
 * Parse body fed in pieces cut at the offsets in cuts[0..ncuts) (sorted),
 * then finish.  Returns the first error, or mp_finish()'s status.
 */
static enum mp_status
parse_cuts(const char *bnd, const char *body, size_t len, const size_t *cuts,
    size_t ncuts, struct rec *r, size_t maxhdr, size_t maxparts)
{
	struct mp_parser *p;
	enum mp_status s = MP_OK;
	size_t i, from = 0, to;

	p = mp_new(bnd, &cbs, r, maxhdr, maxparts);
	ck_assert_ptr_nonnull(p);
	for (i = 0; i <= ncuts && s == MP_OK; i++) {
		to = i < ncuts ? cuts[i] : len;
		s = mp_feed(p, body + from, to - from);
		from = to;
	}
	if (s == MP_OK)
		s = mp_finish(p);
	mp_free(p);
	ck_assert_int_eq(r->overflow, 0);
	return s;
}

/* Parse body in chunks of chunk bytes (0: all at once). */
static enum mp_status
parse_chunked(const char *bnd, const char *body, size_t len, size_t chunk,
    struct rec *r, size_t maxhdr, size_t maxparts)
{
	struct mp_parser *p;
	enum mp_status s = MP_OK;
	size_t off, n;

	p = mp_new(bnd, &cbs, r, maxhdr, maxparts);
	ck_assert_ptr_nonnull(p);
	if (chunk == 0)
		chunk = len ? len : 1;
	for (off = 0; off < len && s == MP_OK; off += n) {
		n = len - off < chunk ? len - off : chunk;
		s = mp_feed(p, body + off, n);
	}
	if (s == MP_OK)
		s = mp_finish(p);
	mp_free(p);
	ck_assert_int_eq(r->overflow, 0);
	return s;
}

static enum mp_status
parse_str(const char *body, struct rec *r)
{
	memset(r, 0, sizeof(*r));
	return parse_chunked(BND, body, strlen(body), 0, r, 1024, 16);
}

/*
 * The body must give status want and log expect for every chunk size and
 * every single split point.
 */
static void
check_all_chunkings(const char *bnd, const char *body, enum mp_status want,
    const char *expect)
{
	struct rec r;
	size_t len = strlen(body), chunk, cut;

	for (chunk = 1; chunk <= len; chunk++) {
		memset(&r, 0, sizeof(r));
		ck_assert_msg(parse_chunked(bnd, body, len, chunk, &r, 1024,
		    16) == want, "chunk %zu", chunk);
		if (expect != NULL)
			ck_assert_msg(strcmp(r.log, expect) == 0,
			    "chunk %zu: got \"%s\"", chunk, r.log);
	}
	for (cut = 0; cut <= len; cut++) {
		memset(&r, 0, sizeof(r));
		ck_assert_msg(parse_cuts(bnd, body, len, &cut, 1, &r, 1024,
		    16) == want, "cut %zu", cut);
		if (expect != NULL)
			ck_assert_str_eq(r.log, expect);
	}
}

static const char single_body[] =
    "--" BND CRLF
    "Content-Disposition: form-data; name=\"file\"; filename=\"cat.jpg\""
    CRLF
    "Content-Type: image/jpeg" CRLF
    CRLF
    "\xff\xd8\xff\xe0 jpeg bytes \r\n with a CRLF inside" CRLF
    "--" BND "--" CRLF;

static const char single_log[] =
    "[B name=file file=cat.jpg has=1 trunc=0 ct=image/jpeg]"
    "\xff\xd8\xff\xe0 jpeg bytes \r\n with a CRLF inside[E]";

START_TEST(single_whole_and_bytewise)
{
	struct rec whole, bytes;
	size_t len = strlen(single_body);

	memset(&whole, 0, sizeof(whole));
	memset(&bytes, 0, sizeof(bytes));
	ck_assert_int_eq(parse_chunked(BND, single_body, len, 0, &whole,
	    1024, 16), MP_OK);
	ck_assert_int_eq(parse_chunked(BND, single_body, len, 1, &bytes,
	    1024, 16), MP_OK);
	ck_assert_str_eq(whole.log, single_log);
	ck_assert_str_eq(bytes.log, whole.log);
	ck_assert_int_eq(whole.nbegin, 1);
	ck_assert_int_eq(whole.nend, 1);
	/* Streamed whole, the body comes in one piece. */
	ck_assert_int_eq(whole.ndata, 1);
	check_all_chunkings(BND, single_body, MP_OK, single_log);
}
END_TEST

START_TEST(two_parts_type_then_file)
{
	static const char body[] =
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"type\"" CRLF
	    CRLF
	    "image" CRLF
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\""
	    CRLF
	    "Content-Type: image/png" CRLF
	    CRLF
	    "\x89PNG\r\n\x1a\n" CRLF
	    "--" BND "--" CRLF;

	check_all_chunkings(BND, body, MP_OK,
	    "[B name=type file= has=0 trunc=0 ct=]image[E]"
	    "[B name=file file=a.png has=1 trunc=0 ct=image/png]"
	    "\x89PNG\r\n\x1a\n[E]");
}
END_TEST

START_TEST(two_parts_file_then_type)
{
	static const char body[] =
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=file; filename=v.mp4" CRLF
	    "Content-Type: video/mp4" CRLF
	    CRLF
	    "\0\0\0\x18" "ftypmp42" CRLF
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=type" CRLF
	    CRLF
	    "video" CRLF
	    "--" BND "--";
	struct rec r;

	/* Not a C string: the body holds NUL bytes. */
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(parse_chunked(BND, body, sizeof(body) - 1, 1, &r,
	    1024, 16), MP_OK);
	ck_assert_uint_eq(r.len, strlen("[B name=file file=v.mp4 has=1 "
	    "trunc=0 ct=video/mp4]") + 12 + strlen("[E][B name=type file= "
	    "has=0 trunc=0 ct=]video[E]"));
	ck_assert(memcmp(r.log, "[B name=file file=v.mp4 has=1 trunc=0 "
	    "ct=video/mp4]\0\0\0\x18" "ftypmp42[E][B name=type file= has=0 "
	    "trunc=0 ct=]video[E]", r.len) == 0);
}
END_TEST

/* Every pair of split points over a short boundary and body. */
START_TEST(boundary_split_everywhere)
{
	static const char body[] =
	    "--b1" CRLF
	    "Content-Disposition: form-data; name=a" CRLF
	    CRLF
	    "x\r\n--b\r\n-" CRLF
	    "--b1" CRLF
	    "Content-Disposition: form-data; name=b" CRLF
	    CRLF
	    CRLF
	    "--b1--";
	static const char expect[] =
	    "[B name=a file= has=0 trunc=0 ct=]x\r\n--b\r\n-[E]"
	    "[B name=b file= has=0 trunc=0 ct=][E]";
	size_t len = strlen(body), cuts[2];
	struct rec r;

	for (cuts[0] = 0; cuts[0] <= len; cuts[0]++)
		for (cuts[1] = cuts[0]; cuts[1] <= len; cuts[1]++) {
			memset(&r, 0, sizeof(r));
			ck_assert_int_eq(parse_cuts("b1", body, len, cuts, 2,
			    &r, 1024, 16), MP_OK);
			ck_assert_str_eq(r.log, expect);
		}
}
END_TEST

/*
 * Partial delimiters, a delimiter after a bare LF or not at a line start,
 * and lone CRs are all body data.
 */
START_TEST(lookalikes_are_data)
{
	static const char data[] =
	    "\r\n--" "\r\n--" "-" "\r\n--bou" "\r\n--" "----WebKitFormBoundary"
	    "7MA4YWxkTrZu0g" "\r" "\r\r\n-" "\n--" BND " x--" BND "\r"
	    "\r\n--" "----WebKit" "\r\n" "\r";
	char body[1024], expect[1024];
	int n;

	n = snprintf(body, sizeof(body), "--%s\r\nContent-Disposition: "
	    "form-data; name=\"m\"\r\n\r\n%s\r\n--%s--\r\n", BND, data, BND);
	ck_assert(n > 0 && (size_t)n < sizeof(body));
	n = snprintf(expect, sizeof(expect),
	    "[B name=m file= has=0 trunc=0 ct=]%s[E]", data);
	ck_assert(n > 0 && (size_t)n < sizeof(expect));
	check_all_chunkings(BND, body, MP_OK, expect);
}
END_TEST

START_TEST(full_boundary_then_junk)
{
	struct rec r;

	ck_assert_int_eq(parse_str("--" BND CRLF
	    "Content-Disposition: form-data; name=m" CRLF CRLF
	    "abc\r\n--" BND "x\r\n"
	    "--" BND "--" CRLF, &r), MP_ERR_BOUNDARY);
	ck_assert_int_eq(parse_str("--" BND "x" CRLF, &r), MP_ERR_BOUNDARY);
	ck_assert_int_eq(parse_str("--" BND "-x", &r), MP_ERR_BOUNDARY);
	ck_assert_int_eq(parse_str("--" BND " \tx" CRLF, &r),
	    MP_ERR_BOUNDARY);
	ck_assert_int_eq(parse_str("--" BND "\rx", &r), MP_ERR_BOUNDARY);
}
END_TEST

START_TEST(preamble_and_epilogue)
{
	static const char body[] =
	    "This is the preamble.  --" BND " is not at a line start." CRLF
	    "\r\n--" "----WebKitFormBoundary" CRLF
	    "-" CRLF
	    "--" BND " \t " CRLF
	    "Content-Disposition: form-data; name=\"t\"" CRLF
	    CRLF
	    "hello" CRLF
	    "--" BND "--"
	    "epilogue \r\n--" BND CRLF "garbage: with no end\r";

	check_all_chunkings(BND, body, MP_OK,
	    "[B name=t file= has=0 trunc=0 ct=]hello[E]");
}
END_TEST

START_TEST(no_parts)
{
	struct rec r;

	ck_assert_int_eq(parse_str("--" BND "--", &r), MP_OK);
	ck_assert_str_eq(r.log, "");
	ck_assert_int_eq(parse_str("", &r), MP_ERR_TRUNCATED);
	ck_assert_int_eq(parse_str("preamble only" CRLF, &r),
	    MP_ERR_TRUNCATED);
}
END_TEST

START_TEST(missing_close_truncated)
{
	static const char *const bodies[] = {
		"--" BND CRLF "Content-Disposition: form-data; name=a" CRLF
		    CRLF "data",
		"--" BND CRLF "Content-Disposition: form-data; name=a" CRLF
		    CRLF "data" CRLF "--" BND,
		"--" BND CRLF "Content-Disposition: form-data; name=a" CRLF
		    CRLF "data" CRLF "--" BND "-",
		"--" BND CRLF "Content-Disposition: form-data; name=a" CRLF
		    CRLF "data" CRLF "--" BND CRLF,
		"--" BND CRLF "Content-Disposition: form-data; name=a" CRLF,
		"--" BND CRLF "Content-Disp",
		("--" BND),
	};
	struct mp_parser *p;
	struct rec r;
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		memset(&r, 0, sizeof(r));
		ck_assert_msg(parse_chunked(BND, bodies[i], strlen(bodies[i]),
		    1, &r, 1024, 16) == MP_ERR_TRUNCATED, "body %zu", i);
	}

	/* The error sticks. */
	memset(&r, 0, sizeof(r));
	p = mp_new(BND, &cbs, &r, 1024, 16);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(mp_feed(p, bodies[0], strlen(bodies[0])), MP_OK);
	ck_assert_int_eq(mp_finish(p), MP_ERR_TRUNCATED);
	ck_assert_int_eq(mp_feed(p, CRLF "--" BND "--", strlen(BND) + 6),
	    MP_ERR_TRUNCATED);
	ck_assert_int_eq(mp_finish(p), MP_ERR_TRUNCATED);
	mp_free(p);
}
END_TEST

START_TEST(header_cap)
{
	static const char cd[] = "Content-Disposition: form-data; name=\"a\"";
	static const char ct[] = "Content-Type: text/plain";
	static const char body[] =
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF
	    "Content-Type: text/plain" CRLF
	    CRLF
	    "x" CRLF
	    "--" BND "--";
	struct rec r;
	size_t len = strlen(body), chunk;
	/* Both header lines with their CRLFs, not the empty line. */
	size_t cap = strlen(cd) + 2 + strlen(ct) + 2;

	for (chunk = 1; chunk <= len; chunk += len - 1) {
		memset(&r, 0, sizeof(r));
		ck_assert_int_eq(parse_chunked(BND, body, len, chunk, &r, cap,
		    16), MP_OK);
		memset(&r, 0, sizeof(r));
		ck_assert_int_eq(parse_chunked(BND, body, len, chunk, &r,
		    cap - 1, 16), MP_ERR_HEADER_TOO_LONG);
		memset(&r, 0, sizeof(r));
		ck_assert_int_eq(parse_chunked(BND, body, len, chunk, &r, 20,
		    16), MP_ERR_HEADER_TOO_LONG);
		ck_assert_int_eq(r.nbegin, 0);
	}
}
END_TEST

START_TEST(header_cap_per_part)
{
	/* Each part's headers are under the cap; together they are not. */
	static const char body[] =
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF
	    CRLF
	    "1" CRLF
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"b\"" CRLF
	    CRLF
	    "2" CRLF
	    "--" BND "--";
	struct rec r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(parse_chunked(BND, body, strlen(body), 1, &r,
	    strlen("Content-Disposition: form-data; name=\"a\"" CRLF), 16),
	    MP_OK);
	ck_assert_int_eq(r.nend, 2);
}
END_TEST

START_TEST(too_many_parts)
{
	static const char body[] =
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF CRLF "1" CRLF
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"b\"" CRLF CRLF "2" CRLF
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"c\"" CRLF CRLF "3" CRLF
	    "--" BND "--";
	struct rec r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(parse_chunked(BND, body, strlen(body), 0, &r, 1024,
	    3), MP_OK);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(parse_chunked(BND, body, strlen(body), 0, &r, 1024,
	    2), MP_ERR_TOO_MANY_PARTS);
	ck_assert_int_eq(r.nbegin, 2);
	ck_assert_int_eq(r.nend, 2);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(parse_chunked(BND, body, strlen(body), 1, &r, 1024,
	    0), MP_ERR_TOO_MANY_PARTS);
	ck_assert_int_eq(r.nbegin, 0);
}
END_TEST

START_TEST(header_syntax)
{
	static const char *const bad[] = {
		/* no Content-Disposition */
		"--" BND CRLF "Content-Type: text/plain" CRLF CRLF "x" CRLF
		    "--" BND "--",
		/* no headers at all */
		"--" BND CRLF CRLF "x" CRLF "--" BND "--",
		/* not form-data */
		"--" BND CRLF "Content-Disposition: attachment; name=a" CRLF
		    CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-datax; name=a" CRLF
		    CRLF "x" CRLF "--" BND "--",
		/* no name */
		"--" BND CRLF "Content-Disposition: form-data" CRLF
		    CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-data; filename=a"
		    CRLF CRLF "x" CRLF "--" BND "--",
		/* duplicates */
		"--" BND CRLF "Content-Disposition: form-data; name=a; name=b"
		    CRLF CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-data; name=a; "
		    "filename=x; filename=y" CRLF CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-data; name=a" CRLF
		    "Content-Disposition: form-data; name=b" CRLF CRLF "x" CRLF
		    "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-data; name=a" CRLF
		    "Content-Type: a/b" CRLF "content-type: c/d" CRLF CRLF
		    "x" CRLF "--" BND "--",
		/* folding */
		"--" BND CRLF "Content-Disposition: form-data;" CRLF
		    " name=a" CRLF CRLF "x" CRLF "--" BND "--",
		/* bare LF, bare CR */
		"--" BND CRLF "Content-Disposition: form-data; name=a\n\n"
		    "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-data; name=a\rX" CRLF
		    CRLF "x" CRLF "--" BND "--",
		/* no colon, space before colon, empty name */
		"--" BND CRLF "Content-Disposition form-data; name=a" CRLF
		    CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition : form-data; name=a" CRLF
		    CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF ": x" CRLF "Content-Disposition: form-data; "
		    "name=a" CRLF CRLF "x" CRLF "--" BND "--",
		/* bad parameters */
		"--" BND CRLF "Content-Disposition: form-data; name=\"a" CRLF
		    CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-data; name=\"a\"b"
		    CRLF CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-data; name" CRLF
		    CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-data; name=" CRLF
		    CRLF "x" CRLF "--" BND "--",
		"--" BND CRLF "Content-Disposition: form-data name=a" CRLF
		    CRLF "x" CRLF "--" BND "--",
		/* control byte in a header */
		"--" BND CRLF "Content-Disposition: form-data; name=\"a\x01\""
		    CRLF CRLF "x" CRLF "--" BND "--",
	};
	struct rec r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&r, 0, sizeof(r));
		ck_assert_msg(parse_chunked(BND, bad[i], strlen(bad[i]), 1,
		    &r, 1024, 16) == MP_ERR_SYNTAX, "case %zu", i);
		ck_assert_int_eq(r.nbegin, 0);
	}
}
END_TEST

START_TEST(header_forms)
{
	struct rec r;

	/* Case-insensitive names and parameters, OWS, ignored headers. */
	ck_assert_int_eq(parse_str("--" BND CRLF
	    "cOnTeNt-DiSpOsItIoN:Form-Data ;NAME = \"f\" ;\tFileName=\"a "
	    "\\\"b\\\\c\\d.gif\"; filename*=UTF-8''x.gif;" CRLF
	    "CONTENT-TYPE:   image/gif; x=y  " CRLF
	    "Content-Transfer-Encoding: binary" CRLF
	    "X-Whatever: \xc3\xa9" CRLF
	    CRLF "GIF89a" CRLF "--" BND "--", &r), MP_OK);
	ck_assert_str_eq(r.log, "[B name=f file=a \"b\\c\\d.gif has=1 "
	    "trunc=0 ct=image/gif; x=y]GIF89a[E]");

	/* Empty filename still marks a file part; UTF-8 passes raw. */
	ck_assert_int_eq(parse_str("--" BND CRLF
	    "Content-Disposition: form-data; name=\"\xe5\x90\x8d\"; "
	    "filename=\"\"" CRLF CRLF CRLF "--" BND "--", &r), MP_OK);
	ck_assert_str_eq(r.log, "[B name=\xe5\x90\x8d file= has=1 trunc=0 "
	    "ct=][E]");
}
END_TEST

START_TEST(field_caps)
{
	char body[2048], longname[MP_NAME_MAX + 2], longfile[400];
	char expect[1024];
	struct rec r;
	int n;

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	n = snprintf(body, sizeof(body), "--" BND CRLF "Content-Disposition: "
	    "form-data; name=\"%s\"" CRLF CRLF CRLF "--" BND "--", longname);
	ck_assert(n > 0 && (size_t)n < sizeof(body));
	ck_assert_int_eq(parse_str(body, &r), MP_ERR_FIELD_TOO_LONG);

	/* Exactly MP_NAME_MAX fits. */
	longname[MP_NAME_MAX] = '\0';
	n = snprintf(body, sizeof(body), "--" BND CRLF "Content-Disposition: "
	    "form-data; name=\"%s\"" CRLF CRLF CRLF "--" BND "--", longname);
	ck_assert(n > 0 && (size_t)n < sizeof(body));
	ck_assert_int_eq(parse_str(body, &r), MP_OK);

	/* A long filename is cut and flagged. */
	memset(longfile, 'f', sizeof(longfile) - 1);
	longfile[sizeof(longfile) - 1] = '\0';
	n = snprintf(body, sizeof(body), "--" BND CRLF "Content-Disposition: "
	    "form-data; name=f; filename=\"%s\"" CRLF CRLF CRLF "--" BND "--",
	    longfile);
	ck_assert(n > 0 && (size_t)n < sizeof(body));
	ck_assert_int_eq(parse_str(body, &r), MP_OK);
	longfile[MP_FILENAME_MAX] = '\0';
	n = snprintf(expect, sizeof(expect), "[B name=f file=%s has=1 trunc=1 "
	    "ct=][E]", longfile);
	ck_assert(n > 0 && (size_t)n < sizeof(expect));
	ck_assert_str_eq(r.log, expect);

	/* Content-Type over MP_CTYPE_MAX. */
	memset(longfile, 't', MP_CTYPE_MAX + 1);
	longfile[MP_CTYPE_MAX + 1] = '\0';
	n = snprintf(body, sizeof(body), "--" BND CRLF "Content-Disposition: "
	    "form-data; name=f" CRLF "Content-Type: %s" CRLF CRLF CRLF "--" BND
	    "--", longfile);
	ck_assert(n > 0 && (size_t)n < sizeof(body));
	ck_assert_int_eq(parse_str(body, &r), MP_ERR_FIELD_TOO_LONG);
}
END_TEST

START_TEST(callback_abort)
{
	static const char body[] =
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"a\"" CRLF CRLF "1" CRLF
	    "--" BND CRLF
	    "Content-Disposition: form-data; name=\"b\"" CRLF CRLF "2" CRLF
	    "--" BND "--";
	struct mp_parser *p;
	struct rec r;

	memset(&r, 0, sizeof(r));
	r.abort_begin = 2;
	ck_assert_int_eq(parse_chunked(BND, body, strlen(body), 0, &r, 1024,
	    16), MP_ERR_CALLBACK);
	ck_assert_str_eq(r.log, "[B name=a file= has=0 trunc=0 ct=]1[E]"
	    "[B name=b file= has=0 trunc=0 ct=]");

	memset(&r, 0, sizeof(r));
	r.abort_begin = 1;
	ck_assert_int_eq(parse_chunked(BND, body, strlen(body), 1, &r, 1024,
	    16), MP_ERR_CALLBACK);
	ck_assert_int_eq(r.ndata, 0);
	ck_assert_int_eq(r.nend, 0);

	memset(&r, 0, sizeof(r));
	r.abort_data = 1;
	ck_assert_int_eq(parse_chunked(BND, body, strlen(body), 0, &r, 1024,
	    16), MP_ERR_CALLBACK);
	ck_assert_int_eq(r.ndata, 1);
	ck_assert_int_eq(r.nend, 0);

	memset(&r, 0, sizeof(r));
	r.abort_end = 1;
	ck_assert_int_eq(parse_chunked(BND, body, strlen(body), 0, &r, 1024,
	    16), MP_ERR_CALLBACK);
	ck_assert_int_eq(r.nbegin, 1);

	/* Sticky: later feeds and finish report the same error. */
	memset(&r, 0, sizeof(r));
	r.abort_begin = 1;
	p = mp_new(BND, &cbs, &r, 1024, 16);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(mp_feed(p, body, strlen(body)), MP_ERR_CALLBACK);
	ck_assert_int_eq(mp_feed(p, "x", 1), MP_ERR_CALLBACK);
	ck_assert_int_eq(mp_feed(p, NULL, 0), MP_ERR_CALLBACK);
	ck_assert_int_eq(mp_finish(p), MP_ERR_CALLBACK);
	ck_assert_int_eq(r.nbegin, 1);
	mp_free(p);
}
END_TEST

START_TEST(null_callbacks)
{
	struct mp_callbacks none = { NULL, NULL, NULL };
	struct mp_parser *p;
	size_t i;

	p = mp_new(BND, &none, NULL, 1024, 16);
	ck_assert_ptr_nonnull(p);
	for (i = 0; single_body[i] != '\0'; i++)
		ck_assert_int_eq(mp_feed(p, single_body + i, 1), MP_OK);
	ck_assert_int_eq(mp_finish(p), MP_OK);
	mp_free(p);

	p = mp_new(BND, NULL, NULL, 1024, 16);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(mp_feed(p, single_body, strlen(single_body)), MP_OK);
	ck_assert_int_eq(mp_finish(p), MP_OK);
	mp_free(p);
	mp_free(NULL);
}
END_TEST

START_TEST(new_rejects)
{
	char b71[72];

	memset(b71, 'b', 71);
	b71[71] = '\0';
	errno = 0;
	ck_assert_ptr_null(mp_new("", &cbs, NULL, 1024, 16));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(mp_new(NULL, &cbs, NULL, 1024, 16));
	ck_assert_ptr_null(mp_new(b71, &cbs, NULL, 1024, 16));
	ck_assert_ptr_null(mp_new("a\rb", &cbs, NULL, 1024, 16));
	ck_assert_ptr_null(mp_new("ab ", &cbs, NULL, 1024, 16));
	ck_assert_ptr_null(mp_new("a\"b", &cbs, NULL, 1024, 16));
	ck_assert_ptr_null(mp_new("ab", &cbs, NULL, 0, 16));
	ck_assert_ptr_null(mp_new("ab", &cbs, NULL,
	    MP_HEADER_BYTES_LIMIT + 1, 16));
	b71[70] = '\0';
	mp_free(mp_new(b71, &cbs, NULL, 1024, 16));
	mp_free(mp_new("a b'()+_,-./:=?Z9", &cbs, NULL, 1, 1));
}
END_TEST

START_TEST(strerror_all)
{
	int s;

	for (s = MP_OK; s <= MP_ERR_FIELD_TOO_LONG; s++) {
		ck_assert_ptr_nonnull(mp_strerror((enum mp_status)s));
		ck_assert_str_ne(mp_strerror((enum mp_status)s),
		    "unknown error");
	}
}
END_TEST

static int
boundary_ok(const char *ct, const char *want)
{
	char out[MP_BOUNDARY_MAX + 1];

	if (mp_boundary_from_content_type(ct, out, sizeof(out)) != 0)
		return 0;
	return strcmp(out, want) == 0;
}

static int
boundary_bad(const char *ct)
{
	char out[MP_BOUNDARY_MAX + 1];

	return mp_boundary_from_content_type(ct, out, sizeof(out)) == -1 &&
	    out[0] == '\0';
}

START_TEST(boundary_from_ct)
{
	char out[8], b70[MP_BOUNDARY_MAX + 1], ct[160];

	ck_assert(boundary_ok("multipart/form-data; boundary=" BND, BND));
	ck_assert(boundary_ok("multipart/form-data; boundary=\"" BND "\"",
	    BND));
	ck_assert(boundary_ok("Multipart/Form-Data; BOUNDARY=abc", "abc"));
	ck_assert(boundary_ok("  multipart/form-data;charset=utf-8;"
	    "boundary=\"a b:c?=d\" ; x=y ", "a b:c?=d"));
	ck_assert(boundary_ok("multipart/form-data; boundary=x;", "x"));
	ck_assert(boundary_bad("multipart/form-data"));
	ck_assert(boundary_bad("multipart/form-data;"));
	ck_assert(boundary_bad("multipart/form-data; charset=x"));
	ck_assert(boundary_bad("multipart/form-data; boundary="));
	ck_assert(boundary_bad("multipart/form-data; boundary=\"\""));
	ck_assert(boundary_bad("multipart/form-data; boundary=\"abc"));
	ck_assert(boundary_bad("multipart/form-data; boundary=\"ab \""));
	ck_assert(boundary_bad("multipart/form-data; boundary=\"a<b\""));
	ck_assert(boundary_bad("multipart/form-data; boundary=a; "
	    "boundary=b"));
	ck_assert(boundary_bad("multipart/mixed; boundary=abc"));
	ck_assert(boundary_bad("multipart/form-datax; boundary=abc"));
	ck_assert(boundary_bad("application/x-www-form-urlencoded"));
	ck_assert(boundary_bad("text/plain; boundary=abc"));
	ck_assert(boundary_bad("multipart; boundary=abc"));
	ck_assert(boundary_bad(""));
	ck_assert_int_eq(mp_boundary_from_content_type(NULL, out,
	    sizeof(out)), -1);

	memset(b70, 'a', 70);
	b70[70] = '\0';
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", b70);
	ck_assert(boundary_ok(ct, b70));
	snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%sa", b70);
	ck_assert(boundary_bad(ct));

	/* Does not fit the caller's buffer. */
	ck_assert_int_eq(mp_boundary_from_content_type(
	    "multipart/form-data; boundary=12345678", out, sizeof(out)), -1);
	ck_assert_int_eq(mp_boundary_from_content_type(
	    "multipart/form-data; boundary=1234567", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "1234567");
}
END_TEST

static int
sane(const char *raw, size_t outsz, const char *want)
{
	char out[512];

	ck_assert_uint_le(outsz, sizeof(out));
	memset(out, 'Z', sizeof(out));
	mp_sanitize_filename(raw, out, outsz);
	if (strcmp(out, want) != 0) {
		fprintf(stderr, "sanitize(\"%s\", %zu) = \"%s\", want \"%s\"\n",
		    raw != NULL ? raw : "(null)", outsz, out, want);
		return 0;
	}
	return 1;
}

START_TEST(sanitize)
{
	char raw[600], want[300];
	size_t i;

	ck_assert(sane("cat.jpg", 256, "cat.jpg"));
	ck_assert(sane("../../etc/passwd", 256, "passwd"));
	ck_assert(sane("C:\\x\\evil.jpg", 256, "evil.jpg"));
	ck_assert(sane("a/b\\c/d.png", 256, "d.png"));
	ck_assert(sane("..hidden", 256, "hidden"));
	ck_assert(sane(" . .x", 256, "x"));
	ck_assert(sane("a.b. ", 256, "a.b. "));
	ck_assert(sane("..", 256, "file"));
	ck_assert(sane("dir/", 256, "file"));
	ck_assert(sane("", 256, "file"));
	ck_assert(sane(NULL, 256, "file"));
	ck_assert(sane("a\x01" "b\tc\x7f" "d\r\n.e", 256, "abcd.e"));
	/* C1 control U+0085 and bidi override U+202E are dropped. */
	ck_assert(sane("x\xc2\x85y\xe2\x80\xaegpj.exe", 256, "xygpj.exe"));
	/* Invalid UTF-8: stray continuation, overlong, surrogate, cut. */
	ck_assert(sane("a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe6\x97" ".txt",
	    256, "abcd.txt"));
	ck_assert(sane("\xf4\x90\x80\x80" "x\xff\xfe", 256, "x"));
	ck_assert(sane("\xe6\x97\xa5\xe6\x9c\xac.jpg", 256,
	    "\xe6\x97\xa5\xe6\x9c\xac.jpg"));
	ck_assert(sane("\x01\x02", 256, "file"));

	/* Cap: never cut a UTF-8 sequence. */
	ck_assert(sane("\xe6\x97\xa5\xe6\x9c\xac", 6, "\xe6\x97\xa5"));
	ck_assert(sane("\xe6\x97\xa5\xe6\x9c\xac", 7,
	    "\xe6\x97\xa5\xe6\x9c\xac"));
	ck_assert(sane("a\xf0\x9f\x98\x80", 5, "a"));
	ck_assert(sane("a\xf0\x9f\x98\x80", 6, "a\xf0\x9f\x98\x80"));
	ck_assert(sane("\xf0\x9f\x98\x80", 4, "fil"));
	ck_assert(sane("abc", 1, ""));
	ck_assert(sane("", 3, "fi"));

	/* 100 three-byte characters into 256 bytes: 85 fit (255 bytes). */
	raw[0] = '\0';
	want[0] = '\0';
	for (i = 0; i < 100; i++) {
		strcat(raw, "\xe2\x82\xac");
		if (i < 85)
			strcat(want, "\xe2\x82\xac");
	}
	ck_assert(sane(raw, 256, want));
	/* An 'x' first: 84 fit after it (253 bytes), the 85th would not. */
	memmove(raw + 1, raw, strlen(raw) + 1);
	raw[0] = 'x';
	want[3 * 84] = '\0';
	memmove(want + 1, want, strlen(want) + 1);
	want[0] = 'x';
	ck_assert(sane(raw, 256, want));
	ck_assert_uint_eq(strlen(want), 253);

	/* outsz 0 writes nothing. */
	raw[0] = 'Q';
	mp_sanitize_filename("abc", raw, 0);
	ck_assert_int_eq(raw[0], 'Q');
}
END_TEST

static Suite *
multipart_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("multipart");
	tc = tcase_create("parser");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, single_whole_and_bytewise);
	tcase_add_test(tc, two_parts_type_then_file);
	tcase_add_test(tc, two_parts_file_then_type);
	tcase_add_test(tc, boundary_split_everywhere);
	tcase_add_test(tc, lookalikes_are_data);
	tcase_add_test(tc, full_boundary_then_junk);
	tcase_add_test(tc, preamble_and_epilogue);
	tcase_add_test(tc, no_parts);
	tcase_add_test(tc, missing_close_truncated);
	tcase_add_test(tc, header_cap);
	tcase_add_test(tc, header_cap_per_part);
	tcase_add_test(tc, too_many_parts);
	tcase_add_test(tc, header_syntax);
	tcase_add_test(tc, header_forms);
	tcase_add_test(tc, field_caps);
	tcase_add_test(tc, callback_abort);
	tcase_add_test(tc, null_callbacks);
	tcase_add_test(tc, new_rejects);
	tcase_add_test(tc, strerror_all);
	suite_add_tcase(s, tc);

	tc = tcase_create("helpers");
	tcase_add_test(tc, boundary_from_ct);
	tcase_add_test(tc, sanitize);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(multipart_suite());
}
