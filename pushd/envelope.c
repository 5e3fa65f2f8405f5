/*
 * envelope.c - a broadcast between pushd nodes, in and out (envelope.h).
 */
#include <stdlib.h>
#include <string.h>

#include "envelope.h"

static unsigned char *
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return p + 4;
}

static unsigned char *
put_u64(unsigned char *p, uint64_t v)
{
	p = put_u32(p, (uint32_t)(v >> 32));
	return put_u32(p, (uint32_t)v);
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
get_u64(const unsigned char *p)
{
	return (uint64_t)get_u32(p) << 32 | get_u32(p + 4);
}

static int
kind_valid(unsigned k)
{
	return k >= FAN_USER && k <= FAN_ROOM_ACTIVITY;
}

unsigned char *
envelope_encode(const char *origin, const char *event,
    const struct fan_target *t, size_t nt, const char *frame,
    size_t frame_len, size_t *len)
{
	size_t olen = strlen(origin), elen = strlen(event), i, total;
	unsigned char *buf, *p;

	if (olen == 0 || olen > ENVELOPE_ORIGIN_MAX ||
	    elen > ENVELOPE_EVENT_MAX || nt > ENVELOPE_MAX ||
	    frame_len > ENVELOPE_MAX)
		return NULL;
	total = 4 + 1 + olen + 1 + elen + 4 + nt * ENVELOPE_TARGET_LEN + 4 +
	    frame_len;
	if (total > ENVELOPE_MAX || (buf = malloc(total)) == NULL)
		return NULL;
	p = buf;
	memcpy(p, ENVELOPE_MAGIC, 4);
	p += 4;
	*p++ = (unsigned char)olen;
	memcpy(p, origin, olen);
	p += olen;
	*p++ = (unsigned char)elen;
	memcpy(p, event, elen);
	p += elen;
	p = put_u32(p, (uint32_t)nt);
	for (i = 0; i < nt; i++) {
		if (!kind_valid(t[i].kind)) {
			free(buf);
			return NULL;
		}
		*p++ = (unsigned char)t[i].kind;
		p = put_u64(p, t[i].id);
		p = put_u64(p, t[i].except);
	}
	p = put_u32(p, (uint32_t)frame_len);
	memcpy(p, frame, frame_len);
	*len = total;
	return buf;
}

/*
 * A reader that never passes its end: each take checks what is left
 * first, so a length field can only shorten what is read, never move the
 * reader outside the buffer.
 */
struct rd {
	const unsigned char	*p;
	size_t			 left;
};

static const unsigned char *
take(struct rd *r, size_t n)
{
	const unsigned char *p = r->p;

	if (n > r->left)
		return NULL;
	r->p += n;
	r->left -= n;
	return p;
}

int
envelope_decode(const void *buf, size_t len, struct envelope *e)
{
	struct rd r = { buf, len };
	const unsigned char *p;
	size_t i;

	memset(e, 0, sizeof(*e));
	if (len > ENVELOPE_MAX || (p = take(&r, 4)) == NULL ||
	    memcmp(p, ENVELOPE_MAGIC, 4) != 0)
		return -1;
	if ((p = take(&r, 1)) == NULL || *p == 0 ||
	    (e->origin = (const char *)take(&r, *p)) == NULL)
		return -1;
	e->origin_len = *p;
	if ((p = take(&r, 1)) == NULL || *p > ENVELOPE_EVENT_MAX ||
	    (e->event = (const char *)take(&r, *p)) == NULL)
		return -1;
	e->event_len = *p;
	if ((p = take(&r, 4)) == NULL)
		return -1;
	e->ntargets = get_u32(p);
	if (e->ntargets > r.left / ENVELOPE_TARGET_LEN ||
	    (e->targets = take(&r, e->ntargets * ENVELOPE_TARGET_LEN)) == NULL)
		return -1;
	for (i = 0; i < e->ntargets; i++)
		if (!kind_valid(e->targets[i * ENVELOPE_TARGET_LEN]))
			return -1;
	if ((p = take(&r, 4)) == NULL)
		return -1;
	e->frame_len = get_u32(p);
	if ((e->frame = (const char *)take(&r, e->frame_len)) == NULL ||
	    r.left != 0)
		return -1;
	return 0;
}

int
envelope_target(const struct envelope *e, size_t i, struct fan_target *t)
{
	const unsigned char *p;

	if (i >= e->ntargets)
		return -1;
	p = e->targets + i * ENVELOPE_TARGET_LEN;
	if (!kind_valid(p[0]))
		return -1;
	t->kind = (enum fan_kind)p[0];
	t->id = get_u64(p + 1);
	t->except = get_u64(p + 9);
	return 0;
}
