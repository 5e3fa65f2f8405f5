/*
 * image.c - display versions and thumbnails of image uploads, by libvips
 * (image.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vips/vips.h>

#include "image.h"
#include "log.h"
#include "magic.h"

/*
 * Where libvips's own words go: the log, cut short, then forgotten.  They
 * are about the uploader's bytes (damaged, cut off), hence info.
 */
static void
image_vips_error(const char *what)
{
	char msg[300];
	size_t i;

	/* Cut short, and says so. */
	if ((size_t)snprintf(msg, sizeof(msg), "%s", vips_error_buffer()) >=
	    sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	vips_error_clear();
	/* One line: its messages end in newlines. */
	for (i = 0; msg[i] != '\0'; i++)
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = msg[i + 1] == '\0' ? '\0' : ' ';
	log_info("%s: %s", what, msg);
}

/* Its warnings (one per damaged tile, say) too, at debug, not on stderr. */
static void
image_vips_warning(const char *domain, GLogLevelFlags level,
    const char *msg, void *arg)
{
	(void)domain;
	(void)level;
	(void)arg;
	log_debug("%.300s", msg);
}

/* The four file loaders the magic bytes allow; all else is blocked. */
static const struct {
	const char	*mime;
	const char	*class;		/* the libvips loader's class */
} image_loaders[] = {
	{ "image/jpeg", "VipsForeignLoadJpegFile" },
	{ "image/png", "VipsForeignLoadPngFile" },
	{ "image/gif", "VipsForeignLoadNsgifFile" },
	{ "image/webp", "VipsForeignLoadWebpFile" },
};
#define IMAGE_NLOADERS	(sizeof(image_loaders) / sizeof(image_loaders[0]))

static int image_ready;

/* Start libvips once per process, bounded (image.h); 0 or -1. */
static int
image_start(void)
{
	size_t i;

	if (image_ready)
		return 0;
	if (VIPS_INIT("api.fcgi") != 0) {
		log_error("vips_init: %.300s", vips_error_buffer());
		vips_error_clear();
		return -1;
	}
	(void)g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING,
	    image_vips_warning, NULL);
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	vips_concurrency_set(1);
	vips_block_untrusted_set(TRUE);
	vips_operation_block_set("VipsForeignLoad", TRUE);
	for (i = 0; i < IMAGE_NLOADERS; i++)
		vips_operation_block_set(image_loaders[i].class, FALSE);
	image_ready = 1;
	return 0;
}

void
image_shutdown(void)
{
	if (image_ready)
		vips_shutdown();
	image_ready = 0;
}

static const char *
image_loader(const char *mime)
{
	size_t i;

	for (i = 0; i < IMAGE_NLOADERS; i++)
		if (strcmp(image_loaders[i].mime, mime) == 0)
			return image_loaders[i].class;
	return NULL;
}

/* A progressive JPEG or an interlaced PNG: decoded whole in memory. */
static int
image_interlaced(VipsImage *in)
{
	int v;

	return vips_image_get_typeof(in, "interlaced") != 0 &&
	    vips_image_get_int(in, "interlaced", &v) == 0 && v != 0;
}

/*
 * The header of src, read by the loader its magic bytes name, within the
 * pixel cap; *alpha says whether it has an alpha channel.  0 or -1.
 */
static int
image_probe(const char *src, const char *mime, int *alpha,
    struct api_error *err)
{
	const char *want = image_loader(mime), *got;
	VipsImage *in;
	long long px, cap;

	if (want == NULL || (got = vips_foreign_find_load(src)) == NULL ||
	    strcmp(got, want) != 0) {
		vips_error_clear();
		return api_fail(err, API_UNSUPPORTED_MEDIA,
		    "the image cannot be read");
	}
	if ((in = vips_image_new_from_file(src, "access",
	    VIPS_ACCESS_SEQUENTIAL, NULL)) == NULL) {
		vips_error_clear();
		return api_fail(err, API_UNSUPPORTED_MEDIA,
		    "the image cannot be read (damaged or cut off)");
	}
	px = (long long)in->Xsize * in->Ysize * vips_image_get_n_pages(in);
	cap = image_interlaced(in) ? IMAGE_MAX_PIXELS_INTERLACED :
	    IMAGE_MAX_PIXELS;
	*alpha = vips_image_hasalpha(in);
	g_object_unref(in);
	if (px > cap)
		return api_fail(err, API_TOO_LARGE, "the image is too large: "
		    "at most %lld megapixels", cap / 1000000);
	return 0;
}

/* Save img as path in the format of its MIME type, with no metadata. */
static int
image_save(VipsImage *img, const char *path, const char *mime)
{
	if (strcmp(mime, "image/jpeg") == 0)
		return vips_jpegsave(img, path, "Q", IMAGE_QUALITY, "strip",
		    TRUE, "optimize_coding", TRUE, "interlace", TRUE, NULL);
	if (strcmp(mime, "image/png") == 0)
		return vips_pngsave(img, path, "strip", TRUE, "compression", 6,
		    NULL);
	if (strcmp(mime, "image/webp") == 0)
		return vips_webpsave(img, path, "Q", IMAGE_QUALITY, "strip",
		    TRUE, NULL);
	return -1;
}

/* Readable by the web server, and on disk before a row names it. */
static int
image_seal(const char *path)
{
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fchmod(fd, 0644) == -1 || fsync(fd) == -1)
		rc = -1;
	if (close(fd) == -1)
		rc = -1;
	if (rc == -1)
		log_warn("%s", path);
	return rc;
}

/*
 * src shrunk to fit max x max (never enlarged), turned upright by its
 * orientation tag, in sRGB, saved as path; *w, *h its size (if not NULL).
 * Decoding errors are the upload's fault: 415.
 */
static int
image_shrink(const char *src, int max, const char *path, const char *mime,
    int *w, int *h, struct api_error *err)
{
	VipsImage *img;
	int rc;

	/* A damaged or cut-off image is an error, not grey pixels. */
	if (vips_thumbnail(src, &img, max, "height", max, "size",
	    VIPS_SIZE_DOWN, "fail_on", VIPS_FAIL_ON_ERROR, NULL) != 0) {
		image_vips_error("thumbnail");
		return api_fail(err, API_UNSUPPORTED_MEDIA,
		    "the image cannot be read (damaged or cut off)");
	}
	if (w != NULL && h != NULL) {
		*w = img->Xsize;
		*h = img->Ysize;
	}
	rc = image_save(img, path, mime);
	g_object_unref(img);
	if (rc != 0) {
		image_vips_error("save");
		(void)unlink(path);
		return api_fail(err, API_UNSUPPORTED_MEDIA,
		    "the image cannot be read (damaged or cut off)");
	}
	if (image_seal(path) == -1) {
		(void)unlink(path);
		return api_fail(err, API_INTERNAL, "cannot store the upload");
	}
	return 0;
}

/* The formats of both versions (image.h); 0 or -1. */
static int
image_formats(const char *mime, int alpha, const char **display,
    const char **thumb)
{
	if (strcmp(mime, "image/gif") == 0) {
		*display = mime;	/* kept as uploaded */
		*thumb = "image/png";
	} else if (strcmp(mime, "image/webp") == 0 ||
	    (strcmp(mime, "image/png") == 0 && alpha))
		*display = *thumb = mime;
	else if (strcmp(mime, "image/png") == 0 ||
	    strcmp(mime, "image/jpeg") == 0)
		*display = *thumb = "image/jpeg";
	else
		return -1;
	return 0;
}

static int
image_path(char *out, size_t outsz, const char *dir, const char *file)
{
	return (size_t)snprintf(out, outsz, "%s/%s", dir, file) >= outsz ?
	    -1 : 0;
}

/* The names of both files, and their paths under dir; 0 or -1. */
static int
image_names(struct image_out *out, const char *thumb_mime, const char *dir,
    const char *base, char *dpath, char *tpath, size_t psz)
{
	int gif = strcmp(out->format, "image/gif") == 0;

	if ((size_t)snprintf(out->thumb, sizeof(out->thumb), "%s-thumb.%s",
	    base, magic_extension(thumb_mime)) >= sizeof(out->thumb) ||
	    image_path(tpath, psz, dir, out->thumb) == -1)
		return -1;
	if (gif) {
		out->file[0] = '\0';
		dpath[0] = '\0';
		return 0;
	}
	if ((size_t)snprintf(out->file, sizeof(out->file), "%s.%s", base,
	    magic_extension(out->format)) >= sizeof(out->file) ||
	    image_path(dpath, psz, dir, out->file) == -1)
		return -1;
	return 0;
}

/* A GIF's display version is the upload: its own size, upright already. */
static int
image_gif_size(const char *src, struct image_out *out, struct api_error *err)
{
	VipsImage *in;

	if ((in = vips_image_new_from_file(src, NULL)) == NULL) {
		vips_error_clear();
		return api_fail(err, API_UNSUPPORTED_MEDIA,
		    "the image cannot be read (damaged or cut off)");
	}
	out->width = in->Xsize;
	out->height = in->Ysize;
	g_object_unref(in);
	return 0;
}

static int
image_make_both(const char *src, const char *mime, const char *dir,
    const char *base, struct image_out *out, struct api_error *err)
{
	char dpath[PATH_MAX], tpath[PATH_MAX];
	const char *thumb_mime;
	int alpha = 0;

	if (image_start() == -1)
		return api_fail(err, API_INTERNAL, "cannot process images");
	if (image_probe(src, mime, &alpha, err) == -1)
		return -1;
	if (image_formats(mime, alpha, &out->format, &thumb_mime) == -1)
		return api_fail(err, API_UNSUPPORTED_MEDIA,
		    "the image cannot be read");
	if (image_names(out, thumb_mime, dir, base, dpath, tpath,
	    sizeof(dpath)) == -1)
		return api_fail(err, API_INTERNAL, "upload path too long");
	if (dpath[0] == '\0') {
		if (image_gif_size(src, out, err) == -1 ||
		    image_shrink(src, IMAGE_THUMB_MAX, tpath, thumb_mime, NULL,
		    NULL, err) == -1)
			return -1;
		return 0;
	}
	/* The thumbnail comes from the display version: upright, small. */
	if (image_shrink(src, IMAGE_DISPLAY_MAX, dpath, out->format,
	    &out->width, &out->height, err) == -1)
		return -1;
	if (image_shrink(dpath, IMAGE_THUMB_MAX, tpath, thumb_mime, NULL, NULL,
	    err) == -1) {
		(void)unlink(dpath);
		return -1;
	}
	return 0;
}

/*
 * libvips's worker threads are made the first time they are needed and
 * inherit the signal mask of the thread that makes them: with every
 * signal blocked here, the program's own SIGTERM always reaches the main
 * thread (and its accept loop), never a worker.
 */
int
image_make(const char *src, const char *mime, const char *dir,
    const char *base, struct image_out *out, struct api_error *err)
{
	sigset_t all, old;
	int rc;

	memset(out, 0, sizeof(*out));
	sigfillset(&all);
	if ((errno = pthread_sigmask(SIG_BLOCK, &all, &old)) != 0) {
		log_warn("pthread_sigmask");
		return api_fail(err, API_INTERNAL, "cannot process images");
	}
	rc = image_make_both(src, mime, dir, base, out, err);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
