/*
 * magic.h - content sniffing of uploaded media by magic bytes.
 *
 * The claimed type of an upload (its part Content-Type or filename) is
 * never trusted: the stored MIME type comes from here, and only formats on
 * a short allow-list are accepted.  Anything a browser could render as a
 * document (SVG, HTML, XML, PDF, text) or run is refused, whatever is
 * claimed.
 */
#ifndef CHAT_MAGIC_H
#define CHAT_MAGIC_H

#include <stddef.h>

/*
 * Bytes magic_detect() looks at.  Passing more is fine but changes
 * nothing, so the answer is the same for a prefix and for the whole file.
 */
#define MAGIC_NEED	64

/*
 * Given the first bytes of an upload (at least MAGIC_NEED bytes, or the
 * whole file if it is shorter) and the claimed category ("image", "video"
 * or "audio"), return the MIME type of an allowed format of that category
 * that the bytes really are, or NULL if they are not one:
 *
 *  image: image/jpeg (FF D8 FF), image/png (89 50 4E 47 0D 0A 1A 0A),
 *	   image/gif (GIF87a / GIF89a), image/webp (RIFF....WEBP)
 *  video: video/mp4 (ISO BMFF "ftyp" box first, brand not M4A/M4B/M4P,
 *	   nor a HEIF/AVIF still image), video/webm (EBML header with
 *	   DocType "webm")
 *  audio: audio/mpeg (ID3v2 tag, or an MPEG-1/2/2.5 Layer II/III frame
 *	   header), audio/aac (ADTS header), audio/mp4 (any "ftyp" the video
 *	   check takes, and M4A/M4B/M4P), audio/ogg (OggS), audio/wav
 *	   (RIFF....WAVE), audio/webm (as video/webm)
 *
 * The category must be given exactly, in lowercase.  The returned string
 * is static.
 */
const char	*magic_detect(const unsigned char *buf, size_t len,
		    const char *category);

/*
 * Extension for a MIME type returned by magic_detect() ("jpg", "png",
 * "gif", "webp", "mp4", "webm", "mp3", "aac", "m4a", "ogg", "wav"), or NULL
 * for any other type.  Compared case-insensitively; parameters such as
 * "; codecs=..." are not accepted.
 */
const char	*magic_extension(const char *mime);

#endif /* CHAT_MAGIC_H */
