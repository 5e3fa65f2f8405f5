/*
 * log.c - leveled logging to stderr (with an ISO 8601 time when it goes to
 * a file, not to a terminal or the journal, which stamp lines themselves)
 * or to syslog (log.syslog = yes).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *log_prog = "chat";
static int log_cur = LOG_LEVEL_INFO;
static int log_to_syslog;
static int log_stamp = -1;	/* -1: not decided yet */

static const char *const log_names[] = { "error", "warn", "info", "debug" };

void
log_init(const char *progname, int level)
{
	if (progname != NULL)
		log_prog = progname;
	log_set_level(level);
}

void
log_set_level(int level)
{
	if (level >= LOG_LEVEL_ERROR && level <= LOG_LEVEL_DEBUG)
		log_cur = level;
}

/* Returns the level for a name, or -1 when the name is unknown. */
int
log_level_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(log_names) / sizeof(log_names[0]); i++)
		if (strcasecmp(s, log_names[i]) == 0)
			return (int)i;
	return -1;
}

int
log_configure(const char *level, const char *use_syslog)
{
	int lv = log_level_parse(level);

	if (lv < 0)
		return -1;
	log_set_level(lv);
	if (strcasecmp(use_syslog, "yes") == 0 ||
	    strcmp(use_syslog, "1") == 0) {
		if (!log_to_syslog)
			openlog(log_prog, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		log_to_syslog = 1;
	} else if (strcasecmp(use_syslog, "no") == 0 ||
	    strcmp(use_syslog, "0") == 0)
		log_to_syslog = 0;
	else
		return -1;
	return 0;
}

/* A time on each line when stderr is a file: nobody else adds one there. */
static int
log_wants_stamp(void)
{
	struct stat st;

	if (log_stamp == -1)
		log_stamp = getenv("JOURNAL_STREAM") == NULL &&
		    !isatty(STDERR_FILENO) && fstat(STDERR_FILENO, &st) == 0 &&
		    !S_ISSOCK(st.st_mode);
	return log_stamp;
}

/* "2026-12-02T08:10:11.123Z " into buf, or "" if the clock fails. */
static void
log_time(char *buf, size_t bufsz)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	buf[0] = '\0';
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1 ||
	    gmtime_r(&ts.tv_sec, &tm) == NULL ||
	    (n = strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%S", &tm)) == 0 ||
	    (size_t)snprintf(buf + n, bufsz - n, ".%03ldZ ",
	    ts.tv_nsec / 1000000) >= bufsz - n)
		buf[0] = '\0';
}

void
log_msg(int level, const char *func, int with_errno, const char *fmt, ...)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	char msg[1024], when[40] = "";
	va_list ap;
	int saved = errno;

	if (level > log_cur)
		return;
	va_start(ap, fmt);
	/* A truncated log line is still worth printing; mark it. */
	if (vsnprintf(msg, sizeof(msg), fmt, ap) >= (int)sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	va_end(ap);
	if (log_to_syslog) {
		if (with_errno)
			syslog(prio[level], "%s: %s: %s", func, msg,
			    strerror(saved));
		else
			syslog(prio[level], "%s: %s", func, msg);
		errno = saved;
		return;
	}
	if (log_wants_stamp())
		log_time(when, sizeof(when));
	if (with_errno)
		fprintf(stderr, "%s%s[%ld]: %s: %s: %s: %s\n", when, log_prog,
		    (long)getpid(), log_names[level], func, msg,
		    strerror(saved));
	else
		fprintf(stderr, "%s%s[%ld]: %s: %s: %s\n", when, log_prog,
		    (long)getpid(), log_names[level], func, msg);
	errno = saved;
}
