/*
 * loadgen.h - what the connection layer (net.c) and the Socket.IO
 * benchmark (loadgen.c) share.
 */
#ifndef LOADGEN_H
#define LOADGEN_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "ws.h"

#define IN_CAP	(1024 * 1024)	/* largest frame or message */
#define OUT_CAP	(1024 * 1024)	/* unsent output, per socket */

/* In order: a state past CS_HTTP means the WebSocket is up. */
enum cstate {
	CS_NEW,		/* not started */
	CS_TCP,		/* connect() in progress */
	CS_HTTP,	/* upgrade request sent, waiting for the 101 */
	CS_EIO,		/* WebSocket up, waiting for Engine.IO OPEN */
	CS_SIO,		/* Socket.IO CONNECT sent, waiting for reply */
	CS_JOIN,	/* conversation:join sent, waiting for its ack */
	CS_READY,	/* connected (and joined, where the mode joins) */
	CS_DEAD		/* closed, for good: nothing reconnects */
};

enum role {
	ROLE_AGENT,	/* a pair's agent: receives message:new */
	ROLE_USER,	/* a pair's user: sends message:send */
	ROLE_MEMBER,	/* a fanout listener */
	ROLE_BCAST	/* the fanout broadcaster */
};

struct buf {
	uint8_t		*p;
	size_t		 off;	/* consumed up to here */
	size_t		 len;	/* filled up to here */
	size_t		 cap;
};

struct conn {
	int		 fd;
	enum cstate	 state;
	enum role	 role;
	uint32_t	 id;		/* index in the connection table */
	uint32_t	 idx;		/* pair or member number */
	const char	*token;
	int64_t		 t_start;	/* when connect() was called */
	uint64_t	 rx_typing;	/* fanout: typing events received */
	struct buf	 in;		/* bytes of an incomplete frame */
	struct buf	 out;		/* unsent frames */
	struct buf	 frag;		/* fragmented message so far */
	int		 frag_op;	/* its opcode; 0: none under way */
	char		 accept[WS_ACCEPT_LEN + 1];
};

struct target {
	struct sockaddr_in dst;
	char		 host[300];	/* Host header: host[:port] */
	char		 path[1200];	/* path and query to GET */
	int		 bind_src;	/* spread over 127.0.0.1..N */
	unsigned	 nsrc;
};

int64_t	now_ns(void);
int	net_init(void);
void	net_fini(void);
void	conn_start(struct conn *, const struct target *, int64_t);
int	conn_send(struct conn *, int, const void *, size_t, const void *,
	    size_t);
void	conn_close(struct conn *, const char *);
void	conn_abandon(struct conn *);
int	net_poll(int64_t);

/* Called by net.c, written in loadgen.c. */
void	lg_on_open(struct conn *);
void	lg_on_text(struct conn *, const char *, size_t);
void	lg_on_close(struct conn *, enum cstate, const char *);

#endif
