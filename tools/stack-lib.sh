# stack-lib.sh - start and stop the parts of the stack; sourced by
# tools/stack.sh (the one-command stack) and tests/integration/run.sh (the
# test harness), so both run the very same services the same way.
#
# Every service is private: its data, sockets, pid files and logs live under
# one state directory; nothing of the system's (/etc/mysql, /run/mysqld,
# port 3306) is used.

# libwebsockets-evlib-ev is the plugin lws loads at run time for pushd's
# libev loop: the -dev package pulls it in, a run-time install would not.
STACK_PKGS="build-essential autoconf automake libtool pkg-config make
 libfcgi-dev libfcgi-bin libmariadb-dev mariadb-server mariadb-client
 libjson-c-dev libjwt-dev libwebsockets-dev libwebsockets-evlib-ev
 libev-dev libsodium-dev check lighttpd nodejs npm curl"
# Only the test suite needs these: the fuzzers' compiler, the browser the
# dashboard tests drive (Debian's, never a downloaded one) and a Devanagari
# font for its Hindi screens.
STACK_TEST_PKGS="clang libclang-rt-14-dev chromium fonts-lohit-deva"

STACK_PIDS=""

stack_log() { printf '%s\n' "stack: $*" >&2; }
stack_die() { stack_log "error: $*"; exit 1; }

# Install the Debian packages that are missing (needs root for apt-get);
# with "test", the test suite's too.
stack_install_deps() {
	local missing="" p pkgs=$STACK_PKGS
	[ "${1:-}" = test ] && pkgs="$pkgs $STACK_TEST_PKGS"
	for p in $pkgs; do
		# node may come from elsewhere than Debian's nodejs package.
		if [ "$p" = nodejs ] || [ "$p" = npm ]; then
			command -v "${p%js}" >/dev/null 2>&1 && continue
			[ "$p" = nodejs ] && command -v node >/dev/null && continue
		fi
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		stack_die "missing packages:$missing (run as root, or apt-get install them)"
	fi
	stack_log "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || stack_die "apt-get update failed"
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >/dev/null ||
	    stack_die "apt-get install failed"
}

# stack_build SRCDIR BUILDDIR [configure args...]: a VPATH build.
stack_build() {
	local src=$1 build=$2
	shift 2
	if [ ! -x "$src/configure" ] || [ "$src/configure.ac" -nt "$src/configure" ]; then
		(cd "$src" && autoreconf -fi >/dev/null 2>&1) || stack_die "autoreconf failed"
	fi
	mkdir -p "$build"
	if [ ! -f "$build/Makefile" ] || [ "$src/configure" -nt "$build/Makefile" ]; then
		(cd "$build" && "$src/configure" --quiet "$@") || stack_die "configure failed"
	fi
	make -C "$build" -j"$(nproc)" >/dev/null || {
		make -C "$build" 2>&1 | tail -30
		stack_die "build failed"
	}
	"$src/tools/build-www.sh" || stack_die "building the web pages failed"
}

stack_free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

stack_bg() { STACK_PIDS="$STACK_PIDS $1"; }

# Stop everything started here, newest first.
stack_stop() {
	local p pids=""
	for p in $STACK_PIDS; do pids="$p $pids"; done
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null || true
	done
	STACK_PIDS=""
	return 0
}

# stack_pushd_pids STATE: the pushd processes serving STATE/chat.conf.
stack_pushd_pids() {
	pgrep -f "/pushd/pushd -c $1/chat.conf" || true
}

# stack_stop_state STATE: stop what was started for STATE outside this
# shell (the fault tests restart pushd and MariaDB): pushd, then MariaDB.
stack_stop_state() {
	local state=$1 pid pids
	pids=$(stack_pushd_pids "$state")
	[ -s "$state/run/mysqld.pid" ] && pids="$pids $(cat "$state/run/mysqld.pid")"
	for pid in $pids; do
		kill "$pid" 2>/dev/null || continue
		for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	done
	return 0
}

# mariadb_start STATE: a private server on STATE/run/mysqld.sock (extra
# server options in MARIADB_OPTS) with a
# database "chat" and a user "chat" whose password is kept in
# STATE/db.password.  Sets MARIADB_SOCK.
mariadb_start() {
	local state=$1 data=$1/mysql sock=$1/run/mysqld.sock pw
	local installdb mariadbd admin
	# The database's administrator is the OS user running it (unix_socket
	# authentication, --auth-root-socket-user): root, or an unprivileged
	# user (make distcheck), who has no access to MariaDB's root account.
	admin=$(id -un)
	MARIADB_SOCK=$sock
	mkdir -p "$state/run" "$state/log"
	installdb=$(command -v mariadb-install-db || echo /usr/bin/mariadb-install-db)
	mariadbd=$(command -v mariadbd || echo /usr/sbin/mariadbd)
	if [ ! -d "$data/mysql" ]; then
		"$installdb" --no-defaults --user="$(id -un)" --datadir="$data" \
		    --auth-root-authentication-method=socket \
		    --auth-root-socket-user="$(id -un)" --skip-test-db \
		    >"$state/log/mariadb-install.log" 2>&1 ||
		    stack_die "mariadb-install-db failed (see $state/log/mariadb-install.log)"
	fi
	"$mariadbd" --no-defaults --user="$(id -un)" --datadir="$data" \
	    --socket="$sock" --pid-file="$state/run/mysqld.pid" \
	    --skip-networking --log-error="$state/log/mariadb.log" \
	    --innodb-buffer-pool-size=64M --innodb-log-file-size=32M \
	    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
	    --max-connections=200 ${MARIADB_OPTS:-} &
	stack_bg $!
	for _ in $(seq 100); do
		mariadb --no-defaults -u"$admin" --socket="$sock" -e 'SELECT 1' \
		    >/dev/null 2>&1 && break
		sleep 0.1
	done
	mariadb --no-defaults -u"$admin" --socket="$sock" -e 'SELECT 1' >/dev/null 2>&1 ||
	    stack_die "mariadb did not start (see $state/log/mariadb.log)"
	if [ ! -s "$state/db.password" ]; then
		(umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=\n' >"$state/db.password")
	fi
	pw=$(cat "$state/db.password")
	mariadb --no-defaults -u"$admin" --socket="$sock" <<SQL || stack_die "database set-up failed"
CREATE DATABASE IF NOT EXISTS chat CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'chat'@'localhost' IDENTIFIED BY '$pw';
ALTER USER 'chat'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON chat.* TO 'chat'@'localhost';
SQL
}

# write_conf STATE PORT PUSHD_PORT [extra ini lines]: STATE/chat.conf for
# every program.
write_conf() {
	local state=$1 port=$2 pushd_port=$3 extra=${4:-}
	mkdir -p "$state/uploads/chat" "$state/uploads/tmp"
	(umask 077; cat >"$state/chat.conf" <<EOF2
# Written by tools/stack-lib.sh; see docs/configuration.md.
[db]
socket = $state/run/mysqld.sock
user = chat
password = $(cat "$state/db.password")
name = chat

[jwt]
secret_file = $state/jwt.secret

[upload]
dir = $state/uploads
base_url = http://127.0.0.1:$port

[pushd]
socket = $state/run/pushd.sock
listen = 127.0.0.1
port = $pushd_port
$extra
EOF2
	)
}

# app_init BUILD SRC STATE: secret, schema, demo data.
app_init() {
	local build=$1 src=$2 state=$3 adm="$1/tools/chatadm -c $3/chat.conf"
	$adm secret >/dev/null || stack_die "cannot create the JWT secret"
	$adm migrate "$src/sql" || stack_die "migration failed"
	$adm demo || stack_die "demo data failed"
}

# stack_private BUILD SRC STATE [extra ini lines]: for a test or benchmark
# run, a private MariaDB with the schema and demo data, and STATE/chat.conf
# naming free ports for lighttpd (PORT) and pushd (PUSHD_PORT).
stack_private() {
	local build=$1 src=$2 state=$3 extra=${4:-}
	PORT=$(stack_free_port)
	PUSHD_PORT=$(stack_free_port)
	mariadb_start "$state"
	write_conf "$state" "$PORT" "$PUSHD_PORT" "$extra"
	app_init "$build" "$src" "$state" >/dev/null
}

# pushd_start BUILD STATE: the push daemon on pushd.port of STATE/chat.conf.
pushd_start() {
	local build=$1 state=$2 port
	port=$(sed -n 's/^port = //p' "$state/chat.conf" | tail -1)
	"$build/pushd/pushd" -c "$state/chat.conf" -l "$state/log/pushd.log" &
	stack_bg $!
	for _ in $(seq 100); do
		curl -fs -o /dev/null "http://127.0.0.1:$port/socket.io/?EIO=4&transport=polling" &&
		    return 0
		sleep 0.1
	done
	tail -20 "$state/log/pushd.log" >&2
	stack_die "pushd did not start (see $state/log/pushd.log)"
}

# lighttpd_start BUILD SRC STATE PORT [BIND]: www/, /uploads/chat/ and the
# API on PORT; /socket.io/ to pushd.
lighttpd_start() {
	local build=$1 src=$2 state=$3 port=$4 bind=${5:-127.0.0.1}
	local pushd_port
	pushd_port=$(sed -n 's/^port = //p' "$state/chat.conf" | tail -1)
	local lighttpd procs=${API_PROCS:-4}
	lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
	mkdir -p "$state/run" "$state/log"
	sed -e "s|@SRC@|$src|g" -e "s|@BUILD@|$build|g" -e "s|@STATE@|$state|g" \
	    -e "s|@PORT@|$port|g" -e "s|@BIND@|$bind|g" -e "s|@PROCS@|$procs|g" \
	    -e "s|@PUSHD_PORT@|$pushd_port|g" \
	    "$src/tools/lighttpd.conf.in" >"$state/lighttpd.conf"
	"$lighttpd" -tt -f "$state/lighttpd.conf" >/dev/null ||
	    stack_die "lighttpd rejects $state/lighttpd.conf"
	"$lighttpd" -D -f "$state/lighttpd.conf" &
	stack_bg $!
}

# wait_health URL: until GET URL answers 200 (30 s at most).
wait_health() {
	for _ in $(seq 300); do
		curl -fs -o /dev/null "$1" && return 0
		sleep 0.1
	done
	stack_die "$1 did not answer 200"
}
