/*
 * media.c - /api/v1/chat/media: upload (multipart/form-data) and metadata.
 *
 * The body is streamed through the multipart parser straight into a temp
 * file under <upload.dir>/tmp; nothing is kept in memory but the first
 * bytes, which are sniffed against the allow-list.  Only a complete, valid
 * upload is renamed to <upload.dir>/chat/<random>.<ext> and gets a row; any
 * failure removes the temp file, so nothing partial is left behind.
 *
 * An image is not stored as uploaded: image.c makes a display version and
 * a thumbnail of it in <upload.dir>/tmp, within this request (bounded:
 * see image.h), and those two are what is moved to chat/, recorded and
 * served; the upload itself goes with the temp file.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "handlers.h"
#include "image.h"
#include "log.h"
#include "magic.h"
#include "media_db.h"
#include "model.h"
#include "multipart.h"
#include "uploads.h"

#define UPLOAD_OVERHEAD	(64 * 1024)	/* multipart framing and fields */
#define UPLOAD_MAX_PARTS 8
#define UPLOAD_HDR_MAX	2048
#define UPLOAD_CHUNK	65536

struct upload {
	long long	 cap;		/* the largest per-type cap */
	char		 type[16];
	size_t		 type_len;
	int		 in_type, in_file, file_seen, type_bad;
	int		 fd;
	char		 tmp[PATH_MAX];
	char		 name[MP_FILENAME_MAX + 1];
	unsigned char	 head[MAGIC_NEED];
	size_t		 head_len;
	long long	 size;
	enum api_code	 fail;		/* why a callback stopped the parse */
	const char	*fail_msg;
};

static int
upload_dirs(const struct config *cfg, char *tmpdir, size_t tsz, char *chatdir,
    size_t csz)
{
	if ((size_t)snprintf(tmpdir, tsz, "%s/tmp", cfg->upload_dir) >= tsz ||
	    (size_t)snprintf(chatdir, csz, "%s/chat", cfg->upload_dir) >= csz)
		return -1;
	if ((mkdir(cfg->upload_dir, 0755) == -1 && errno != EEXIST) ||
	    (mkdir(tmpdir, 0700) == -1 && errno != EEXIST) ||
	    (mkdir(chatdir, 0755) == -1 && errno != EEXIST)) {
		log_warn("mkdir under %s", cfg->upload_dir);
		return -1;
	}
	return 0;
}

static int
upload_stop(struct upload *up, enum api_code code, const char *msg)
{
	up->fail = code;
	up->fail_msg = msg;
	return 1;
}

static int
upload_part_begin(void *ctx, const struct mp_part *p)
{
	struct upload *up = ctx;

	up->in_type = up->in_file = 0;
	if (strcmp(p->name, "type") == 0 && !p->has_filename) {
		up->in_type = 1;
		up->type_len = 0;
		return 0;
	}
	if (strcmp(p->name, "file") != 0 || !p->has_filename)
		return 0;	/* other fields are ignored */
	if (up->file_seen)
		return upload_stop(up, API_VALIDATION,
		    "send one file per upload");
	up->file_seen = up->in_file = 1;
	mp_sanitize_filename(p->filename, up->name, sizeof(up->name));
	if ((up->fd = mkstemp(up->tmp)) == -1) {
		log_warn("mkstemp");
		up->tmp[0] = '\0';
		return upload_stop(up, API_INTERNAL, "cannot store the upload");
	}
	return 0;
}

static int
upload_write(struct upload *up, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(up->fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("write upload");
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
upload_part_data(void *ctx, const char *buf, size_t len)
{
	struct upload *up = ctx;
	size_t n;

	if (up->in_type) {
		if (up->type_len + len >= sizeof(up->type)) {
			up->type_bad = 1;
			return 0;
		}
		memcpy(up->type + up->type_len, buf, len);
		up->type_len += len;
		up->type[up->type_len] = '\0';
		return 0;
	}
	if (!up->in_file)
		return 0;
	up->size += (long long)len;
	if (up->size > up->cap)
		return upload_stop(up, API_TOO_LARGE, "the file is too large");
	if (up->head_len < sizeof(up->head)) {
		n = sizeof(up->head) - up->head_len;
		if (n > len)
			n = len;
		memcpy(up->head + up->head_len, buf, n);
		up->head_len += n;
	}
	if (upload_write(up, buf, len) == -1)
		return upload_stop(up, API_INTERNAL, "cannot store the upload");
	return 0;
}

static int
upload_part_end(void *ctx)
{
	struct upload *up = ctx;

	up->in_type = up->in_file = 0;
	return 0;
}

static const struct mp_callbacks upload_cb = {
	upload_part_begin, upload_part_data, upload_part_end
};

/* Feed the whole body to the parser; 0, or -1 with err set. */
static int
upload_receive(struct request *r, struct upload *up, const char *boundary,
    struct api_error *err)
{
	struct mp_parser *mp;
	enum mp_status ms = MP_OK;
	char *buf;
	long long left = r->content_length;
	int n;

	if ((mp = mp_new(boundary, &upload_cb, up, UPLOAD_HDR_MAX,
	    UPLOAD_MAX_PARTS)) == NULL)
		return api_fail(err, API_INTERNAL, "out of memory");
	if ((buf = malloc(UPLOAD_CHUNK)) == NULL) {
		mp_free(mp);
		return api_fail(err, API_INTERNAL, "out of memory");
	}
	while (left > 0 && ms == MP_OK) {
		n = http_read(r, buf, left < UPLOAD_CHUNK ? (int)left :
		    UPLOAD_CHUNK);
		if (n <= 0)
			break;
		left -= n;
		ms = mp_feed(mp, buf, (size_t)n);
	}
	if (ms == MP_OK)
		ms = mp_finish(mp);
	free(buf);
	mp_free(mp);
	if (ms == MP_ERR_CALLBACK)
		return api_fail(err, up->fail, "%s", up->fail_msg);
	if (ms == MP_ERR_TRUNCATED || left > 0)
		return api_fail(err, API_BAD_REQUEST, "the upload is cut off");
	if (ms != MP_OK)
		return api_fail(err, API_BAD_REQUEST, "bad multipart body: %s",
		    mp_strerror(ms));
	return 0;
}

static long long
upload_type_cap(const struct config *cfg, const char *type)
{
	if (strcmp(type, "image") == 0)
		return cfg->upload_max_image;
	if (strcmp(type, "video") == 0)
		return cfg->upload_max_video;
	if (strcmp(type, "audio") == 0)
		return cfg->upload_max_audio;
	return -1;
}

/* The fields and the bytes agree with the rules; the format in *mime. */
static int
upload_check(const struct config *cfg, const struct upload *up,
    const char **mime, struct api_error *err)
{
	long long cap;

	if (!up->file_seen)
		return api_fail(err, API_VALIDATION, "file is required");
	if (up->type_bad || up->type_len == 0)
		return api_fail(err, API_VALIDATION,
		    "type must be image, video or audio");
	if ((cap = upload_type_cap(cfg, up->type)) < 0)
		return api_fail(err, API_VALIDATION,
		    "type must be image, video or audio");
	if (up->size == 0)
		return api_fail(err, API_VALIDATION, "the file is empty");
	if (up->size > cap)
		return api_fail(err, API_TOO_LARGE, "%s files are limited to "
		    "%lld bytes", up->type, cap);
	if ((*mime = magic_detect(up->head, up->head_len, up->type)) == NULL)
		return api_fail(err, API_UNSUPPORTED_MEDIA,
		    "the file is not an allowed %s format", up->type);
	return 0;
}

/* What is stored of an upload under chat/, as its row names it. */
struct stored {
	char		 file[IMAGE_NAME_MAX];
	char		 thumb[IMAGE_NAME_MAX];	/* "" but for images */
	const char	*format;
	long long	 size;
	int		 width, height;
};

/* The temp file as chatdir/<hex>.<ext>, as uploaded (video, audio, GIF). */
static int
upload_store_file(struct upload *up, const char *chatdir, const char *hex,
    const char *mime, struct stored *st, struct api_error *err)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(st->file, sizeof(st->file), "%s.%s", hex,
	    magic_extension(mime)) >= sizeof(st->file) ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", chatdir, st->file) >=
	    sizeof(path))
		return api_fail(err, API_INTERNAL, "upload path too long");
	if (fsync(up->fd) == -1 || fchmod(up->fd, 0644) == -1 ||
	    rename(up->tmp, path) == -1) {
		log_warn("store upload");
		return api_fail(err, API_INTERNAL, "cannot store the upload");
	}
	up->tmp[0] = '\0';
	st->format = mime;
	st->size = up->size;
	return 0;
}

/* Move from/file to to/file; its size in *size (if not NULL); 0 or -1. */
static int
upload_move(const char *from, const char *to, const char *file,
    long long *size)
{
	char src[PATH_MAX], dst[PATH_MAX];
	struct stat sb;

	if ((size_t)snprintf(src, sizeof(src), "%s/%s", from, file) >=
	    sizeof(src) || (size_t)snprintf(dst, sizeof(dst), "%s/%s", to,
	    file) >= sizeof(dst))
		return -1;
	if (size != NULL && stat(src, &sb) == -1) {
		log_warn("stat %s", file);
		return -1;
	}
	if (rename(src, dst) == -1) {
		log_warn("store %s", file);
		return -1;
	}
	if (size != NULL)
		*size = (long long)sb.st_size;
	return 0;
}

/* Remove dir/file if it is there. */
static void
upload_remove(const char *dir, const char *file)
{
	char path[PATH_MAX];

	if (file[0] != '\0' && (size_t)snprintf(path, sizeof(path), "%s/%s",
	    dir, file) < sizeof(path))
		(void)unlink(path);
}

/*
 * An image: its display version and thumbnail made in tmpdir (image.h),
 * then moved to chatdir; the display version is what the row's size and
 * format say.  On failure nothing is left in either.
 */
static int
upload_store_image(struct upload *up, const char *tmpdir, const char *chatdir,
    const char *hex, const char *mime, struct stored *st,
    struct api_error *err)
{
	struct image_out img;
	int rc = -1;

	if (image_make(up->tmp, mime, tmpdir, hex, &img, err) == -1)
		return -1;
	st->width = img.width;
	st->height = img.height;
	if (upload_move(tmpdir, chatdir, img.thumb, NULL) == -1)
		api_fail(err, API_INTERNAL, "cannot store the upload");
	else if (img.file[0] == '\0')	/* a GIF, kept as uploaded */
		rc = upload_store_file(up, chatdir, hex, mime, st, err);
	else if (upload_move(tmpdir, chatdir, img.file, &st->size) == -1)
		api_fail(err, API_INTERNAL, "cannot store the upload");
	else {
		memcpy(st->file, img.file, sizeof(st->file));
		st->format = img.format;
		rc = 0;
	}
	if (rc == 0) {
		memcpy(st->thumb, img.thumb, sizeof(st->thumb));
		return 0;
	}
	upload_remove(tmpdir, img.file);
	upload_remove(tmpdir, img.thumb);
	upload_remove(chatdir, img.thumb);
	return -1;
}

/* Store the upload under its public name(s) and record it; the media id. */
static long long
upload_commit(struct request *r, struct upload *up, const char *tmpdir,
    const char *chatdir, const char *mime, struct api_error *err)
{
	unsigned char rnd[16];
	char hex[33];
	struct stored st;
	struct media_row row;
	long long id;
	int image = strcmp(up->type, "image") == 0;

	memset(&st, 0, sizeof(st));
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	if ((image ? upload_store_image(up, tmpdir, chatdir, hex, mime, &st,
	    err) : upload_store_file(up, chatdir, hex, mime, &st, err)) == -1)
		return -1;
	row = (struct media_row){ r->user.id, up->name, up->type, st.file,
	    st.format, st.size, st.thumb[0] != '\0' ? st.thumb : NULL,
	    st.width, st.height };
	if ((id = media_db_insert(r->db, &row, err)) == -1) {
		upload_remove(chatdir, st.file);
		upload_remove(chatdir, st.thumb);
	}
	return id;
}

int
media_upload(struct request *r, struct response *resp, struct api_error *err)
{
	struct upload up;
	char boundary[80], tmpdir[PATH_MAX], chatdir[PATH_MAX];
	const char *mime = NULL;
	json_object *arr, *m;
	long long id = -1;

	memset(&up, 0, sizeof(up));
	up.fd = -1;
	up.cap = config_upload_max(r->cfg);
	if (r->content_type == NULL || mp_boundary_from_content_type(
	    r->content_type, boundary, sizeof(boundary)) == -1)
		return api_fail(err, API_UNSUPPORTED_MEDIA,
		    "Content-Type must be multipart/form-data with a boundary");
	if (r->content_length < 0)
		return api_fail(err, API_BAD_REQUEST, "Content-Length required");
	if (r->content_length > up.cap + UPLOAD_OVERHEAD)
		return api_fail(err, API_TOO_LARGE, "the upload is too large");
	if (uploads_quota(r->db, r->cfg, r->user.id, r->content_length,
	    err) == -1)
		return -1;
	/* Housekeeping on the way: a few uploads nobody sent go. */
	(void)uploads_sweep(r->db, r->cfg, 10);
	if (upload_dirs(r->cfg, tmpdir, sizeof(tmpdir), chatdir,
	    sizeof(chatdir)) == -1 ||
	    (size_t)snprintf(up.tmp, sizeof(up.tmp), "%s/up-XXXXXX", tmpdir) >=
	    sizeof(up.tmp))
		return api_fail(err, API_INTERNAL, "cannot store the upload");
	if (upload_receive(r, &up, boundary, err) == 0 &&
	    upload_check(r->cfg, &up, &mime, err) == 0)
		id = upload_commit(r, &up, tmpdir, chatdir, mime, err);
	if (up.fd != -1)
		close(up.fd);
	if (up.file_seen && up.tmp[0] != '\0')
		(void)unlink(up.tmp);
	if (id < 0)
		return -1;
	if ((m = media_db_load(r->db, r->cfg, id, err)) == NULL)
		return -1;
	arr = json_object_new_array();
	json_object_array_add(arr, m);
	http_data(resp, 201, arr);
	return 0;
}

int
media_get(struct request *r, struct response *resp, struct api_error *err)
{
	json_object *m;

	if (chat_media_access(r->db, &r->user, r->id, err) == -1)
		return -1;
	if ((m = media_db_load(r->db, r->cfg, r->id, err)) == NULL)
		return -1;
	http_data(resp, 200, m);
	return 0;
}
