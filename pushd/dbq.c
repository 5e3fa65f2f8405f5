/*
 * dbq.c - the database thread and its two queues.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "dbq.h"
#include "jsonio.h"
#include "log.h"
#include "notify.h"

struct jobq {
	struct dbq_job	*head, *tail;
};

/*
 * Datagrams read but not dealt with yet, oldest first.  A reader thread of
 * their own takes them off the socket at once (the kernel keeps only a few
 * per socket, net.unix.max_dgram_qlen, and a sender does not wait), the
 * worker deals with them between jobs; while the database is away they
 * wait here and are tried again every DBQ_RETRY_MS, at most DBQ_INBOX_MAX
 * of them (then a new one is dropped, with a warning).  The reader only
 * appends and the worker only removes the head, both under mu.
 */
#define DBQ_INBOX_MAX	4096
#define DBQ_RETRY_MS	500
struct inbox {
	json_object	*item[DBQ_INBOX_MAX];
	unsigned char	 heard[DBQ_INBOX_MAX];	/* from the cluster */
	unsigned	 head, n;
};

struct dbq {
	const struct config	*cfg;
	struct lws_context	*ctx;
	dbq_datagram_fn		*on_datagram;
	int			 notify_fd;	/* -1 if none */
	int			 wake[2];	/* loop -> worker */
	int			 halt[2];	/* dbq_stop -> reader */
	pthread_t		 thread, reader;
	int			 has_reader;
	pthread_mutex_t		 mu;
	struct jobq		 todo;		/* loop -> worker */
	struct jobq		 done;		/* worker -> loop */
	struct inbox		 inbox;		/* reader -> worker */
	int			 stopping;
	/* The loop's own figures (submitted and drained there): no lock. */
	unsigned		 in_flight;
	unsigned long long	 buckets[DBQ_NBUCKETS + 1];
	double			 seconds;
	int			 in_heard;	/* a heard job's done() runs */
};

const double dbq_bucket_le[DBQ_NBUCKETS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5
};

static double
dbq_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* On the loop: one job answered, submitted at t (0: from a datagram). */
static void
dbq_observe(struct dbq *q, double t)
{
	double d;
	unsigned i;

	if (t == 0)
		return;
	if (q->in_flight > 0)
		q->in_flight--;
	d = dbq_now() - t;
	q->seconds += d;
	for (i = 0; i < DBQ_NBUCKETS && d > dbq_bucket_le[i]; i++)
		;
	q->buckets[i]++;
}

void
dbq_stats(struct dbq *q, struct dbq_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (q == NULL)
		return;
	out->jobs = q->in_flight;
	memcpy(out->buckets, q->buckets, sizeof(out->buckets));
	out->seconds = q->seconds;
	pthread_mutex_lock(&q->mu);
	out->inbox = q->inbox.n;
	pthread_mutex_unlock(&q->mu);
}

static void dbq_kick(struct dbq *);

static void
jobq_push(struct jobq *q, struct dbq_job *j)
{
	j->next = NULL;
	if (q->tail != NULL)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
}

/* Detach the whole queue. */
static struct dbq_job *
jobq_take(struct jobq *q)
{
	struct dbq_job *j = q->head;

	q->head = q->tail = NULL;
	return j;
}

static void
dbq_finished(struct dbq *q, struct dbq_job *j)
{
	pthread_mutex_lock(&q->mu);
	jobq_push(&q->done, j);
	pthread_mutex_unlock(&q->mu);
	lws_cancel_service(q->ctx);
}

/* Under mu. */
static void
inbox_push(struct inbox *in, json_object *o, int heard)
{
	if (in->n == DBQ_INBOX_MAX) {
		log_warnx("notification backlog full: one is dropped");
		json_object_put(o);
		return;
	}
	in->item[(in->head + in->n) % DBQ_INBOX_MAX] = o;
	in->heard[(in->head + in->n) % DBQ_INBOX_MAX] = (unsigned char)heard;
	in->n++;
}

static void
dbq_read_datagrams(struct dbq *q)
{
	char buf[NOTIFY_MAX + 1];
	struct api_error err;
	json_object *o;
	ssize_t n;

	while ((n = recv(q->notify_fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		if ((size_t)n > NOTIFY_MAX) {
			log_warnx("oversized notification dropped");
			continue;
		}
		if ((o = jsonio_parse_object(buf, (size_t)n, &err)) == NULL) {
			log_warnx("bad notification: %s", err.message);
			continue;
		}
		pthread_mutex_lock(&q->mu);
		inbox_push(&q->inbox, o, 0);
		pthread_mutex_unlock(&q->mu);
		dbq_kick(q);
	}
}

/* The reader thread: datagrams off the socket as soon as they come. */
static void *
dbq_reader(void *arg)
{
	struct dbq *q = arg;
	struct pollfd pfd[2];

	for (;;) {
		pfd[0].fd = q->halt[0];
		pfd[0].events = POLLIN;
		pfd[1].fd = q->notify_fd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno != EINTR)
				log_warn("poll");
			continue;
		}
		if (pfd[0].revents != 0)
			return NULL;
		if (pfd[1].revents & POLLIN)
			dbq_read_datagrams(q);
	}
}

/* The oldest datagram waiting, or NULL; *heard: it is from the cluster. */
static json_object *
inbox_head(struct dbq *q, int *heard)
{
	json_object *o;

	pthread_mutex_lock(&q->mu);
	o = q->inbox.n > 0 ? q->inbox.item[q->inbox.head] : NULL;
	*heard = q->inbox.n > 0 ? q->inbox.heard[q->inbox.head] : 0;
	pthread_mutex_unlock(&q->mu);
	return o;
}

static void
inbox_pop(struct dbq *q)
{
	json_object *o;

	pthread_mutex_lock(&q->mu);
	o = q->inbox.item[q->inbox.head];
	q->inbox.head = (q->inbox.head + 1) % DBQ_INBOX_MAX;
	q->inbox.n--;
	pthread_mutex_unlock(&q->mu);
	json_object_put(o);
}

/*
 * Deal with the waiting datagrams in order; stop at one to retry.  Returns
 * 1 if some wait for the database to come back.
 */
static int
dbq_process_inbox(struct dbq *q, struct db *db)
{
	struct dbq_job *j;
	json_object *o;
	int heard;

	while ((o = inbox_head(q, &heard)) != NULL) {
		j = NULL;
		if (q->on_datagram(db, o, &j) == -1)
			return 1;
		inbox_pop(q);
		if (j != NULL) {
			j->heard = heard;
			dbq_finished(q, j);
		}
	}
	return 0;
}

/*
 * Run j, or j and the jobs after it that share its run_batch; hand them
 * back in order.  Returns the first job not run.
 */
static struct dbq_job *
dbq_run(struct dbq *q, struct db *db, struct dbq_job *j)
{
	struct dbq_job *batch[DBQ_BATCH_MAX], *next;
	unsigned n = 0, i;

	if (j->run_batch == NULL) {
		next = j->next;
		j->run(j, db);
		dbq_finished(q, j);
		return next;
	}
	for (next = j; next != NULL && n < DBQ_BATCH_MAX &&
	    next->run_batch == j->run_batch; next = next->next)
		batch[n++] = next;
	j->run_batch(batch, n, db);
	for (i = 0; i < n; i++)
		dbq_finished(q, batch[i]);
	return next;
}

static void *
dbq_main(void *arg)
{
	struct dbq *q = arg;
	struct pollfd pfd;
	struct dbq_job *j, *next;
	struct db *db;
	char c;
	int stop = 0, waiting = 0;

	if ((db = db_new(q->cfg)) == NULL) {
		log_error("out of memory");
		return NULL;
	}
	while (!stop) {
		pfd.fd = q->wake[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, waiting ? DBQ_RETRY_MS : -1) == -1 &&
		    errno != EINTR) {
			log_warn("poll");
			continue;
		}
		while (read(q->wake[0], &c, 1) == 1)
			;
		pthread_mutex_lock(&q->mu);
		j = jobq_take(&q->todo);
		stop = q->stopping;
		pthread_mutex_unlock(&q->mu);
		for (; j != NULL; j = next)
			next = dbq_run(q, db, j);
		waiting = dbq_process_inbox(q, db);
	}
	while (inbox_head(q, &waiting) != NULL)
		inbox_pop(q);
	db_free(db);
	return NULL;
}

static void
dbq_close(struct dbq *q)
{
	close(q->wake[0]);
	close(q->wake[1]);
	close(q->halt[0]);
	close(q->halt[1]);
	pthread_mutex_destroy(&q->mu);
	free(q);
}

struct dbq *
dbq_start(const struct config *cfg, struct lws_context *ctx, int notify_fd,
    dbq_datagram_fn *on_datagram)
{
	struct dbq *q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->cfg = cfg;
	q->ctx = ctx;
	q->notify_fd = notify_fd;
	q->on_datagram = on_datagram;
	if (pipe2(q->wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		free(q);
		return NULL;
	}
	if (pipe2(q->halt, O_CLOEXEC | O_NONBLOCK) == -1) {
		close(q->wake[0]);
		close(q->wake[1]);
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->mu, NULL);
	if (pthread_create(&q->thread, NULL, dbq_main, q) != 0) {
		dbq_close(q);
		return NULL;
	}
	if (notify_fd >= 0) {
		if (pthread_create(&q->reader, NULL, dbq_reader, q) != 0) {
			dbq_stop(q);
			return NULL;
		}
		q->has_reader = 1;
	}
	return q;
}

static void
dbq_kick(struct dbq *q)
{
	/* A full pipe already means "wake up": EAGAIN is fine. */
	if (write(q->wake[1], "", 1) == -1 && errno != EAGAIN)
		log_warn("wake db thread");
}

void
dbq_submit(struct dbq *q, struct dbq_job *job)
{
	job->submitted = dbq_now();
	job->heard = 0;
	q->in_flight++;
	pthread_mutex_lock(&q->mu);
	jobq_push(&q->todo, job);
	pthread_mutex_unlock(&q->mu);
	dbq_kick(q);
}

void
dbq_drain(struct dbq *q)
{
	struct dbq_job *j, *next;

	pthread_mutex_lock(&q->mu);
	j = jobq_take(&q->done);
	pthread_mutex_unlock(&q->mu);
	for (; j != NULL; j = next) {
		next = j->next;
		dbq_observe(q, j->submitted);
		q->in_heard = j->heard;
		j->done(j);
		q->in_heard = 0;
	}
}

void
dbq_notify(struct dbq *q, json_object *o)
{
	pthread_mutex_lock(&q->mu);
	inbox_push(&q->inbox, o, 1);
	pthread_mutex_unlock(&q->mu);
	dbq_kick(q);
}

int
dbq_heard(const struct dbq *q)
{
	return q != NULL && q->in_heard;
}

void
dbq_stop(struct dbq *q)
{
	if (q == NULL)
		return;
	/* The reader first: nothing is added to the inbox after this. */
	if (q->has_reader) {
		if (write(q->halt[1], "", 1) == -1)
			log_warn("stop the datagram reader");
		pthread_join(q->reader, NULL);
	}
	pthread_mutex_lock(&q->mu);
	q->stopping = 1;
	pthread_mutex_unlock(&q->mu);
	dbq_kick(q);
	pthread_join(q->thread, NULL);
	dbq_drain(q);
	dbq_close(q);
}
