/*
 * dbq.h - the database thread: pushd's event loop never waits on MariaDB.
 *
 * The loop submits jobs; one worker thread with its own connection runs
 * them in order (so the effects of one socket's events keep their order)
 * and queues them back; lws_cancel_service() wakes the loop, which calls
 * dbq_drain() to run each job's done() on the loop thread.  The worker also
 * deals with the datagrams the FastCGI programs send about new rows, which
 * a reader thread takes off their socket as they come.
 *
 * Ownership: a job is the caller's until done() runs; done() frees it.
 * Jobs must not touch loop state in run(): they carry ids, not pointers.
 */
#ifndef PUSHD_DBQ_H
#define PUSHD_DBQ_H

#include <json-c/json.h>

#include "config.h"
#include "db.h"

struct dbq;
struct lws_context;

#define DBQ_BATCH_MAX	128

struct dbq_job {
	void		(*run)(struct dbq_job *, struct db *);	/* worker */
	void		(*done)(struct dbq_job *);		/* loop */
	double		  submitted;	/* dbq's: for the latency figures */
	/*
	 * Optional: consecutive queued jobs with the same run_batch are run
	 * by one call (in order), e.g. many sends under one commit.
	 */
	void		(*run_batch)(struct dbq_job **, unsigned, struct db *);
	struct dbq_job	*next;
	/*
	 * dbq's: the job of a notification heard from the cluster (every
	 * node hears it): its done() tells this node's sockets only.
	 */
	int		  heard;
};

/*
 * Called on the worker thread for each datagram: 0 when it is dealt with
 * (*out: a job to hand to the loop, its run not called, or NULL), -1 to
 * try it again later (the database is unreachable: the news of a row
 * already stored must not be lost).  Datagrams keep their order.
 */
typedef int dbq_datagram_fn(struct db *, json_object *, struct dbq_job **);

struct dbq	*dbq_start(const struct config *cfg, struct lws_context *ctx,
		    int notify_fd, dbq_datagram_fn *on_datagram);
void		 dbq_submit(struct dbq *q, struct dbq_job *job);
/*
 * On the loop thread: a notification heard from the cluster (cluster.c),
 * dealt with like a datagram, in order with them; o is dbq's now.
 */
void		 dbq_notify(struct dbq *q, json_object *o);
/* 1 while the done() of a heard notification runs (rooms.c). */
int		 dbq_heard(const struct dbq *q);
/* On the loop thread: run done() of every finished job. */
void		 dbq_drain(struct dbq *q);
/* What /metrics shows of the database thread (metrics.c). */
#define DBQ_NBUCKETS	9
extern const double dbq_bucket_le[DBQ_NBUCKETS];
struct dbq_stats {
	unsigned		 jobs;		/* submitted, not done */
	unsigned		 inbox;		/* datagrams waiting */
	unsigned long long	 buckets[DBQ_NBUCKETS + 1]; /* last: +Inf */
	double			 seconds;	/* the sum of latencies */
};
void		 dbq_stats(struct dbq *q, struct dbq_stats *out);

/* Finish the queued jobs, stop the thread, drain. */
void		 dbq_stop(struct dbq *q);

#endif
