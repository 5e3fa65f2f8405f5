/*
 * phone.c - phone numbers to E.164.
 */
#include <string.h>

#include "phone.h"

#define RAW_MAX	32	/* longer input is not a phone number */

/* Keep the digits of in (and note a leading '+'); -1 on any other byte. */
static int
phone_digits(const char *in, char *digits, size_t dsz, int *plus)
{
	size_t n = 0;
	const char *p;

	*plus = 0;
	if (strlen(in) > RAW_MAX)
		return -1;
	for (p = in; *p == ' '; p++)
		;
	if (*p == '+') {
		*plus = 1;
		p++;
	}
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= dsz)
				return -1;
			digits[n++] = *p;
		} else if (strchr(" -.()", *p) == NULL)
			return -1;
	}
	digits[n] = '\0';
	return 0;
}

static int
phone_emit(const char *cc, const char *digits, char *out, size_t outsz)
{
	size_t len = strlen(cc) + strlen(digits);

	/* E.164: at most 15 digits, and no country code starts with 0. */
	if (len < 8 || len > 15 || (*cc == '\0' && digits[0] == '0') ||
	    (*cc != '\0' && cc[0] == '0') || len + 2 > outsz)
		return -1;
	out[0] = '+';
	memcpy(out + 1, cc, strlen(cc));
	memcpy(out + 1 + strlen(cc), digits, strlen(digits) + 1);
	return 0;
}

int
phone_normalize(const char *in, const char *default_cc, char *out,
    size_t outsz)
{
	char digits[RAW_MAX + 1], cc[8];
	size_t n, cclen;
	int plus;

	if (in == NULL || phone_digits(in, digits, sizeof(digits), &plus) == -1)
		return -1;
	if (default_cc[0] == '+')
		default_cc++;
	cclen = strlen(default_cc);
	if (cclen == 0 || cclen >= sizeof(cc) ||
	    strspn(default_cc, "0123456789") != cclen)
		return -1;
	memcpy(cc, default_cc, cclen + 1);
	n = strlen(digits);
	if (plus)
		return phone_emit("", digits, out, outsz);
	if (n > 2 && digits[0] == '0' && digits[1] == '0')
		return phone_emit("", digits + 2, out, outsz);
	if (n == 10 && digits[0] != '0')
		return phone_emit(cc, digits, out, outsz);
	if (n == 11 && digits[0] == '0' && digits[1] != '0')
		return phone_emit(cc, digits + 1, out, outsz);
	if (n == cclen + 10 && strncmp(digits, cc, cclen) == 0)
		return phone_emit(cc, digits + cclen, out, outsz);
	return -1;
}
