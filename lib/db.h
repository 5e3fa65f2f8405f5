/*
 * db.h - MariaDB through prepared statements only.
 *
 * db_exec() prepares (once per connection: statements are cached by their
 * SQL text), binds the parameters described by a type string and returns
 * every row as strings:
 *
 *	db_exec(db, &res, "SELECT name FROM users WHERE id = ?", "i", id);
 *
 * Types: 'i' long long, 's' const char * (NULL binds SQL NULL).  The result
 * (rows, affected rows, insert id) is owned by the caller: db_res_free().
 * A lost connection is reopened and the statement retried once, unless a
 * transaction was open: then the caller gets DB_ERR_GONE and must start over.
 */
#ifndef CHAT_DB_H
#define CHAT_DB_H

#include "config.h"

struct db;

struct db_res {
	unsigned		 nrows;
	unsigned		 ncols;
	char			**cell;	/* nrows * ncols; NULL is SQL NULL */
	unsigned long		*len;
	char			**rows;	/* one block per row holds its cells */
	unsigned long long	 affected;
	unsigned long long	 insert_id;
};

enum db_status {
	DB_OK = 0,
	DB_ERR = -1,		/* any other failure (logged) */
	DB_ERR_DUP = -2,	/* duplicate key (ER_DUP_ENTRY) */
	DB_ERR_GONE = -3,	/* connection lost or server unreachable */
	DB_ERR_BUSY = -4	/* deadlock or lock wait timeout: the server
				   rolled the transaction back; run it again */
};

struct db	*db_new(const struct config *cfg);
void		 db_free(struct db *db);
/* Connect now if not connected; DB_OK or DB_ERR_GONE. */
int		 db_connect(struct db *db);
int		 db_exec(struct db *db, struct db_res **res, const char *sql,
		    const char *types, ...);
void		 db_res_free(struct db_res *res);
const char	*db_cell(const struct db_res *res, unsigned row, unsigned col);
/* The cell as an integer; def when NULL or not a number. */
long long	 db_cell_ll(const struct db_res *res, unsigned row, unsigned col,
		    long long def);
int		 db_begin(struct db *db);
/* The same, READ COMMITTED: each read sees the latest commits. */
int		 db_begin_fresh(struct db *db);
int		 db_commit(struct db *db);
void		 db_rollback(struct db *db);
/* One savepoint inside a transaction, and going back to it. */
int		 db_savepoint(struct db *db);
int		 db_rollback_savepoint(struct db *db);
const char	*db_server_version(struct db *db);
/* 1 if the last statement failed with DB_ERR_BUSY. */
int		 db_busy(const struct db *db);
/* DB_OK if the server answers a query now (health checks). */
int		 db_probe(struct db *db);
/* Run one statement with no parameters and no result (migrations). */
int		 db_exec_plain(struct db *db, const char *sql);

#endif
