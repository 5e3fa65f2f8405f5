/*
 * rooms.c - conversation rooms, personal rooms, and fan-out.
 *
 * A conversation room holds the sessions that joined it; a user's personal
 * room is the list of that user's sessions.  A fan-out collects sessions
 * from any number of rooms (each once, by a stamp) and sends them one
 * packet, serialised once.
 */
#include <stdlib.h>
#include <string.h>

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

int
rooms_has(const struct session *s, uint64_t conv)
{
	unsigned i;

	for (i = 0; i < s->nrooms; i++)
		if (s->rooms[i] == conv)
			return 1;
	return 0;
}

int
rooms_join(struct session *s, uint64_t conv)
{
	struct room *r;
	struct session **m;

	if (rooms_has(s, conv))
		return 0;
	if (s->nrooms >= PUSHD_MAX_ROOMS)
		return -1;
	if ((r = room_get(conv)) == NULL) {
		if ((r = calloc(1, sizeof(*r))) == NULL)
			return -1;
		r->node.key = conv;
		hmap_put(&pd.rooms, &r->node);
	}
	if (r->n == r->cap) {
		if ((m = reallocarray(r->m, r->cap ? r->cap * 2 : 4,
		    sizeof(*m))) == NULL)
			return -1;
		r->m = m;
		r->cap = r->cap ? r->cap * 2 : 4;
	}
	r->m[r->n++] = s;
	s->rooms[s->nrooms++] = conv;
	return 0;
}

void
rooms_leave(struct session *s, uint64_t conv)
{
	struct room *r;
	unsigned i;

	for (i = 0; i < s->nrooms; i++)
		if (s->rooms[i] == conv) {
			s->rooms[i] = s->rooms[--s->nrooms];
			break;
		}
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

void
rooms_leave_all(struct session *s)
{
	while (s->nrooms > 0)
		rooms_leave(s, s->rooms[s->nrooms - 1]);
}

/* --- fan-out ------------------------------------------------------------- */

void
fan_begin(void)
{
	nfan = 0;
	pd.stamp++;
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

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		if (except_uid == 0 || (uint64_t)r->m[i]->user.id != except_uid)
			fan_add(r->m[i]);
}

void
fan_user(uint64_t uid)
{
	struct user_ent *u = user_get(uid);
	struct session *s;

	if (u == NULL)
		return;
	for (s = u->head; s != NULL; s = s->unext)
		fan_add(s);
}

void
fan_emit(const char *event, json_object *arg)
{
	struct pmsg *m;
	unsigned i, n = nfan;
	size_t len = 0;
	char *text;

	if (n == 0)
		return;
	text = sio_encode_event(event, arg, &len);
	if ((m = pmsg_take(text, len)) == NULL) {
		log_warnx("%s: out of memory", event);
		return;
	}
	/* eio_send never closes inline (a slow session is doomed for later). */
	for (i = 0; i < n; i++)
		eio_send(fan[i], m);
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
