/*
 * pushd - the realtime push daemon (Socket.IO v4 over libwebsockets).
 *
 * A stub until the pushd issue lands: it checks the configuration, so
 * that the build and the stack script already know the program.
 */
#include <stdio.h>
#include <string.h>

#include <libwebsockets.h>

#include "config.h"
#include "log.h"

int
main(int argc, char **argv)
{
	static struct config cfg;
	char err[512];

	log_init("pushd", LOG_LEVEL_INFO);
	if (config_load(&cfg, argc > 2 && strcmp(argv[1], "-c") == 0 ?
	    argv[2] : NULL, err, sizeof(err)) == -1) {
		log_error("%s", err);
		return 1;
	}
	printf("pushd: not implemented yet (libwebsockets %s)\n",
	    lws_get_library_version());
	return 0;
}
