/*
 * http.h - one request: what came in, what goes out.
 *
 * A struct request lives for one FCGX_Accept_r iteration and is zeroed at
 * the start of the next, so nothing leaks from one request into another.
 * Started as a plain CGI program (no FastCGI listener on fd 0), api.fcgi
 * serves one request from the environment, stdin and stdout instead: the
 * same pipeline, the same answers (fcgi NULL, envp the environment).
 */
#ifndef CHAT_HTTP_H
#define CHAT_HTTP_H

#include <fcgiapp.h>
#include <json-c/json.h>

#include "apierr.h"
#include "chat.h"
#include "config.h"
#include "db.h"
#include "token.h"

#define HTTP_PATH_MAX	512

struct request {
	FCGX_Request		*fcgi;		/* NULL: plain CGI */
	char			**envp;		/* its parameters */
	const struct config	*cfg;
	struct db		*db;
	const char		*method;
	char			 path[HTTP_PATH_MAX];	/* without the query */
	const char		*query;			/* may be "" */
	const char		*content_type;		/* may be NULL */
	long long		 content_length;	/* -1 when absent */
	const char		*remote_addr;
	long long		 id;		/* the :id of the route, if any */
	long long		 id2;		/* a second :id (.../labels/:id) */
	struct chat_user	 user;		/* set by auth_require */
	struct token_claims	 claims;
	json_object		*body;		/* JSON routes: the parsed body */
};

struct response {
	int		 status;
	json_object	*body;		/* owned: put after sending */
	char		 headers[256];	/* extra "Name: value\r\n" lines */
	/* Instead of body, a file (a CSV): owned, freed after sending. */
	char		*text;
	size_t		 text_len;
	const char	*text_type;	/* its Content-Type, a literal */
};

/* A CGI parameter (REQUEST_METHOD, HTTP_AUTHORIZATION, ...), or NULL. */
const char *http_param(const struct request *r, const char *name);
/* Up to n bytes of the body into buf: how many (0 at its end, -1 error). */
int	http_read(struct request *r, char *buf, int n);

/* The value of query parameter name, decoded, into out: 1, 0 absent, -1 bad. */
int	http_query(const struct request *r, const char *name, char *out,
	    size_t outsz);
/* An integer parameter in [min, max], def when absent; -1 with err if bad. */
int	http_query_long(const struct request *r, const char *name, long def,
	    long min, long max, long *out, struct api_error *err);
/* Read the whole body (at most max bytes) into a malloc'd buffer. */
int	http_read_body(struct request *r, size_t max, char **buf, size_t *len,
	    struct api_error *err);
void	http_reply(struct request *r, struct response *resp);
void	http_reply_error(struct request *r, const struct api_error *err,
	    const char *headers);
/* 200 {data, pagination: {page, limit, total, hasMore}}: a page of a list. */
void	http_page(struct response *resp, json_object *data, long pg,
	    long limit, long long total);
/* 200 with a file of type instead of JSON; text is the response's now. */
void	http_text(struct response *resp, const char *type, char *text,
	    size_t len);
/* resp->status = status, resp->body = {"data": data}. */
void	http_data(struct response *resp, int status, json_object *data);

#endif
