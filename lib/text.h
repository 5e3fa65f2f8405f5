/*
 * text.h - what a piece of text looks like to a person: blank although it
 * has bytes, or carrying characters that hide or reorder what is shown.
 * Input is well-formed UTF-8 (utf8_valid() first).
 */
#ifndef CHAT_TEXT_H
#define CHAT_TEXT_H

#include <stddef.h>

/*
 * 1 if s[0..len) shows nothing: only white space (ASCII and Unicode:
 * U+00A0, U+2000-U+200A, U+3000, ...) and invisible format characters
 * (U+200B-U+200F, U+2060, U+FEFF, bidi controls, ...).
 */
int	text_blank(const char *s, size_t len);

/*
 * 1 if s[0..len) holds a character no name needs: C0 and C1 controls,
 * DEL, bidi embeddings, overrides, isolates and marks (which can make a
 * name read as another), zero-width space and joiners other than ZWJ and
 * ZWNJ (which Devanagari needs), the BOM, tag characters, fillers.
 */
int	text_has_hidden(const char *s, size_t len);

/*
 * A name as a person reads it (an account's, a label's): s without the
 * spaces around it, 1 to max_chars characters of valid UTF-8 that show
 * something and hide nothing (text_has_hidden), into out.  0, or -1 if it
 * is not one or does not fit outsz.  s need not be valid UTF-8.
 */
int	text_name(const char *s, size_t max_chars, char *out, size_t outsz);

#endif
