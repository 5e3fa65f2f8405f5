/*
 * envelope.h - one broadcast as the pushd nodes of a cluster pass it on
 * through Redis pub/sub (cluster.c): who made it, whom it is for, and the
 * Socket.IO frame already encoded, so a node that hears it only sends it.
 *
 * Pure functions, bytes in and out, binary-safe (the frame may hold any
 * byte).  The layout, all integers big-endian:
 *
 *	"PDE1"				magic and version
 *	u8 n, n bytes			origin: the node id (1..255 bytes)
 *	u8 n, n bytes			event name, for the metrics (0..64)
 *	u32 n, n * 17 bytes		targets: u8 kind, u64 id, u64 except
 *	u32 n, n bytes			the frame
 *
 * and nothing after it.  A target is what rooms.c's fan_* calls name (a
 * room, a user's sockets), not sessions: each node finds its own.
 */
#ifndef PUSHD_ENVELOPE_H
#define PUSHD_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#define ENVELOPE_MAGIC		"PDE1"
#define ENVELOPE_ORIGIN_MAX	255
#define ENVELOPE_EVENT_MAX	64	/* CODEC_EVENT_MAX */
#define ENVELOPE_TARGET_LEN	17
/*
 * The largest envelope made or taken: a frame of PUSHD_MAX_PAYLOAD and
 * user:offline to 100,000 peers (presence.c) fit with room to spare.
 */
#define ENVELOPE_MAX		(4 * 1024 * 1024)

enum fan_kind {
	FAN_USER = 1,		/* id: the user's sockets */
	FAN_ROOM,		/* id: conversation (or ROOMS_AGENTS), but except */
	FAN_ROOM_STAFF,		/* the support team's sockets in room id */
	FAN_ROOM_ACTIVITY	/* the sockets in room id that hear activity */
};

struct fan_target {
	enum fan_kind	 kind;
	uint64_t	 id;
	uint64_t	 except;	/* FAN_ROOM: a user left out, 0: none */
};

/* A decoded envelope: pointers into the buffer it was decoded from. */
struct envelope {
	const char		*origin;
	size_t			 origin_len;
	const char		*event;
	size_t			 event_len;
	const unsigned char	*targets;	/* ntargets * ENVELOPE_TARGET_LEN */
	size_t			 ntargets;
	const char		*frame;
	size_t			 frame_len;
};

/*
 * A new envelope (malloc'd, the caller's to free) of *len bytes; NULL if
 * out of memory or if it would pass a limit above.
 */
unsigned char	*envelope_encode(const char *origin, const char *event,
		    const struct fan_target *t, size_t nt, const char *frame,
		    size_t frame_len, size_t *len);
/* 0, or -1 if buf is not one whole envelope within the limits. */
int		 envelope_decode(const void *buf, size_t len,
		    struct envelope *e);
/* Target i (< e->ntargets); -1 if its kind is none of fan_kind. */
int		 envelope_target(const struct envelope *e, size_t i,
		    struct fan_target *t);

#endif
