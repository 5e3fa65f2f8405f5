/*
 * log.h - leveled logging to stderr in the httpd style.
 *
 * Every line carries the program name, the level and the calling function.
 * Callers must never pass a token, a password or a password hash.
 */
#ifndef CHAT_LOG_H
#define CHAT_LOG_H

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG
};

void	log_init(const char *progname, int level);
void	log_set_level(int level);
int	log_level_parse(const char *s);
/* log.level and log.syslog (yes or no) of the config; -1 if one is bad. */
int	log_configure(const char *level, const char *use_syslog);
void	log_msg(int level, const char *func, int with_errno, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* log_warn appends strerror(errno); log_warnx does not. */
#define log_warn(...)	log_msg(LOG_LEVEL_WARN, __func__, 1, __VA_ARGS__)
#define log_warnx(...)	log_msg(LOG_LEVEL_WARN, __func__, 0, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_LEVEL_ERROR, __func__, 0, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LEVEL_INFO, __func__, 0, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LEVEL_DEBUG, __func__, 0, __VA_ARGS__)

#endif
