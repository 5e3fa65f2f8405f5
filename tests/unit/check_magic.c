/*
 * check_magic.c - unit tests for lib/magic.c.
 *
 * One table of samples, each with the answer expected under every
 * category, so that a format is checked both where it belongs and
 * everywhere it does not.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "unit.h"

#include "magic.h"

/* A byte-string literal and its length, NULs included. */
#define B(lit)	(const unsigned char *)(lit), sizeof(lit) - 1

struct sample {
	const char		*label;
	const unsigned char	*buf;
	size_t			 len;
	const char		*image;		/* expected per category */
	const char		*video;
	const char		*audio;
};

/* Typical EBML header of a WebM file (mkvmuxer / ffmpeg). */
#define WEBM_HDR \
	"\x1a\x45\xdf\xa3\x9f" \
	"\x42\x86\x81\x01" "\x42\xf7\x81\x01" "\x42\xf2\x81\x04" \
	"\x42\xf3\x81\x08" "\x42\x82\x84" "webm" "\x42\x87\x81\x04" \
	"\x42\x85\x81\x02" \
	"\x18\x53\x80\x67\x01\x00\x00\x00"

static const struct sample samples[] = {
	/* Allowed formats. */
	{ "jpeg/jfif", B("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"),
	    "image/jpeg", NULL, NULL },
	{ "jpeg/exif", B("\xff\xd8\xff\xe1\x12\x34" "Exif\0\0"),
	    "image/jpeg", NULL, NULL },
	{ "jpeg/min", B("\xff\xd8\xff"), "image/jpeg", NULL, NULL },
	{ "png", B("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"), "image/png", NULL,
	    NULL },
	{ "gif87a", B("GIF87a\x01\0\x01\0"), "image/gif", NULL, NULL },
	{ "gif89a", B("GIF89a\x01\0\x01\0"), "image/gif", NULL, NULL },
	{ "webp/vp8", B("RIFF\x24\0\0\0WEBPVP8 \x18\0\0\0"), "image/webp",
	    NULL, NULL },
	{ "webp/vp8l", B("RIFF\x24\0\0\0WEBPVP8L\x18\0\0\0"), "image/webp",
	    NULL, NULL },
	{ "webp/vp8x", B("RIFF\x24\0\0\0WEBPVP8X\x0a\0\0\0"), "image/webp",
	    NULL, NULL },
	{ "mp4/isom", B("\0\0\0\x20" "ftypisom\0\0\x02\0isomiso2avc1mp41"),
	    NULL, "video/mp4", "audio/mp4" },
	{ "mp4/mp42", B("\0\0\0\x18" "ftypmp42\0\0\0\0mp42isom"), NULL,
	    "video/mp4", "audio/mp4" },
	{ "mov/qt", B("\0\0\0\x14" "ftypqt  \0\0\0\0qt  "), NULL,
	    "video/mp4", "audio/mp4" },
	{ "3gp", B("\0\0\0\x14" "ftyp3gp5\0\0\0\0" "3gp5"), NULL,
	    "video/mp4", "audio/mp4" },
	{ "m4a", B("\0\0\0\x20" "ftypM4A \0\0\0\0M4A mp42isom\0\0\0\0"),
	    NULL, NULL, "audio/mp4" },
	{ "m4b", B("\0\0\0\x18" "ftypM4B \0\0\0\0M4B mp42"), NULL, NULL,
	    "audio/mp4" },
	{ "m4p", B("\0\0\0\x18" "ftypM4P \0\0\0\0M4P mp42"), NULL, NULL,
	    "audio/mp4" },
	{ "webm", B(WEBM_HDR), NULL, "video/webm", "audio/webm" },
	{ "webm/doctype-first", B("\x1a\x45\xdf\xa3\x87\x42\x82\x84webm"),
	    NULL, "video/webm", "audio/webm" },
	{ "webm/8-byte-size", B("\x1a\x45\xdf\xa3"
	    "\x01\x00\x00\x00\x00\x00\x00\x0b"
	    "\x42\x86\x81\x01" "\x42\x82\x84webm"), NULL, "video/webm",
	    "audio/webm" },
	{ "mp3/id3v2.4", B("ID3\x04\x00\x00\x00\x00\x01\x00TIT2"), NULL,
	    NULL, "audio/mpeg" },
	{ "mp3/id3v2.3", B("ID3\x03\x00\x80\x00\x00\x7f\x7f"), NULL, NULL,
	    "audio/mpeg" },
	{ "mp3/mpeg1-l3", B("\xff\xfb\x90\x64"), NULL, NULL, "audio/mpeg" },
	{ "mp3/mpeg2-l3", B("\xff\xf3\x48\xc4"), NULL, NULL, "audio/mpeg" },
	{ "mp3/mpeg25-l3", B("\xff\xe3\x18\xc4"), NULL, NULL, "audio/mpeg" },
	{ "mp2/mpeg1-l2", B("\xff\xfd\x94\x00"), NULL, NULL, "audio/mpeg" },
	{ "aac/adts-mpeg4", B("\xff\xf1\x50\x80\x02\x1f\xfc"), NULL, NULL,
	    "audio/aac" },
	{ "aac/adts-mpeg2", B("\xff\xf9\x50\x80\x02\x1f\xfc"), NULL, NULL,
	    "audio/aac" },
	{ "aac/adts-crc", B("\xff\xf0\x50\x80\x02\x1f\xfc"), NULL, NULL,
	    "audio/aac" },
	{ "ogg", B("OggS\0\x02\0\0\0\0\0\0\0\0"), NULL, NULL, "audio/ogg" },
	{ "wav", B("RIFF\x24\0\0\0WAVEfmt \x10\0\0\0"), NULL, NULL,
	    "audio/wav" },

	/* Look-alikes of allowed formats. */
	{ "heic", B("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic"), NULL, NULL,
	    NULL },
	{ "avif", B("\0\0\0\x1c" "ftypavif\0\0\0\0avifmif1miaf"), NULL,
	    NULL, NULL },
	{ "ftyp/short-box", B("\0\0\0\x08" "ftypisom"), NULL, NULL, NULL },
	{ "ftyp/cut", B("\0\0\0\x20" "ftyp"), NULL, NULL, NULL },
	{ "ftyp/not-at-4", B("\0\0\0\0\0\x20" "ftypisom\0\0\0\0"), NULL,
	    NULL, NULL },
	{ "matroska", B("\x1a\x45\xdf\xa3\xa3"
	    "\x42\x86\x81\x01" "\x42\xf7\x81\x01" "\x42\xf2\x81\x04"
	    "\x42\xf3\x81\x08" "\x42\x82\x88matroska" "\x42\x87\x81\x04"
	    "\x42\x85\x81\x02"), NULL, NULL, NULL },
	/* "webm" inside a Void element, the real DocType says matroska. */
	{ "ebml/webm-in-void", B("\x1a\x45\xdf\xa3\x91" "\xec\x84webm"
	    "\x42\x82\x88matroska"), NULL, NULL, NULL },
	{ "ebml/no-doctype", B("\x1a\x45\xdf\xa3\x84\x42\x86\x81\x01"),
	    NULL, NULL, NULL },
	{ "ebml/doctype-cut", B("\x1a\x45\xdf\xa3\x87\x42\x82\x84we"), NULL,
	    NULL, NULL },
	{ "ebml/bad-vint", B("\x1a\x45\xdf\xa3\x00\x42\x82\x84webm"), NULL,
	    NULL, NULL },
	{ "ebml/magic-only", B("\x1a\x45\xdf\xa3"), NULL, NULL, NULL },
	{ "gif8/truncated", B("GIF8"), NULL, NULL, NULL },
	{ "gif89/truncated", B("GIF89"), NULL, NULL, NULL },
	{ "gif88a", B("GIF88a\x01\0"), NULL, NULL, NULL },
	{ "png/truncated", B("\x89PNG\r\n\x1a"), NULL, NULL, NULL },
	{ "jpeg/truncated", B("\xff\xd8"), NULL, NULL, NULL },
	{ "webp/bad-chunk", B("RIFF\x24\0\0\0WEBPXXXX\0\0\0\0"), NULL, NULL,
	    NULL },
	{ "webp/cut", B("RIFF\x24\0\0\0WEBP"), NULL, NULL, NULL },
	{ "avi", B("RIFF\x24\0\0\0" "AVI LIST\0\0\0\0"), NULL, NULL, NULL },
	{ "riff/cut", B("RIFF"), NULL, NULL, NULL },
	{ "id3/bad-version", B("ID3\xff\x00\x00\x00\x00\x01\x00"), NULL,
	    NULL, NULL },
	{ "id3/not-syncsafe", B("ID3\x04\x00\x00\x00\x00\x80\x00"), NULL,
	    NULL, NULL },
	{ "id3/cut", B("ID3\x04"), NULL, NULL, NULL },
	{ "mpeg/layer1", B("\xff\xff\x90\x00"), NULL, NULL, NULL },
	{ "mpeg/free-format", B("\xff\xfb\x00\x64"), NULL, NULL, NULL },
	{ "mpeg/bad-bitrate", B("\xff\xfb\xf0\x64"), NULL, NULL, NULL },
	{ "mpeg/reserved-version", B("\xff\xeb\x90\x64"), NULL, NULL, NULL },
	{ "mpeg/reserved-rate", B("\xff\xfb\x9c\x64"), NULL, NULL, NULL },
	{ "mpeg/reserved-emphasis", B("\xff\xfb\x90\x66"), NULL, NULL,
	    NULL },
	{ "mpeg/cut", B("\xff\xfb\x90"), NULL, NULL, NULL },
	{ "adts/bad-rate", B("\xff\xf1\x7c\x80\x02\x1f\xfc"), NULL, NULL,
	    NULL },
	{ "adts/short-frame", B("\xff\xf1\x50\x80\x00\x1f\xfc"), NULL, NULL,
	    NULL },
	{ "adts/cut", B("\xff\xf1\x50\x80"), NULL, NULL, NULL },
	{ "ogg/version1", B("OggS\x01\x02"), NULL, NULL, NULL },

	/* Never media, whatever is claimed. */
	{ "svg", B("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"x\">"),
	    NULL, NULL, NULL },
	{ "svg/xml", B("<?xml version=\"1.0\"?><svg xmlns=\"x\"></svg>"),
	    NULL, NULL, NULL },
	{ "svg/bom", B("\xef\xbb\xbf<svg>"), NULL, NULL, NULL },
	{ "html", B("<!DOCTYPE html><html><script>alert(1)</script>"), NULL,
	    NULL, NULL },
	{ "html/bare", B("<html><body>"), NULL, NULL, NULL },
	{ "html/utf16le", B("\xff\xfe<\0h\0t\0m\0l\0>\0"), NULL, NULL,
	    NULL },
	{ "text/utf16le", B("\xff\xfeH\0i\0"), NULL, NULL, NULL },
	{ "text/utf16be", B("\xfe\xff\0<\0s\0v\0g"), NULL, NULL, NULL },
	{ "pdf", B("%PDF-1.7\n%\xe2\xe3\xcf\xd3"), NULL, NULL, NULL },
	{ "elf", B("\x7f" "ELF\x02\x01\x01\0"), NULL, NULL, NULL },
	{ "pe", B("MZ\x90\0\x03\0\0\0"), NULL, NULL, NULL },
	{ "zip", B("PK\x03\x04\x14\0"), NULL, NULL, NULL },
	{ "script", B("#!/bin/sh\nrm -rf /\n"), NULL, NULL, NULL },
	{ "text", B("hello world"), NULL, NULL, NULL },
	{ "empty", B(""), NULL, NULL, NULL },
	{ "one-byte", B("\xff"), NULL, NULL, NULL },
	{ "zeros", B("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), NULL, NULL, NULL },
};

#define NSAMPLES	(int)(sizeof(samples) / sizeof(samples[0]))

static void
check_sample(const struct sample *s, const unsigned char *buf, size_t len,
    const char *how)
{
	static const char *const cats[] = { "image", "video", "audio" };
	const char *want[3], *got;
	size_t i;

	want[0] = s->image;
	want[1] = s->video;
	want[2] = s->audio;
	for (i = 0; i < 3; i++) {
		got = magic_detect(buf, len, cats[i]);
		if (want[i] == NULL)
			ck_assert_msg(got == NULL, "%s (%s) as %s: got %s",
			    s->label, how, cats[i], got);
		else {
			ck_assert_msg(got != NULL && strcmp(got, want[i]) == 0,
			    "%s (%s) as %s: got %s, want %s", s->label, how,
			    cats[i], got ? got : "NULL", want[i]);
			ck_assert_ptr_nonnull(magic_extension(got));
		}
	}
}

/* Each sample as it is, and followed by zeros up to MAGIC_NEED and more. */
START_TEST(sample_loop)
{
	const struct sample *s = &samples[_i];
	unsigned char padded[2 * MAGIC_NEED];

	ck_assert_uint_le(s->len, sizeof(padded));
	check_sample(s, s->buf, s->len, "exact");
	memset(padded, 0, sizeof(padded));
	memcpy(padded, s->buf, s->len);
	/*
	 * Zero padding must change nothing, except for the samples cut
	 * short on purpose: completed with zeros some become valid.
	 */
	if (strstr(s->label, "cut") == NULL)
		check_sample(s, padded, sizeof(padded), "padded");
}
END_TEST

START_TEST(bad_arguments)
{
	static const unsigned char png[] = "\x89PNG\r\n\x1a\n";

	ck_assert_str_eq(magic_detect(png, 8, "image"), "image/png");
	ck_assert_ptr_null(magic_detect(png, 8, "IMAGE"));
	ck_assert_ptr_null(magic_detect(png, 8, "image "));
	ck_assert_ptr_null(magic_detect(png, 8, "img"));
	ck_assert_ptr_null(magic_detect(png, 8, "text"));
	ck_assert_ptr_null(magic_detect(png, 8, ""));
	ck_assert_ptr_null(magic_detect(png, 8, NULL));
	ck_assert_ptr_null(magic_detect(NULL, 0, "image"));
	ck_assert_ptr_null(magic_detect(NULL, 8, "image"));
	ck_assert_ptr_null(magic_detect(png, 0, "image"));
	ck_assert_ptr_null(magic_detect(png, 7, "image"));
}
END_TEST

/* Only the first MAGIC_NEED bytes count, however many are passed. */
START_TEST(only_prefix_counts)
{
	unsigned char *big, hdr[2 * MAGIC_NEED];
	size_t n, bigsz = 1 << 20;

	ck_assert_ptr_nonnull(big = calloc(1, bigsz));
	memcpy(big, "\x89PNG\r\n\x1a\n", 8);
	ck_assert_str_eq(magic_detect(big, bigsz, "image"), "image/png");
	free(big);

	/* A WebM header whose DocType lies past MAGIC_NEED. */
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, "\x1a\x45\xdf\xa3\xc8", 5);	/* size 72 */
	hdr[5] = (unsigned char)'\xec';		/* Void, */
	hdr[6] = 0x80 | 63;			/* 63 bytes */
	n = 7 + 63;
	memcpy(hdr + n, "\x42\x82\x84webm", 7);
	ck_assert_ptr_null(magic_detect(hdr, sizeof(hdr), "video"));
	/* The same with a shorter Void element is found. */
	hdr[6] = 0x80 | 10;
	memmove(hdr + 7 + 10, hdr + n, 7);
	hdr[4] = 0x80 | 19;
	ck_assert_str_eq(magic_detect(hdr, sizeof(hdr), "video"),
	    "video/webm");
}
END_TEST

START_TEST(extensions)
{
	static const char *const map[][2] = {
		{ "image/jpeg", "jpg" }, { "image/png", "png" },
		{ "image/gif", "gif" }, { "image/webp", "webp" },
		{ "video/mp4", "mp4" }, { "video/webm", "webm" },
		{ "audio/mpeg", "mp3" }, { "audio/aac", "aac" },
		{ "audio/mp4", "m4a" }, { "audio/ogg", "ogg" },
		{ "audio/wav", "wav" }, { "audio/webm", "weba" },
		{ "IMAGE/PNG", "png" }, { "Audio/Mp4", "m4a" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		ck_assert_str_eq(magic_extension(map[i][0]), map[i][1]);
	ck_assert_ptr_null(magic_extension("image/svg+xml"));
	ck_assert_ptr_null(magic_extension("text/html"));
	ck_assert_ptr_null(magic_extension("application/pdf"));
	ck_assert_ptr_null(magic_extension("image/png; x=y"));
	ck_assert_ptr_null(magic_extension("image/pn"));
	ck_assert_ptr_null(magic_extension("image/pngx"));
	ck_assert_ptr_null(magic_extension(""));
	ck_assert_ptr_null(magic_extension(NULL));
}
END_TEST

static Suite *
magic_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("magic");
	tc = tcase_create("detect");
	tcase_add_loop_test(tc, sample_loop, 0, NSAMPLES);
	tcase_add_test(tc, bad_arguments);
	tcase_add_test(tc, only_prefix_counts);
	suite_add_tcase(s, tc);
	tc = tcase_create("extension");
	tcase_add_test(tc, extensions);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(magic_suite());
}
