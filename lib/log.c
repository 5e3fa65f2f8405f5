/*
 * log.c - leveled logging to stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "log.h"

static const char *log_prog = "chat";
static int log_cur = LOG_LEVEL_INFO;

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

void
log_msg(int level, const char *func, int with_errno, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int saved = errno;

	if (level > log_cur)
		return;
	va_start(ap, fmt);
	/* A truncated log line is still worth printing; mark it. */
	if (vsnprintf(msg, sizeof(msg), fmt, ap) >= (int)sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	va_end(ap);
	if (with_errno)
		fprintf(stderr, "%s[%ld]: %s: %s: %s: %s\n", log_prog,
		    (long)getpid(), log_names[level], func, msg,
		    strerror(saved));
	else
		fprintf(stderr, "%s[%ld]: %s: %s: %s\n", log_prog,
		    (long)getpid(), log_names[level], func, msg);
	errno = saved;
}
