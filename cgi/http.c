/*
 * http.c - reading a FastCGI request and writing its JSON answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "jsonio.h"
#include "log.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode in[0..n) into out; -1 when malformed or too long. */
static int
http_decode(const char *in, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (o + 1 >= outsz)
			return -1;
		if (in[i] == '+')
			out[o++] = ' ';
		else if (in[i] != '%')
			out[o++] = in[i];
		else {
			/* Both hex digits present; NUL never decodes. */
			if (i + 2 >= n ||
			    (hi = hexval((unsigned char)in[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)in[i + 2])) < 0 ||
			    (hi == 0 && lo == 0))
				return -1;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		}
	}
	out[o] = '\0';
	return 0;
}

int
http_query(const struct request *r, const char *name, char *out, size_t outsz)
{
	const char *p = r->query, *amp, *eq;
	size_t nlen = strlen(name);

	while (p != NULL && *p != '\0') {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && (size_t)(eq - p) == nlen &&
		    strncmp(p, name, nlen) == 0)
			return http_decode(eq + 1, (size_t)(amp - eq - 1), out,
			    outsz) == -1 ? -1 : 1;
		p = *amp ? amp + 1 : amp;
	}
	return 0;
}

int
http_query_long(const struct request *r, const char *name, long def,
    long min, long max, long *out, struct api_error *err)
{
	char buf[24], *end;
	long v;
	int found;

	*out = def;
	if ((found = http_query(r, name, buf, sizeof(buf))) == 0)
		return 0;
	if (found == -1 || buf[0] < '0' || buf[0] > '9')
		return api_fail(err, API_VALIDATION,
		    "%s must be an integer from %ld to %ld", name, min, max);
	v = strtol(buf, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return api_fail(err, API_VALIDATION,
		    "%s must be an integer from %ld to %ld", name, min, max);
	*out = v;
	return 0;
}

int
http_read_body(struct request *r, size_t max, char **bufp, size_t *lenp,
    struct api_error *err)
{
	size_t len, got = 0;
	char *buf;
	int n;

	*bufp = NULL;
	*lenp = 0;
	if (r->content_length < 0)
		return api_fail(err, API_BAD_REQUEST, "Content-Length required");
	if ((unsigned long long)r->content_length > max)
		return api_fail(err, API_TOO_LARGE,
		    "body larger than %zu bytes", max);
	len = (size_t)r->content_length;
	if ((buf = malloc(len + 1)) == NULL)
		return api_fail(err, API_INTERNAL, "out of memory");
	while (got < len) {
		n = http_read(r, buf + got, (int)(len - got));
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != len) {
		free(buf);
		return api_fail(err, API_BAD_REQUEST, "body shorter than "
		    "its Content-Length");
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

void
http_page(struct response *resp, json_object *data, long pg, long limit,
    long long total)
{
	json_object *page;

	http_data(resp, 200, data);
	if (resp->body == NULL)
		return;
	page = json_object_new_object();
	json_object_object_add(page, "page", json_object_new_int64(pg));
	json_object_object_add(page, "limit", json_object_new_int64(limit));
	json_object_object_add(page, "total", json_object_new_int64(total));
	json_object_object_add(page, "hasMore",
	    json_object_new_boolean((long long)pg * limit < total));
	json_object_object_add(resp->body, "pagination", page);
}

void
http_data(struct response *resp, int status, json_object *data)
{
	resp->status = status;
	resp->body = json_object_new_object();
	if (resp->body != NULL)
		json_object_object_add(resp->body, "data", data);
	else
		json_object_put(data);
}

const char *
http_param(const struct request *r, const char *name)
{
	return FCGX_GetParam(name, r->envp);
}

int
http_read(struct request *r, char *buf, int n)
{
	size_t got;

	if (r->fcgi != NULL)
		return FCGX_GetStr(buf, n, r->fcgi->in);
	got = fread(buf, 1, (size_t)n, stdin);
	return got > 0 || !ferror(stdin) ? (int)got : -1;
}

static void
http_out(struct request *r, const char *buf, size_t len)
{
	if (r->fcgi != NULL)
		FCGX_PutStr(buf, (int)len, r->fcgi->out);
	else
		(void)fwrite(buf, 1, len, stdout);
}

static void
http_write_as(struct request *r, int status, const char *headers,
    const char *type, const char *text, size_t len)
{
	char head[512];
	int n;

	n = snprintf(head, sizeof(head), "Status: %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "%s\r\n", status, api_status_text(status), type,
	    headers != NULL ? headers : "");
	/* The extra headers are ours and short; never send half of them. */
	if (n < 0 || (size_t)n >= sizeof(head)) {
		n = snprintf(head, sizeof(head), "Status: 500 %s\r\n"
		    "Content-Type: application/json; charset=utf-8\r\n\r\n",
		    api_status_text(500));
		text = "{}";
		len = 2;
	}
	http_out(r, head, (size_t)n);
	http_out(r, text, len);
}

static void
http_write(struct request *r, int status, const char *headers,
    json_object *body)
{
	const char *text = "{}";
	size_t len = 2;

	if (body != NULL && (text = jsonio_text(body, &len)) == NULL) {
		text = "{}";
		len = 2;
	}
	http_write_as(r, status, headers, "application/json; charset=utf-8",
	    text, len);
}

void
http_text(struct response *resp, const char *type, char *text, size_t len)
{
	resp->status = 200;
	resp->text = text;
	resp->text_len = len;
	resp->text_type = type;
}

void
http_reply(struct request *r, struct response *resp)
{
	if (resp->text != NULL)
		http_write_as(r, resp->status, resp->headers, resp->text_type,
		    resp->text, resp->text_len);
	else
		http_write(r, resp->status, resp->headers, resp->body);
}

void
http_reply_error(struct request *r, const struct api_error *err,
    const char *headers)
{
	json_object *o;
	int status = api_status(err->code);

	if ((o = json_object_new_object()) != NULL)
		json_object_object_add(o, "error", api_error_object(err));
	if (status >= 500)
		log_warnx("%s %s: %d %s", r->method, r->path, status,
		    err->message);
	http_write(r, status, headers, o);
	json_object_put(o);
}
