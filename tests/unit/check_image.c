/*
 * check_image.c - unit tests for lib/image.c: what image_make() writes for
 * each kind of image, and that what it refuses leaves nothing.  The
 * inputs are made with libvips into a temp directory.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <vips/vips.h>

#include "unit.h"

#include "image.h"

static char dir[] = "/tmp/check_image.XXXXXX";
static char out[PATH_MAX];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_lt(snprintf(out, sizeof(out), "%s/out", dir),
	    (int)sizeof(out));
	ck_assert_int_eq(mkdir(out, 0700), 0);
	ck_assert_int_eq(VIPS_INIT("check_image"), 0);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
teardown(void)
{
	image_shutdown();
	ck_assert_int_eq(nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS), 0);
}

/* A w x h black image of bands bands saved as dir/name; its path. */
static const char *
make(const char *name, int w, int h, int bands)
{
	static char path[PATH_MAX];
	VipsImage *img;

	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/%s", dir, name),
	    (int)sizeof(path));
	ck_assert_int_eq(vips_black(&img, w, h, "bands", bands, NULL), 0);
	ck_assert_int_eq(vips_image_write_to_file(img, path, NULL), 0);
	g_object_unref(img);
	return path;
}

static void
dims(const char *file, int w, int h)
{
	char path[PATH_MAX];
	struct stat sb;
	VipsImage *img;

	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/%s", out, file),
	    (int)sizeof(path));
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0644);
	ck_assert_ptr_nonnull(img = vips_image_new_from_file(path, NULL));
	ck_assert_int_eq(img->Xsize, w);
	ck_assert_int_eq(img->Ysize, h);
	g_object_unref(img);
}

static int
out_empty(void)
{
	DIR *d = opendir(out);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n == 0;
}

/* Each kind of input and what is made of it. */
static const struct kind {
	const char	*in, *mime;
	int		 w, h, bands;
	const char	*format, *file, *thumb;	/* file "": kept as uploaded */
	int		 dw, dh, tw, th;
} kinds[] = {
	{ "a.jpg", "image/jpeg", 4000, 3000, 3,
	    "image/jpeg", "k.jpg", "k-thumb.jpg", 1600, 1200, 320, 240 },
	/* Not enlarged; a PNG without alpha is a photo: JPEG. */
	{ "s.png", "image/png", 40, 30, 3,
	    "image/jpeg", "k.jpg", "k-thumb.jpg", 40, 30, 40, 30 },
	{ "a.png", "image/png", 1000, 2000, 4,
	    "image/png", "k.png", "k-thumb.png", 800, 1600, 160, 320 },
	{ "g.gif", "image/gif", 2000, 100, 3,
	    "image/gif", "", "k-thumb.png", 2000, 100, 320, 16 },
};

START_TEST(test_kinds)
{
	const struct kind *k = &kinds[_i];
	struct image_out o;
	struct api_error err;

	ck_assert_int_eq(image_make(make(k->in, k->w, k->h, k->bands),
	    k->mime, out, "k", &o, &err), 0);
	ck_assert_str_eq(o.format, k->format);
	ck_assert_str_eq(o.file, k->file);
	ck_assert_str_eq(o.thumb, k->thumb);
	ck_assert_int_eq(o.width, k->dw);
	ck_assert_int_eq(o.height, k->dh);
	if (k->file[0] != '\0')
		dims(k->file, k->dw, k->dh);
	dims(k->thumb, k->tw, k->th);
}
END_TEST

START_TEST(test_refused)
{
	static const char junk[] = "\xff\xd8\xff\xe0 not a JPEG at all";
	char path[PATH_MAX];
	struct image_out o;
	struct api_error err;
	FILE *f;

	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/junk.jpg", dir),
	    (int)sizeof(path));
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(junk, 1, sizeof(junk) - 1, f),
	    sizeof(junk) - 1);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(image_make(path, "image/jpeg", out, "j", &o, &err),
	    -1);
	ck_assert_int_eq(err.code, API_UNSUPPORTED_MEDIA);
	/* The bytes decide the loader: a PNG is not read as a claimed GIF. */
	ck_assert_int_eq(image_make(make("x.png", 10, 10, 3), "image/gif",
	    out, "x", &o, &err), -1);
	ck_assert_int_eq(err.code, API_UNSUPPORTED_MEDIA);
	/* 50.4 megapixels: refused from the header. */
	ck_assert_int_eq(image_make(make("big.jpg", 7100, 7100, 1),
	    "image/jpeg", out, "b", &o, &err), -1);
	ck_assert_int_eq(err.code, API_TOO_LARGE);
	ck_assert(out_empty());
}
END_TEST

static Suite *
image_suite(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("make");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_kinds, 0,
	    (int)(sizeof(kinds) / sizeof(kinds[0])));
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(image_suite());
}
