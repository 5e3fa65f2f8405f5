/*
 * db.c - MariaDB through prepared statements only.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "db.h"
#include "log.h"

#define DB_MAX_PARAMS	24	/* the conversation list takes 17 */
#define DB_STMT_CACHE	64

struct db_stmt {
	const char	*sql;	/* the caller's static string */
	MYSQL_STMT	*stmt;
};

struct db {
	const struct config	*cfg;
	MYSQL			*my;
	int			 in_tx;
	int			 last;		/* the last statement's status */
	struct db_stmt		 cache[DB_STMT_CACHE];
	unsigned		 ncache;
	char			 version[64];
};

struct db *
db_new(const struct config *cfg)
{
	struct db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->cfg = cfg;
	return db;
}

static void
db_disconnect(struct db *db)
{
	unsigned i;

	for (i = 0; i < db->ncache; i++)
		mysql_stmt_close(db->cache[i].stmt);
	db->ncache = 0;
	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
	db->in_tx = 0;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	db_disconnect(db);
	free(db);
}

int
db_connect(struct db *db)
{
	const struct config *c = db->cfg;
	unsigned int ct = (unsigned int)c->db_connect_timeout,
	    rt = (unsigned int)c->db_read_timeout,
	    wt = (unsigned int)c->db_write_timeout;
	MYSQL *my;

	if (db->my != NULL)
		return DB_OK;
	if ((my = mysql_init(NULL)) == NULL)
		return DB_ERR_GONE;
	/*
	 * A server that hangs (stopped, disk stalled) must not hang us:
	 * every read and write gives up too, and the connection is then
	 * treated as lost (reopened by the next statement).
	 */
	mysql_optionsv(my, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_optionsv(my, MYSQL_OPT_READ_TIMEOUT, &rt);
	mysql_optionsv(my, MYSQL_OPT_WRITE_TIMEOUT, &wt);
	mysql_optionsv(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* All times are stored and computed in UTC. */
	mysql_optionsv(my, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	if (mysql_real_connect(my, c->db_socket[0] ? NULL : c->db_host,
	    c->db_user, c->db_password, c->db_name,
	    (unsigned int)c->db_port, c->db_socket[0] ? c->db_socket : NULL,
	    0) == NULL) {
		log_warnx("connect to %s: %s",
		    c->db_socket[0] ? c->db_socket : c->db_host, mysql_error(my));
		mysql_close(my);
		return DB_ERR_GONE;
	}
	db->my = my;
	db->in_tx = 0;
	/* A version string longer than ours is cut; it is only shown. */
	if ((size_t)snprintf(db->version, sizeof(db->version), "%s",
	    mysql_get_server_info(my)) >= sizeof(db->version))
		memcpy(db->version + sizeof(db->version) - 4, "...", 4);
	return DB_OK;
}

static int
db_classify(unsigned int e)
{
	if (e == ER_DUP_ENTRY || e == ER_DUP_UNIQUE)
		return DB_ERR_DUP;
	if (e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT)
		return DB_ERR_BUSY;
	if (e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	    e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR ||
	    e == ER_CONNECTION_KILLED || e == CR_SERVER_LOST_EXTENDED)
		return DB_ERR_GONE;
	return DB_ERR;
}

static MYSQL_STMT *
db_prepare(struct db *db, const char *sql, int cacheable, int *status)
{
	MYSQL_STMT *st;
	unsigned i;

	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql ||
		    strcmp(db->cache[i].sql, sql) == 0)
			return db->cache[i].stmt;
	if ((st = mysql_stmt_init(db->my)) == NULL) {
		*status = DB_ERR;
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
		*status = db_classify(mysql_stmt_errno(st));
		log_warnx("prepare: %s", mysql_stmt_error(st));
		mysql_stmt_close(st);
		return NULL;
	}
	/* A full cache just stops caching: the statement is closed after use. */
	if (cacheable && db->ncache < DB_STMT_CACHE) {
		db->cache[db->ncache].sql = sql;
		db->cache[db->ncache].stmt = st;
		db->ncache++;
	}
	return st;
}

static int
db_is_cached(struct db *db, MYSQL_STMT *st)
{
	unsigned i;

	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].stmt == st)
			return 1;
	return 0;
}

struct db_param {
	long long	 ll;
	const char	*s;
	unsigned long	 len;
	my_bool		 isnull;
};

static int
db_bind_params(MYSQL_STMT *st, const char *types, va_list ap,
    struct db_param *p, MYSQL_BIND *b)
{
	size_t i, n = strlen(types);

	if (n > DB_MAX_PARAMS || n != mysql_stmt_param_count(st)) {
		log_warnx("parameter count mismatch (%zu given)", n);
		return -1;
	}
	memset(b, 0, sizeof(*b) * DB_MAX_PARAMS);
	for (i = 0; i < n; i++) {
		if (types[i] == 'i') {
			p[i].ll = va_arg(ap, long long);
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = &p[i].ll;
		} else if (types[i] == 's') {
			p[i].s = va_arg(ap, const char *);
			p[i].isnull = p[i].s == NULL;
			p[i].len = p[i].s ? (unsigned long)strlen(p[i].s) : 0;
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)(uintptr_t)p[i].s;
			b[i].buffer_length = p[i].len;
			b[i].length = &p[i].len;
			b[i].is_null = &p[i].isnull;
		} else {
			log_warnx("bad parameter type '%c'", types[i]);
			return -1;
		}
	}
	if (n > 0 && mysql_stmt_bind_param(st, b) != 0) {
		log_warnx("bind: %s", mysql_stmt_error(st));
		return -1;
	}
	return 0;
}

/* Copy every row of the executed statement into res as strings. */
static int
db_fetch_all(MYSQL_STMT *st, struct db_res *res)
{
	MYSQL_BIND *b = NULL, one;
	unsigned long *lens = NULL;
	my_bool *nulls = NULL;
	unsigned r, c, nc;
	size_t size;
	char *p;
	int rc = -1, f;

	/* The count, not the metadata: that would copy every field's names. */
	if ((nc = mysql_stmt_field_count(st)) == 0)
		return 0;	/* no result set */
	if (mysql_stmt_store_result(st) != 0)
		return -1;
	res->ncols = nc;
	res->nrows = (unsigned)mysql_stmt_num_rows(st);
	if (res->nrows > 0) {
		res->cell = calloc((size_t)res->nrows * nc, sizeof(char *));
		res->len = calloc((size_t)res->nrows * nc, sizeof(*res->len));
		res->rows = calloc(res->nrows, sizeof(char *));
	}
	b = calloc(nc, sizeof(*b));
	lens = calloc(nc, sizeof(*lens));
	nulls = calloc(nc, sizeof(*nulls));
	if (b == NULL || lens == NULL || nulls == NULL ||
	    (res->nrows > 0 && (res->cell == NULL || res->len == NULL ||
	    res->rows == NULL)))
		goto done;
	/* Bind no buffers: fetch reports lengths, fetch_column copies. */
	for (c = 0; c < nc; c++) {
		b[c].buffer_type = MYSQL_TYPE_STRING;
		b[c].length = &lens[c];
		b[c].is_null = &nulls[c];
	}
	if (mysql_stmt_bind_result(st, b) != 0)
		goto done;
	for (r = 0; r < res->nrows; r++) {
		f = mysql_stmt_fetch(st);
		if (f != 0 && f != MYSQL_DATA_TRUNCATED)
			goto done;
		/* One allocation per row rather than per cell. */
		for (size = 1, c = 0; c < nc; c++)
			size += nulls[c] ? 0 : lens[c] + 1;
		if ((p = res->rows[r] = malloc(size)) == NULL)
			goto done;
		for (c = 0; c < nc; c++) {
			size_t i = (size_t)r * nc + c;

			if (nulls[c])
				continue;
			res->cell[i] = p;
			p += lens[c] + 1;
			memset(&one, 0, sizeof(one));
			one.buffer_type = MYSQL_TYPE_STRING;
			one.buffer = res->cell[i];
			one.buffer_length = lens[c] + 1;
			one.length = &res->len[i];
			if (lens[c] > 0 &&
			    mysql_stmt_fetch_column(st, &one, c, 0) != 0)
				goto done;
			res->len[i] = lens[c];
			res->cell[i][lens[c]] = '\0';
		}
	}
	rc = 0;
done:
	mysql_stmt_free_result(st);
	free(b);
	free(lens);
	free(nulls);
	return rc;
}

static int
db_run(struct db *db, struct db_res **resp, const char *sql, int cacheable,
    const char *types, va_list ap)
{
	struct db_param p[DB_MAX_PARAMS];
	MYSQL_BIND b[DB_MAX_PARAMS];
	struct db_res *res;
	MYSQL_STMT *st;
	int status = DB_ERR;

	if ((status = db_connect(db)) != DB_OK)
		return status;
	if ((st = db_prepare(db, sql, cacheable, &status)) == NULL)
		return status;
	if (db_bind_params(st, types, ap, p, b) == -1) {
		status = DB_ERR;
		goto done;
	}
	if (mysql_stmt_execute(st) != 0) {
		status = db_classify(mysql_stmt_errno(st));
		if (status != DB_ERR_DUP)
			log_warnx("execute: %s", mysql_stmt_error(st));
		goto done;
	}
	if ((res = calloc(1, sizeof(*res))) == NULL)
		goto done;
	if (db_fetch_all(st, res) == -1) {
		status = db_classify(mysql_stmt_errno(st));
		log_warnx("fetch: %s", mysql_stmt_error(st));
		db_res_free(res);
		goto done;
	}
	res->affected = mysql_stmt_affected_rows(st);
	res->insert_id = mysql_stmt_insert_id(st);
	if (resp != NULL)
		*resp = res;
	else
		db_res_free(res);
	status = DB_OK;
done:
	if (!db_is_cached(db, st))
		mysql_stmt_close(st);
	return status;
}

static int
db_vexec(struct db *db, struct db_res **res, const char *sql, int cacheable,
    const char *types, va_list ap)
{
	va_list again;
	int status, in_tx = db->in_tx;

	if (res != NULL)
		*res = NULL;
	va_copy(again, ap);
	status = db_run(db, res, sql, cacheable, types, ap);
	if (status == DB_ERR_GONE) {
		/* The server went away: start afresh; retry if nothing was open. */
		db_disconnect(db);
		if (!in_tx) {
			status = db_run(db, res, sql, cacheable, types, again);
			if (status == DB_ERR_GONE)
				db_disconnect(db);
		}
	}
	va_end(again);
	/* A deadlock victim's transaction is gone: the caller starts over. */
	if (status == DB_ERR_BUSY)
		db->in_tx = 0;
	db->last = status;
	return status;
}

int
db_busy(const struct db *db)
{
	return db->last == DB_ERR_BUSY;
}

int
db_exec(struct db *db, struct db_res **res, const char *sql,
    const char *types, ...)
{
	va_list ap;
	int status;

	va_start(ap, types);
	status = db_vexec(db, res, sql, 1, types, ap);
	va_end(ap);
	return status;
}

void
db_res_free(struct db_res *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; res->rows != NULL && i < res->nrows; i++)
		free(res->rows[i]);
	free(res->rows);
	free(res->cell);
	free(res->len);
	free(res);
}

const char *
db_cell(const struct db_res *res, unsigned row, unsigned col)
{
	if (res == NULL || row >= res->nrows || col >= res->ncols)
		return NULL;
	return res->cell[(size_t)row * res->ncols + col];
}

long long
db_cell_ll(const struct db_res *res, unsigned row, unsigned col, long long def)
{
	const char *s = db_cell(res, row, col);
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return def;
	v = strtoll(s, &end, 10);
	return *end == '\0' ? v : def;
}

static int
db_simple(struct db *db, const char *sql)
{
	int status;

	if ((status = db_connect(db)) != DB_OK)
		return status;
	if (mysql_real_query(db->my, sql, (unsigned long)strlen(sql)) != 0) {
		status = db_classify(mysql_errno(db->my));
		log_warnx("%s: %s", sql, mysql_error(db->my));
		if (status == DB_ERR_GONE)
			db_disconnect(db);
		return status;
	}
	return DB_OK;
}

/*
 * Transaction control has no parameters and no input: plain statements.
 * (MariaDB cannot prepare some of them in every version.)
 */
int
db_begin(struct db *db)
{
	int status;

	if ((status = db_simple(db, "START TRANSACTION")) == DB_OK)
		db->in_tx = 1;
	return status;
}

/*
 * A transaction in which every plain read sees what is committed when it
 * runs, not a snapshot from the first one: for counting again after taking
 * a lock (routing).  The level applies to the next transaction only.
 */
int
db_begin_fresh(struct db *db)
{
	int status;

	if ((status = db_simple(db,
	    "SET TRANSACTION ISOLATION LEVEL READ COMMITTED")) != DB_OK)
		return status;
	return db_begin(db);
}

int
db_commit(struct db *db)
{
	int status = db_simple(db, "COMMIT");

	db->in_tx = 0;
	return status;
}

void
db_rollback(struct db *db)
{
	if (db->my != NULL)
		(void)db_simple(db, "ROLLBACK");
	db->in_tx = 0;
}

int
db_savepoint(struct db *db)
{
	return db_simple(db, "SAVEPOINT s");
}

int
db_rollback_savepoint(struct db *db)
{
	return db_simple(db, "ROLLBACK TO SAVEPOINT s");
}

const char *
db_server_version(struct db *db)
{
	return db->version;
}

int
db_probe(struct db *db)
{
	struct db_res *res;
	int st;

	/* A round trip, not only a connection that once worked. */
	if ((st = db_exec(db, &res, "SELECT 1", "")) == DB_OK)
		db_res_free(res);
	return st;
}

static int
db_vexec_none(struct db *db, struct db_res **res, const char *sql, ...)
{
	va_list ap;
	int status;

	va_start(ap, sql);
	status = db_vexec(db, res, sql, 0, "", ap);
	va_end(ap);
	return status;
}

int
db_exec_plain(struct db *db, const char *sql)
{
	struct db_res *res = NULL;
	int status;

	status = db_vexec_none(db, &res, sql);
	db_res_free(res);
	return status;
}
