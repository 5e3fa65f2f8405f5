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
 * Datagrams read but not dealt with yet, oldest first: while the database
 * is away they wait here and are tried again every DBQ_RETRY_MS, at most
 * DBQ_INBOX_MAX of them (then the oldest goes, with a warning).
 */
#define DBQ_INBOX_MAX	4096
#define DBQ_RETRY_MS	500
struct inbox {
	json_object	*item[DBQ_INBOX_MAX];
	unsigned	 head, n;
};

struct dbq {
	const struct config	*cfg;
	struct lws_context	*ctx;
	dbq_datagram_fn		*on_datagram;
	int			 notify_fd;	/* -1 if none */
	int			 wake[2];	/* loop -> worker */
	pthread_t		 thread;
	pthread_mutex_t		 mu;
	struct jobq		 todo;		/* loop -> worker */
	struct jobq		 done;		/* worker -> loop */
	struct inbox		 inbox;		/* worker only */
	int			 stopping;
};

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

static void
inbox_push(struct inbox *in, json_object *o)
{
	if (in->n == DBQ_INBOX_MAX) {
		log_warnx("notification backlog full: the oldest is dropped");
		json_object_put(in->item[in->head]);
		in->head = (in->head + 1) % DBQ_INBOX_MAX;
		in->n--;
	}
	in->item[(in->head + in->n) % DBQ_INBOX_MAX] = o;
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
		inbox_push(&q->inbox, o);
	}
}

/* Deal with the waiting datagrams in order; stop at one to retry. */
static void
dbq_process_inbox(struct dbq *q, struct db *db)
{
	struct inbox *in = &q->inbox;
	struct dbq_job *j;

	while (in->n > 0) {
		j = NULL;
		if (q->on_datagram(db, in->item[in->head], &j) == -1)
			return;
		json_object_put(in->item[in->head]);
		in->head = (in->head + 1) % DBQ_INBOX_MAX;
		in->n--;
		if (j != NULL)
			dbq_finished(q, j);
	}
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
	struct pollfd pfd[2];
	struct dbq_job *j, *next;
	struct db *db;
	char c;
	int stop = 0;

	if ((db = db_new(q->cfg)) == NULL) {
		log_error("out of memory");
		return NULL;
	}
	while (!stop) {
		pfd[0].fd = q->wake[0];
		pfd[0].events = POLLIN;
		pfd[1].fd = q->notify_fd;
		pfd[1].events = POLLIN;
		if (poll(pfd, q->notify_fd >= 0 ? 2 : 1,
		    q->inbox.n > 0 ? DBQ_RETRY_MS : -1) == -1 &&
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
		if (q->notify_fd >= 0 && (pfd[1].revents & POLLIN))
			dbq_read_datagrams(q);
		dbq_process_inbox(q, db);
	}
	while (q->inbox.n > 0) {
		json_object_put(q->inbox.item[q->inbox.head]);
		q->inbox.head = (q->inbox.head + 1) % DBQ_INBOX_MAX;
		q->inbox.n--;
	}
	db_free(db);
	return NULL;
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
	pthread_mutex_init(&q->mu, NULL);
	if (pthread_create(&q->thread, NULL, dbq_main, q) != 0) {
		close(q->wake[0]);
		close(q->wake[1]);
		free(q);
		return NULL;
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
		j->done(j);
	}
}

void
dbq_stop(struct dbq *q)
{
	if (q == NULL)
		return;
	pthread_mutex_lock(&q->mu);
	q->stopping = 1;
	pthread_mutex_unlock(&q->mu);
	dbq_kick(q);
	pthread_join(q->thread, NULL);
	dbq_drain(q);
	close(q->wake[0]);
	close(q->wake[1]);
	pthread_mutex_destroy(&q->mu);
	free(q);
}
