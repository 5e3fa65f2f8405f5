/*
 * text.c - blank and hidden characters (text.h).
 */
#include <stdint.h>
#include <string.h>

#include "jsonio.h"
#include "text.h"

/* The code point at s[*i], advancing *i (valid UTF-8 assumed). */
static uint32_t
utf8_next(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t cp = s[*i];
	size_t n = cp < 0x80 ? 0 : cp < 0xe0 ? 1 : cp < 0xf0 ? 2 : 3;

	if (n > 0)
		cp &= 0x3f >> n;
	for ((*i)++; n > 0 && *i < len; n--, (*i)++)
		cp = (cp << 6) | (s[*i] & 0x3f);
	return cp;
}

static int
is_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 ||
	    c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000;
}

/* Invisible, and never needed in a name. */
static int
is_hidden(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xad ||
	    c == 0x34f || c == 0x115f || c == 0x1160 || c == 0x180e ||
	    c == 0x200b || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) ||
	    c == 0x3164 || c == 0xfeff || c == 0xffa0 ||
	    (c >= 0xfff9 && c <= 0xfffb) || (c >= 0xe0000 && c <= 0xe007f);
}

int
text_blank(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t c;

	while (i < len) {
		c = utf8_next(s, len, &i);
		/* ZWNJ and ZWJ show nothing by themselves either. */
		if (!is_space(c) && !is_hidden(c) && c != 0x200c && c != 0x200d)
			return 0;
	}
	return 1;
}

int
text_has_hidden(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len)
		if (is_hidden(utf8_next(s, len, &i)))
			return 1;
	return 0;
}

int
text_name(const char *s, size_t max_chars, char *out, size_t outsz)
{
	size_t len, chars = 0, i;

	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	if (len == 0 || len >= outsz || !utf8_valid(s, len) ||
	    text_has_hidden(s, len) || text_blank(s, len))
		return -1;
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	if (chars > max_chars)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}
