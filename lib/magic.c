/*
 * magic.c - content sniffing of uploaded media by magic bytes.
 *
 * Each check looks at a fixed prefix of the file and is written to refuse
 * when in doubt: a refused upload is a visible, recoverable error, while
 * an accepted HTML or SVG file served from our origin is a stored XSS.
 */
#include <stdint.h>
#include <string.h>

#include "magic.h"

static uint32_t
be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

/* ASCII-only, so the answer never depends on the locale. */
static int
ascii_ieq(const char *a, const char *b)
{
	unsigned char ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb)
			return 0;
	} while (ca != '\0');
	return 1;
}

static int
prefix(const unsigned char *b, size_t len, const char *sig, size_t siglen)
{
	return len >= siglen && memcmp(b, sig, siglen) == 0;
}

/* RIFF container of the given form type ("WEBP", "WAVE") */
static int
is_riff(const unsigned char *b, size_t len, const char *form)
{
	return len >= 12 && memcmp(b, "RIFF", 4) == 0 &&
	    memcmp(b + 8, form, 4) == 0;
}

static int
is_jpeg(const unsigned char *b, size_t len)
{
	return prefix(b, len, "\xff\xd8\xff", 3);
}

static int
is_png(const unsigned char *b, size_t len)
{
	return prefix(b, len, "\x89PNG\r\n\x1a\n", 8);
}

static int
is_gif(const unsigned char *b, size_t len)
{
	return prefix(b, len, "GIF87a", 6) || prefix(b, len, "GIF89a", 6);
}

/* The first chunk must be one of the three WebP bitstream kinds. */
static int
is_webp(const unsigned char *b, size_t len)
{
	return is_riff(b, len, "WEBP") && len >= 16 &&
	    (memcmp(b + 12, "VP8 ", 4) == 0 ||
	    memcmp(b + 12, "VP8L", 4) == 0 || memcmp(b + 12, "VP8X", 4) == 0);
}

/*
 * HEIF and AVIF still images (and image sequences) are ISO BMFF too, but
 * no browser plays them in <video> or <audio>.
 */
static int
is_image_brand(const unsigned char *brand)
{
	static const char *const brands[] = {
		"avif", "avis", "avci", "avcs", "heic", "heix", "heim",
		"heis", "hevc", "hevx", "mif1", "mif2", "msf1",
	};
	size_t i;

	for (i = 0; i < sizeof(brands) / sizeof(brands[0]); i++)
		if (memcmp(brand, brands[i], 4) == 0)
			return 1;
	return 0;
}

static int
is_audio_brand(const unsigned char *brand)
{
	return memcmp(brand, "M4A ", 4) == 0 ||
	    memcmp(brand, "M4B ", 4) == 0 || memcmp(brand, "M4P ", 4) == 0;
}

/*
 * ISO BMFF starting with an "ftyp" box: size (at least the 16 bytes of
 * size, type, major brand and minor version), "ftyp", major brand.
 * Returns the major brand, or NULL.
 */
static const unsigned char *
ftyp_brand(const unsigned char *b, size_t len)
{
	if (len < 12 || memcmp(b + 4, "ftyp", 4) != 0 || be32(b) < 16)
		return NULL;
	return b + 8;
}

static int
is_mp4_video(const unsigned char *b, size_t len)
{
	const unsigned char *brand;

	if ((brand = ftyp_brand(b, len)) == NULL)
		return 0;
	return !is_audio_brand(brand) && !is_image_brand(brand);
}

/* Any playable ISO BMFF, audio brands included. */
static int
is_mp4_audio(const unsigned char *b, size_t len)
{
	const unsigned char *brand;

	if ((brand = ftyp_brand(b, len)) == NULL)
		return 0;
	return !is_image_brand(brand);
}

/*
 * Read an EBML variable-length integer (RFC 8794 section 4) at b[*off],
 * below end.  IDs keep their length marker bits, sizes drop them.
 * Returns 1 and moves *off past it, or 0 if invalid or cut off.
 */
static int
ebml_vint(const unsigned char *b, size_t end, size_t *off, uint64_t *val,
    int is_id)
{
	uint64_t v;
	size_t n, i;

	if (*off >= end || b[*off] == 0)
		return 0;
	for (n = 1; (b[*off] & (0x80 >> (n - 1))) == 0; n++)
		;
	/* EBMLMaxIDLength is 4. */
	if (n > end - *off || (is_id && n > 4))
		return 0;
	v = is_id ? b[*off] : (b[*off] & (0xffu >> n));
	for (i = 1; i < n; i++)
		v = v << 8 | b[*off + i];
	*off += n;
	*val = v;
	return 1;
}

/*
 * An EBML header whose DocType is "webm".  Walks the header's children in
 * order; every step moves forward, so the loop ends.  A Matroska file
 * ("matroska") is refused: it is not on the list.
 */
static int
is_webm(const unsigned char *b, size_t len)
{
	uint64_t id, size;
	size_t off = 0, end;

	if (!ebml_vint(b, len, &off, &id, 1) || id != 0x1a45dfa3 ||
	    !ebml_vint(b, len, &off, &size, 0))
		return 0;
	end = size < len - off ? off + (size_t)size : len;
	while (off < end) {
		if (!ebml_vint(b, end, &off, &id, 1) ||
		    !ebml_vint(b, end, &off, &size, 0))
			return 0;
		if (id == 0x4282)	/* DocType */
			return size == 4 && end - off >= 4 &&
			    memcmp(b + off, "webm", 4) == 0;
		if (size >= end - off)
			return 0;
		off += (size_t)size;
	}
	return 0;
}

/*
 * ID3v2 tag: "ID3", version and revision never 0xFF, and a syncsafe size
 * (high bit of each byte clear).
 */
static int
is_id3(const unsigned char *b, size_t len)
{
	return len >= 10 && memcmp(b, "ID3", 3) == 0 && b[3] != 0xff &&
	    b[4] != 0xff && ((b[6] | b[7] | b[8] | b[9]) & 0x80) == 0;
}

/*
 * ADTS (AAC) header: 12-bit sync, layer 00, a defined sampling rate index
 * and a frame length that at least covers the 7-byte header.
 */
static int
is_adts(const unsigned char *b, size_t len)
{
	unsigned int flen;

	if (len < 7 || b[0] != 0xff || (b[1] & 0xf6) != 0xf0)
		return 0;
	flen = (unsigned int)(b[3] & 0x03) << 11 | (unsigned int)b[4] << 3 |
	    (unsigned int)b[5] >> 5;
	return ((b[2] >> 2) & 0x0f) < 13 && flen >= 7;
}

/*
 * MPEG audio frame header: 11-bit sync, then no reserved field values.
 * Layer 00 is ADTS, not MPEG audio.  Layer I and free-format bitrates are
 * refused too: nobody produces them, and taking them would let a UTF-16
 * text file's FF FE byte order mark pass as audio.
 */
static int
is_mpeg_frame(const unsigned char *b, size_t len)
{
	unsigned int version, layer, bitrate, srate;

	if (len < 4 || b[0] != 0xff || (b[1] & 0xe0) != 0xe0)
		return 0;
	version = (b[1] >> 3) & 0x03;
	layer = (b[1] >> 1) & 0x03;
	bitrate = b[2] >> 4;
	srate = (b[2] >> 2) & 0x03;
	return version != 1 && (layer == 1 || layer == 2) && bitrate != 0 &&
	    bitrate != 15 && srate != 3 && (b[3] & 0x03) != 2;
}

/* OggS capture pattern and stream structure version 0. */
static int
is_ogg(const unsigned char *b, size_t len)
{
	return prefix(b, len, "OggS\0", 5);
}

static const char *
detect_image(const unsigned char *b, size_t len)
{
	if (is_jpeg(b, len))
		return "image/jpeg";
	if (is_png(b, len))
		return "image/png";
	if (is_gif(b, len))
		return "image/gif";
	if (is_webp(b, len))
		return "image/webp";
	return NULL;
}

static const char *
detect_video(const unsigned char *b, size_t len)
{
	if (is_mp4_video(b, len))
		return "video/mp4";
	if (is_webm(b, len))
		return "video/webm";
	return NULL;
}

static const char *
detect_audio(const unsigned char *b, size_t len)
{
	if (is_id3(b, len) || is_mpeg_frame(b, len))
		return "audio/mpeg";
	if (is_adts(b, len))
		return "audio/aac";
	if (is_mp4_audio(b, len))
		return "audio/mp4";
	if (is_ogg(b, len))
		return "audio/ogg";
	if (is_riff(b, len, "WAVE"))
		return "audio/wav";
	if (is_webm(b, len))
		return "audio/webm";
	return NULL;
}

const char *
magic_detect(const unsigned char *buf, size_t len, const char *category)
{
	if (buf == NULL || category == NULL)
		return NULL;
	/* Same answer for a prefix as for the whole file. */
	if (len > MAGIC_NEED)
		len = MAGIC_NEED;
	if (strcmp(category, "image") == 0)
		return detect_image(buf, len);
	if (strcmp(category, "video") == 0)
		return detect_video(buf, len);
	if (strcmp(category, "audio") == 0)
		return detect_audio(buf, len);
	return NULL;
}

const char *
magic_extension(const char *mime)
{
	static const struct {
		const char	*mime;
		const char	*ext;
	} map[] = {
		{ "image/jpeg", "jpg" },
		{ "image/png", "png" },
		{ "image/gif", "gif" },
		{ "image/webp", "webp" },
		{ "video/mp4", "mp4" },
		{ "video/webm", "webm" },
		{ "audio/mpeg", "mp3" },
		{ "audio/aac", "aac" },
		{ "audio/mp4", "m4a" },
		{ "audio/ogg", "ogg" },
		{ "audio/wav", "wav" },
		/* Its own extension, so that web servers send it as audio. */
		{ "audio/webm", "weba" },
	};
	size_t i;

	if (mime == NULL)
		return NULL;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ascii_ieq(mime, map[i].mime))
			return map[i].ext;
	return NULL;
}
