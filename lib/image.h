/*
 * image.h - what an image upload is stored as: a display version (at most
 * IMAGE_DISPLAY_MAX pixels on the long side) and a thumbnail (at most
 * IMAGE_THUMB_MAX), made by libvips.  Both are decoded and encoded anew
 * with their EXIF orientation applied to the pixels and no metadata at all
 * (EXIF and its GPS position, XMP, IPTC, comments, ICC profiles: the
 * pixels are converted to sRGB first).
 *
 * Formats: a JPEG, and a PNG without an alpha channel (a photo saved as
 * PNG), become JPEG at quality IMAGE_QUALITY; a PNG with alpha stays PNG;
 * a WebP stays WebP (with its alpha, if any).  A GIF is kept as uploaded,
 * animation and all (GIF carries no EXIF), and only gets a thumbnail of
 * its first frame (PNG if it has transparency, else JPEG).
 *
 * Bounded, since it runs inside the upload request: only the four loaders
 * the magic bytes allow are enabled (every other libvips loader is
 * blocked, so the bytes cannot reach ImageMagick, PDF or SVG code), the
 * header's pixel count (all frames of a GIF) is checked against
 * IMAGE_MAX_PIXELS before a pixel is decoded (a damaged or cut-off image
 * is refused too, not filled in grey), JPEGs shrink while they are
 * decoded, libvips runs one worker thread and caches nothing.
 */
#ifndef CHAT_IMAGE_H
#define CHAT_IMAGE_H

#include "apierr.h"

#define IMAGE_DISPLAY_MAX	1600
#define IMAGE_THUMB_MAX		320
#define IMAGE_QUALITY		82
/*
 * 50 megapixels: more than any phone camera's 48; decoding a 49 MP JPEG
 * to the display size took 1.5 s and 60 MB, a PNG 1.4 s and 75 MB.
 * A progressive JPEG or an interlaced PNG is decoded whole before it is
 * shrunk (a 49 MP progressive JPEG took 340 MB), so those are capped
 * lower: 16 MP, 100 to 140 MB and 0.5 to 1.4 s.
 */
#define IMAGE_MAX_PIXELS	50000000LL
#define IMAGE_MAX_PIXELS_INTERLACED 16000000LL
#define IMAGE_NAME_MAX		64

struct image_out {
	const char	*format;	/* the display version's MIME type */
	/* Its name under dir (base.ext); "" for a GIF kept as uploaded. */
	char		 file[IMAGE_NAME_MAX];
	char		 thumb[IMAGE_NAME_MAX];	/* base-thumb.ext */
	int		 width, height;	/* of the display version */
};

/*
 * Make the display version and the thumbnail of the image at src, whose
 * bytes magic_detect() found to be mime, as dir/out->file and
 * dir/out->thumb (mode 0644, on disk).  0, or -1 with err: 415 for bytes
 * that do not decode as that format, 413 for more than IMAGE_MAX_PIXELS,
 * 500 otherwise; nothing is left in dir then.
 */
int	image_make(const char *src, const char *mime, const char *dir,
	    const char *base, struct image_out *out, struct api_error *err);

/* Release what libvips holds (at exit; a no-op if it never started). */
void	image_shutdown(void);

#endif
