/*
 * notify.h - tell pushd about rows the FastCGI programs wrote.
 *
 * One JSON object per datagram on the UNIX socket pushd.socket, e.g.
 * {"type":"message","messageId":"42","conversationId":"7"}.  Sending never
 * fails the request and waits at most NOTIFY_WAIT_MS (pushd's queue full):
 * if pushd is down or stuck the event is dropped, and clients catch up
 * through conversation:join's lastMessageId.
 *
 * With pushd.cluster set the same JSON is PUBLISHed to the cluster's Redis
 * instead (bus.h), where every pushd node hears it and tells its own
 * sockets; the datagram is the fallback when no node heard it (Redis away:
 * the pushd on this host, if any, still tells its own).  Either one or the
 * other, never both: no node hears a notification twice.
 */
#ifndef CHAT_NOTIFY_H
#define CHAT_NOTIFY_H

#include <json-c/json.h>

#include "config.h"

#define NOTIFY_MAX	4096	/* the largest datagram pushd accepts */
#define NOTIFY_WAIT_MS	200	/* a send waits this long for a full queue */
#define NOTIFY_STUCK_S	10	/* and not at all this long after one timed out */

/* A new request begins: nothing of the last one's sends is remembered. */
void	notify_reset(void);
/* 0 if the datagram was handed to the kernel, -1 otherwise (not an error). */
int	notify_pushd(const struct config *cfg, json_object *event);
/* 0 if pushd is listening on pushd.socket now (health), else -1. */
int	notify_probe(const struct config *cfg);
/* The usual event: a message was stored. */
int	notify_message(const struct config *cfg, long long message_id,
	    long long conversation_id);
/* A conversation was started (or assigned): its agent hears of it. */
int	notify_conversation(const struct config *cfg, long long conversation_id);
/*
 * A conversation's status or assignment changed: its parties hear it, and
 * its activity entry (0: none); previous (0: nobody, or nobody else) had
 * it until now.
 */
int	notify_updated(const struct config *cfg, long long conversation_id,
	    long long previous, long long activity);
/* Agent uid is now available / busy / offline: every agent hears it. */
int	notify_availability(const struct config *cfg, long long uid,
	    const char *availability);
/* Messages were marked read at read_at_sql by reader. */
int	notify_read(const struct config *cfg, long long conversation_id,
	    long long reader, const char *read_at_sql);
/* A token was revoked: pushd disconnects the sockets opened with it. */
int	notify_logout(const struct config *cfg, long long uid, const char *jti);
/* Every token of uid issued before before_ms was revoked. */
int	notify_revoke_user(const struct config *cfg, long long uid,
	    long long before_ms);

#endif
