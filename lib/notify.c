/*
 * notify.c - datagrams to pushd, or notifications to a cluster's nodes
 * through Redis (notify.h).
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "jsonio.h"
#include "log.h"
#include "notify.h"

/* The last send that timed out, within one request (notify_reset). */
static time_t stuck_at;

void
notify_reset(void)
{
	stuck_at = 0;
}

int
notify_pushd(const struct config *cfg, json_object *event)
{
	struct sockaddr_un sun;
	const struct timeval wait = { 0, NOTIFY_WAIT_MS * 1000 };
	const char *text;
	time_t now;
	size_t len;
	int fd, rc = -1;

	text = jsonio_text(event, &len);
	if (text == NULL || len > NOTIFY_MAX)
		return -1;
	/* Heard by a node: done.  Heard by none (or no Redis): the datagram. */
	if (bus_enabled(cfg) && bus_publish_notify(cfg, text, len) > 0)
		return 0;
	if (cfg->pushd_socket[0] == '\0')
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s",
	    cfg->pushd_socket) >= sizeof(sun.sun_path)) {
		log_warnx("pushd socket path too long");
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("socket");
		return -1;
	}
	/*
	 * The kernel queues only a few datagrams per socket; when pushd's
	 * queue is full the send waits for room, NOTIFY_WAIT_MS at most (a
	 * pushd that is down refuses at once).  After a wait that timed out
	 * (pushd stuck), the request's next sends do not wait (for
	 * NOTIFY_STUCK_S at most): its many datagrams cost one wait, not one
	 * each.
	 */
	now = time(NULL);
	if (now - stuck_at >= NOTIFY_STUCK_S &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof(wait)) == -1)
		log_warn("setsockopt");
	if (sendto(fd, text, len, now - stuck_at < NOTIFY_STUCK_S ?
	    MSG_DONTWAIT : 0, (struct sockaddr *)&sun, sizeof(sun)) ==
	    (ssize_t)len)
		rc = 0;
	else {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			stuck_at = now;
		log_debug("pushd not told (%s)", strerror(errno));
	}
	close(fd);
	return rc;
}

/* A new event {"type": type}; NULL if out of memory. */
static json_object *
notify_new(const char *type)
{
	json_object *ev;

	if ((ev = json_object_new_object()) != NULL)
		json_object_object_add(ev, "type",
		    json_object_new_string(type));
	return ev;
}

/* Send ev and let go of it. */
static int
notify_send(const struct config *cfg, json_object *ev)
{
	int rc = notify_pushd(cfg, ev);

	json_object_put(ev);
	return rc;
}

/* {"type": type, "conversationId": ..., ["messageId": ...]} */
static int
notify_row(const struct config *cfg, const char *type, long long message_id,
    long long conversation_id)
{
	json_object *ev;

	if ((ev = notify_new(type)) == NULL)
		return -1;
	if (message_id > 0)
		json_object_object_add(ev, "messageId",
		    jsonio_id_new(message_id));
	json_object_object_add(ev, "conversationId",
	    jsonio_id_new(conversation_id));
	return notify_send(cfg, ev);
}

int
notify_message(const struct config *cfg, long long message_id,
    long long conversation_id)
{
	return notify_row(cfg, "message", message_id, conversation_id);
}

int
notify_conversation(const struct config *cfg, long long conversation_id)
{
	return notify_row(cfg, "conversation", 0, conversation_id);
}

int
notify_updated(const struct config *cfg, long long conversation_id,
    long long previous, long long activity)
{
	json_object *ev;

	if ((ev = notify_new("updated")) == NULL)
		return -1;
	json_object_object_add(ev, "conversationId",
	    jsonio_id_new(conversation_id));
	if (previous > 0)
		json_object_object_add(ev, "previousSupportId",
		    jsonio_id_new(previous));
	if (activity > 0)
		json_object_object_add(ev, "activityId",
		    jsonio_id_new(activity));
	return notify_send(cfg, ev);
}

int
notify_availability(const struct config *cfg, long long uid,
    const char *availability)
{
	json_object *ev;

	if ((ev = notify_new("availability")) == NULL)
		return -1;
	json_object_object_add(ev, "userId", jsonio_id_new(uid));
	json_object_object_add(ev, "availability",
	    json_object_new_string(availability));
	return notify_send(cfg, ev);
}

int
notify_read(const struct config *cfg, long long conversation_id,
    long long reader, const char *read_at_sql)
{
	json_object *ev;

	if ((ev = notify_new("read")) == NULL)
		return -1;
	json_object_object_add(ev, "conversationId",
	    jsonio_id_new(conversation_id));
	json_object_object_add(ev, "readBy", jsonio_id_new(reader));
	json_object_object_add(ev, "readAt",
	    json_object_new_string(read_at_sql));
	return notify_send(cfg, ev);
}

int
notify_logout(const struct config *cfg, long long uid, const char *jti)
{
	json_object *ev;

	if ((ev = notify_new("logout")) == NULL)
		return -1;
	json_object_object_add(ev, "userId", jsonio_id_new(uid));
	json_object_object_add(ev, "jti", json_object_new_string(jti));
	return notify_send(cfg, ev);
}

int
notify_revoke_user(const struct config *cfg, long long uid,
    long long before_ms)
{
	json_object *ev;

	if ((ev = notify_new("revoke")) == NULL)
		return -1;
	json_object_object_add(ev, "userId", jsonio_id_new(uid));
	json_object_object_add(ev, "before",
	    json_object_new_int64((int64_t)before_ms));
	return notify_send(cfg, ev);
}

int
notify_probe(const struct config *cfg)
{
	struct sockaddr_un sun;
	int fd, rc;

	if (cfg->pushd_socket[0] == '\0')
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s",
	    cfg->pushd_socket) >= sizeof(sun.sun_path))
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	/* A datagram socket connects only if pushd has bound the name. */
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 ? 0 : -1;
	close(fd);
	return rc;
}
