/*
 * rooms.c - conversation rooms, personal rooms, and fan-out.
 *
 * A conversation room holds the sessions that joined it; a user's personal
 * room is the list of that user's sessions.  A fan-out collects sessions
 * from any number of rooms (each once, by a stamp) and sends them one
 * packet, serialised once.
 *
 * In a cluster (cluster.h) a fan-out also remembers the rooms it named, as
 * targets, and fan_emit() passes the frame it sent here on to the other
 * nodes with them, once; a node that hears it finds its own sessions of
 * those targets (fan_replay) and sends them the very same bytes.  Not
 * passed on: a fan-out marked local (fan_local: what every node works out
 * for itself, such as the queue) and the broadcasts of a notification
 * heard from the cluster (dbq_heard: every node hears it and tells its own
 * sockets).
 */
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "codec.h"
#include "log.h"
#include "pushd.h"

struct room {
	struct hmap_node	 node;
	struct session		**m;
	unsigned		 n, cap;
};

struct user_ent {
	struct hmap_node	 node;
	struct session		*head;
	unsigned		 n;
	lws_usec_t		 rate_tat;	/* limits.c, over all sessions */
};

static struct session	**fan;
static unsigned		  nfan, capfan;
/* The rooms the fan-out named, for the other nodes (cluster only). */
static struct fan_target *fan_tg;
static size_t		  nfan_tg, capfan_tg;
static int		  fan_nopub;	/* this fan-out stays on this node */

int
rooms_init(void)
{
	if (hmap_init(&pd.sessions) == -1 || hmap_init(&pd.users) == -1 ||
	    hmap_init(&pd.rooms) == -1)
		return -1;
	return 0;
}

static struct user_ent *
user_get(uint64_t uid)
{
	struct hmap_node *n = hmap_get(&pd.users, uid);

	return n != NULL ? HMAP_ENTRY(n, struct user_ent, node) : NULL;
}

void
rooms_user_add(struct session *s)
{
	struct user_ent *u = user_get((uint64_t)s->user.id);

	if (u == NULL) {
		if ((u = calloc(1, sizeof(*u))) == NULL) {
			eio_close(s, "out of memory");
			return;
		}
		u->node.key = (uint64_t)s->user.id;
		hmap_put(&pd.users, &u->node);
	}
	s->uprev = NULL;
	s->unext = u->head;
	if (u->head != NULL)
		u->head->uprev = s;
	u->head = s;
	u->n++;
}

int
rooms_user_del(struct session *s)
{
	struct user_ent *u = user_get((uint64_t)s->user.id);

	if (u == NULL)
		return 0;
	if (s->uprev != NULL)
		s->uprev->unext = s->unext;
	else if (u->head == s)
		u->head = s->unext;
	else
		return 0;	/* not linked */
	if (s->unext != NULL)
		s->unext->uprev = s->uprev;
	s->unext = s->uprev = NULL;
	if (--u->n > 0)
		return 0;
	hmap_del(&pd.users, &u->node);
	free(u);
	return 1;
}

int
rooms_user_online(uint64_t uid)
{
	return user_get(uid) != NULL;
}

unsigned
rooms_user_count(uint64_t uid)
{
	struct user_ent *u = user_get(uid);

	return u != NULL ? u->n : 0;
}

struct session *
rooms_user_sessions(uint64_t uid)
{
	struct user_ent *u = user_get(uid);

	return u != NULL ? u->head : NULL;
}

lws_usec_t *
rooms_user_rate(uint64_t uid)
{
	struct user_ent *u = user_get(uid);

	return u != NULL ? &u->rate_tat : NULL;
}

static struct room *
room_get(uint64_t conv)
{
	struct hmap_node *n = hmap_get(&pd.rooms, conv);

	return n != NULL ? HMAP_ENTRY(n, struct room, node) : NULL;
}

/* --- a session's conversations ------------------------------------------ */

static struct sess_conv *
conv_find(const struct session *s, uint64_t conv)
{
	unsigned i;

	for (i = 0; i < s->nconvs; i++)
		if (s->convs[i].id == conv)
			return &s->convs[i];
	return NULL;
}

int
rooms_has(const struct session *s, uint64_t conv)
{
	const struct sess_conv *c = conv_find(s, conv);

	return c != NULL && c->joined;
}

int
rooms_known(const struct session *s, uint64_t conv)
{
	const struct sess_conv *c = conv_find(s, conv);

	return c != NULL && c->acts;
}

/*
 * An entry for conv, not joined.  The list is allocated on the first one
 * (a socket that joins nothing costs nothing) and holds at most
 * pushd.max_rooms_per_socket; when full, an entry that is only known gives
 * up its place.  NULL with *full set, or NULL out of memory.
 */
static struct sess_conv *
conv_add(struct session *s, uint64_t conv, int *full)
{
	unsigned i, cap, max = (unsigned)pd.cfg.pushd_max_rooms_per_socket;
	struct sess_conv *c;

	*full = 0;
	/* The team's room is no conversation: it does not count. */
	if (s->user.role != CHAT_ROLE_USER)
		max++;
	if (s->nconvs >= max && conv != ROOMS_AGENTS) {
		for (i = 0; i < s->nconvs; i++)
			if (!s->convs[i].joined) {
				s->convs[i].id = conv;
				s->convs[i].acts = 0;
				return &s->convs[i];
			}
		*full = 1;
		return NULL;
	}
	if (s->nconvs == s->capconvs) {
		cap = s->capconvs ? s->capconvs * 2 : 4;
		if (cap > max)
			cap = max;
		if ((c = reallocarray(s->convs, cap, sizeof(*c))) == NULL)
			return NULL;
		s->convs = c;
		s->capconvs = cap;
	}
	c = &s->convs[s->nconvs++];
	c->id = conv;
	c->joined = 0;
	c->acts = 0;
	return c;
}

void
rooms_remember(struct session *s, uint64_t conv)
{
	struct sess_conv *c;
	int full;

	if ((c = conv_find(s, conv)) != NULL ||
	    (c = conv_add(s, conv, &full)) != NULL)
		c->acts = 1;
}

static struct room *
room_enter(uint64_t conv, struct session *s)
{
	struct room *r;
	struct session **m;

	if ((r = room_get(conv)) == NULL) {
		if ((r = calloc(1, sizeof(*r))) == NULL)
			return NULL;
		r->node.key = conv;
		hmap_put(&pd.rooms, &r->node);
	}
	if (r->n == r->cap) {
		if ((m = reallocarray(r->m, r->cap ? r->cap * 2 : 4,
		    sizeof(*m))) == NULL) {
			if (r->n == 0) {
				hmap_del(&pd.rooms, &r->node);
				free(r);
			}
			return NULL;
		}
		r->m = m;
		r->cap = r->cap ? r->cap * 2 : 4;
	}
	r->m[r->n++] = s;
	return r;
}

static void
room_exit(uint64_t conv, struct session *s)
{
	struct room *r;
	unsigned i;

	if ((r = room_get(conv)) == NULL)
		return;
	for (i = 0; i < r->n; i++)
		if (r->m[i] == s) {
			r->m[i] = r->m[--r->n];
			break;
		}
	if (r->n == 0) {
		hmap_del(&pd.rooms, &r->node);
		free(r->m);
		free(r);
	}
}

int
rooms_join(struct session *s, uint64_t conv)
{
	struct sess_conv *c;
	int full;

	if ((c = conv_find(s, conv)) == NULL &&
	    (c = conv_add(s, conv, &full)) == NULL)
		return full ? ROOMS_FULL : -1;
	if (c->joined)
		return 0;
	if (room_enter(conv, s) == NULL)
		return -1;
	c->joined = 1;
	return 0;
}

void
rooms_leave(struct session *s, uint64_t conv)
{
	struct sess_conv *c = conv_find(s, conv);

	if (c == NULL || !c->joined)
		return;
	c->joined = 0;
	room_exit(conv, s);
}

void
rooms_forget(struct session *s, uint64_t conv)
{
	struct sess_conv *c = conv_find(s, conv);

	if (c == NULL)
		return;
	if (c->joined)
		room_exit(conv, s);
	*c = s->convs[--s->nconvs];
}

void
rooms_leave_all(struct session *s)
{
	unsigned i;

	for (i = 0; i < s->nconvs; i++)
		if (s->convs[i].joined)
			room_exit(s->convs[i].id, s);
	free(s->convs);
	s->convs = NULL;
	s->nconvs = s->capconvs = 0;
}

/* --- fan-out ------------------------------------------------------------- */

void
fan_begin(void)
{
	nfan = 0;
	nfan_tg = 0;
	fan_nopub = 0;
	pd.stamp++;
}

void
fan_local(void)
{
	fan_nopub = 1;
}

/* Remember a target for the other nodes (before looking for it here). */
static void
fan_target(enum fan_kind kind, uint64_t id, uint64_t except)
{
	struct fan_target *t;
	size_t cap;

	if (fan_nopub || !cluster_enabled())
		return;
	if (nfan_tg == capfan_tg) {
		cap = capfan_tg ? capfan_tg * 2 : 16;
		if ((t = reallocarray(fan_tg, cap, sizeof(*t))) == NULL) {
			log_warnx("fan-out out of memory: not passed on");
			fan_nopub = 1;
			return;
		}
		fan_tg = t;
		capfan_tg = cap;
	}
	fan_tg[nfan_tg].kind = kind;
	fan_tg[nfan_tg].id = id;
	fan_tg[nfan_tg].except = except;
	nfan_tg++;
}

static void
fan_add(struct session *s)
{
	struct session **f;

	if (s->stamp == pd.stamp || s->state != SESS_CONNECTED)
		return;
	if (nfan == capfan) {
		if ((f = reallocarray(fan, capfan ? capfan * 2 : 64,
		    sizeof(*f))) == NULL) {
			log_warnx("fan-out out of memory");
			return;
		}
		fan = f;
		capfan = capfan ? capfan * 2 : 64;
	}
	s->stamp = pd.stamp;
	fan[nfan++] = s;
}

void
fan_room(uint64_t conv, uint64_t except_uid)
{
	struct room *r = room_get(conv);
	unsigned i;

	fan_target(FAN_ROOM, conv, except_uid);
	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		if (except_uid == 0 || (uint64_t)r->m[i]->user.id != except_uid)
			fan_add(r->m[i]);
}

/* The members of conv's room that keep says may hear it. */
static void
fan_room_where(uint64_t conv, int (*keep)(const struct session *))
{
	struct room *r = room_get(conv);
	unsigned i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		if (keep(r->m[i]))
			fan_add(r->m[i]);
}

static int
is_staff(const struct session *s)
{
	return s->user.role != CHAT_ROLE_USER;
}

static int
hears_activity(const struct session *s)
{
	return is_staff(s) || s->activity;
}

void
fan_room_activity(uint64_t conv)
{
	fan_target(FAN_ROOM_ACTIVITY, conv, 0);
	fan_room_where(conv, hears_activity);
}

void
fan_room_staff(uint64_t conv)
{
	fan_target(FAN_ROOM_STAFF, conv, 0);
	fan_room_where(conv, is_staff);
}

void
fan_user(uint64_t uid)
{
	struct user_ent *u = user_get(uid);
	struct session *s;

	fan_target(FAN_USER, uid, 0);
	if (u == NULL)
		return;
	for (s = u->head; s != NULL; s = s->unext)
		fan_add(s);
}

/* m to every session collected; eio_send never closes inline. */
static void
fan_send(const char *event, struct pmsg *m)
{
	unsigned i;

	metrics_event_out(event, nfan);
	for (i = 0; i < nfan; i++)
		eio_send(fan[i], m);
}

void
fan_emit(const char *event, json_object *arg)
{
	struct pmsg *m;
	size_t len = 0;
	char *text;
	int publish = nfan_tg > 0 && !fan_nopub && !dbq_heard(pd.dbq);

	if (nfan == 0 && !publish)
		return;
	text = sio_encode_event(event, arg, &len);
	if ((m = pmsg_take(text, len)) == NULL) {
		log_warnx("%s: out of memory", event);
		return;
	}
	if (nfan > 0)
		fan_send(event, m);
	/* The same bytes, once, for the sockets of the other nodes. */
	if (publish)
		cluster_publish(event, fan_tg, nfan_tg,
		    (const char *)PMSG_TEXT(m), m->len);
	pmsg_unref(m);
}

void
fan_replay(const struct envelope *e)
{
	char event[ENVELOPE_EVENT_MAX + 1];
	struct fan_target t;
	struct pmsg *m;
	size_t i;

	fan_begin();
	fan_nopub = 1;		/* heard: never passed on again */
	for (i = 0; i < e->ntargets; i++) {
		if (envelope_target(e, i, &t) == -1)
			continue;
		switch (t.kind) {
		case FAN_USER:
			fan_user(t.id);
			break;
		case FAN_ROOM:
			fan_room(t.id, t.except);
			break;
		case FAN_ROOM_STAFF:
			fan_room_staff(t.id);
			break;
		case FAN_ROOM_ACTIVITY:
			fan_room_activity(t.id);
			break;
		}
	}
	if (nfan == 0)
		return;
	memcpy(event, e->event, e->event_len);
	event[e->event_len] = '\0';
	if ((m = pmsg_new(e->frame, e->frame_len)) == NULL) {
		log_warnx("%s: out of memory", event);
		return;
	}
	fan_send(event, m);
	pmsg_unref(m);
}

void
emit_user(uint64_t uid, const char *event, json_object *arg)
{
	fan_begin();
	fan_user(uid);
	fan_emit(event, arg);
}

void
emit_room(uint64_t conv, uint64_t except_uid, const char *event,
    json_object *arg)
{
	fan_begin();
	fan_room(conv, except_uid);
	fan_emit(event, arg);
}
