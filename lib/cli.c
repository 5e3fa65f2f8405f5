/*
 * cli.c - --help and --version (cli.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION	"unknown"	/* set by configure */
#endif

void
cli_standard(int argc, char **argv, const char *prog, const char *usage)
{
	if (argc < 2)
		return;
	if (strcmp(argv[1], "--help") == 0) {
		printf("usage: %s\n", usage);
		exit(fflush(stdout) == 0 ? 0 : 1);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("%s (chat) %s\n", prog, PACKAGE_VERSION);
		exit(fflush(stdout) == 0 ? 0 : 1);
	}
}
