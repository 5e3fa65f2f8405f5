/*
 * ev_typing.c - typing:start and typing:stop.
 *
 * Typing lives only in pushd (no database): a socket that joined a
 * conversation may say it is typing there; the other participants in the
 * room hear typing:user-typing once, and typing:user-stopped when it says
 * stop, goes quiet for PUSHD_TYPING_MS, leaves or disconnects.
 */
#include "args.h"
#include "jsonio.h"
#include "pushd.h"

static void
typing_emit(struct session *s, uint64_t conv, int typing)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "conversationId",
	    jsonio_id_new((long long)conv));
	json_object_object_add(o, "userId", jsonio_id_new(s->user.id));
	if (typing)
		json_object_object_add(o, "userName",
		    json_object_new_string(s->user.name));
	json_object_object_add(o, "isTyping", json_object_new_boolean(typing));
	emit_room(conv, (uint64_t)s->user.id,
	    typing ? "typing:user-typing" : "typing:user-stopped", o);
	json_object_put(o);
}

void
typing_clear(struct session *s)
{
	uint64_t conv = s->typing_conv;

	if (conv == 0)
		return;
	s->typing_conv = 0;
	lws_sul_schedule(pd.ctx, 0, &s->sul_typing, NULL,
	    LWS_SET_TIMER_USEC_CANCEL);
	typing_emit(s, conv, 0);
}

static void
typing_quiet(lws_sorted_usec_list_t *sul)
{
	struct session *s = lws_container_of(sul, struct session, sul_typing);

	typing_clear(s);
}

/* The conversation of a typing event, which the socket must have joined. */
static int
typing_conv(struct session *s, json_object *arg, long long ack,
    const char *event, uint64_t *conv)
{
	struct api_error err;

	if (args_conversation(arg, conv, &err) == -1) {
		sio_fail(s, ack, event, &err);
		return -1;
	}
	if (!rooms_has(s, *conv)) {
		api_fail(&err, API_NOT_FOUND, "join the conversation first");
		sio_fail(s, ack, event, &err);
		return -1;
	}
	return 0;
}

void
ev_typing_start(struct session *s, json_object *arg, long long ack)
{
	uint64_t conv;

	if (typing_conv(s, arg, ack, "typing:start", &conv) == -1)
		return;
	if (s->typing_conv != conv) {
		typing_clear(s);
		s->typing_conv = conv;
		typing_emit(s, conv, 1);
	}
	lws_sul_schedule(pd.ctx, 0, &s->sul_typing, typing_quiet,
	    (lws_usec_t)PUSHD_TYPING_MS * LWS_US_PER_MS);
	sio_ack_ok(s, ack);
}

void
ev_typing_stop(struct session *s, json_object *arg, long long ack)
{
	uint64_t conv;

	if (typing_conv(s, arg, ack, "typing:stop", &conv) == -1)
		return;
	if (s->typing_conv == conv)
		typing_clear(s);
	sio_ack_ok(s, ack);
}
