/*
 * cli.h - what every program of the project answers on its command line:
 * --help (its usage, on stdout) and --version.
 */
#ifndef CHAT_CLI_H
#define CHAT_CLI_H

/*
 * If argv[1] is --help or --version, print the answer and exit 0; any
 * other arguments are left to the program.
 */
void	cli_standard(int argc, char **argv, const char *prog,
	    const char *usage);

#endif
