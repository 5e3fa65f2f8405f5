/*
 * unit.h - what every unit test program shares: run one suite, exit with
 * its verdict (Check's summary line is what CI reads).
 */
#ifndef CHAT_UNIT_H
#define CHAT_UNIT_H

#include <stdlib.h>

#include <check.h>

static inline int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
