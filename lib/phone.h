/*
 * phone.h - phone numbers to E.164.
 *
 * Accepted: "+<8-15 digits>", "00<8-15 digits>", a national number of 10
 * digits (optionally with a leading trunk 0), or the default country code's
 * digits followed by 10 digits.  Spaces, dashes, dots and parentheses are
 * ignored.  The default country code comes from the config ("+91").
 */
#ifndef CHAT_PHONE_H
#define CHAT_PHONE_H

#include <stddef.h>

#define PHONE_MAX	16	/* '+' and at most 15 digits */

/* 0 with out = "+..." (outsz >= PHONE_MAX + 1), or -1 if not a number. */
int	phone_normalize(const char *in, const char *default_cc, char *out,
	    size_t outsz);

#endif
