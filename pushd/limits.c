/*
 * limits.c - what one socket and one account may ask of pushd: events per
 * second with a burst allowance, and sockets per account.
 *
 * Rates are a generic cell rate algorithm: one timestamp per bucket (the
 * theoretical arrival time of the next event), no refill timers, so an idle
 * socket costs nothing.  A socket that keeps going after its error acks is
 * disconnected: a client that ignores "slow down" is broken or hostile.
 */
#include "log.h"
#include "pushd.h"

/*
 * The bucket's next arrival time if one more event at now is allowed, or
 * -1.  burst events may arrive at once, then one per 1/rate seconds.
 */
static lws_usec_t
gcra(lws_usec_t tat, long rate, long burst, lws_usec_t now)
{
	lws_usec_t step, t;

	if (rate <= 0)
		return 0;
	step = LWS_US_PER_SEC / rate;
	t = tat > now ? tat : now;
	if (t - now > step * (lws_usec_t)(burst - 1))
		return -1;
	return t + step;
}

int
limits_event(struct session *s, const char *event, long long ack)
{
	const struct config *c = &pd.cfg;
	lws_usec_t now = lws_now_usecs(), ts, tu = 0, *utat;
	struct api_error err;

	utat = rooms_user_rate((uint64_t)s->user.id);
	ts = gcra(s->rate_tat, c->pushd_event_rate, c->pushd_event_burst,
	    now);
	if (ts != -1 && utat != NULL)
		tu = gcra(*utat, c->pushd_user_event_rate,
		    c->pushd_user_event_burst, now);
	if (ts != -1 && tu != -1) {
		/* Both buckets pay only when both allow. */
		s->rate_tat = ts;
		if (utat != NULL)
			*utat = tu;
		s->strikes = 0;
		return 0;
	}
	api_fail(&err, API_TOO_MANY, "too many events: slow down");
	sio_fail(s, ack, event, &err);
	if (++s->strikes >= (unsigned)c->pushd_rate_strikes) {
		log_info("session %s of user %lld: %u events refused in a row,"
		    " disconnected", s->sid, s->user.id, s->strikes);
		sio_kick(s, "rate limit");
	}
	return -1;
}

int
limits_connect(struct session *s, struct api_error *err)
{
	long cap = pd.cfg.pushd_max_sockets_per_user;

	if (cap > 0 && rooms_user_count((uint64_t)s->user.id) >= (unsigned)cap)
		return api_fail(err, API_TOO_MANY,
		    "too many connections for this account (at most %ld)",
		    cap);
	return 0;
}
