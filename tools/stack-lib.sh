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
 libev-dev libhiredis-dev libsodium-dev libcurl4-openssl-dev libvips-dev check lighttpd nodejs npm curl"
# Only the test suite needs these: the fuzzers' compiler, the browser the
# dashboard tests drive (Debian's, never a downloaded one), a Devanagari
# font for its Hindi screens and libvips's command line tools, which make
# the test images of images.test.mjs, and the Redis of the cluster tests
# (cluster.test.mjs: two pushd nodes).
STACK_TEST_PKGS="clang libclang-rt-14-dev chromium fonts-lohit-deva libvips-tools
 redis-server"
# The other web servers the stack runs under (WEB=...); the test suite runs
# under each of them.
STACK_APACHE_PKGS="apache2 libapache2-mod-fcgid spawn-fcgi"
STACK_NGINX_PKGS="nginx spawn-fcgi"

STACK_PIDS=""

stack_log() { printf '%s\n' "stack: $*" >&2; }
stack_die() { stack_log "error: $*"; exit 1; }

# Install the Debian packages that are missing (needs root for apt-get);
# with "test", the test suite's too.
stack_install_deps() {
	local missing="" p pkgs=$STACK_PKGS
	case ${1:-} in
	test)	pkgs="$pkgs $STACK_TEST_PKGS $STACK_APACHE_PKGS $STACK_NGINX_PKGS" ;;
	esac
	case ${WEB:-lighttpd} in
	apache*) pkgs="$pkgs $STACK_APACHE_PKGS" ;;
	nginx)	pkgs="$pkgs $STACK_NGINX_PKGS" ;;
	esac
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
	# The packages' own services (MariaDB, Apache, nginx on port 80) are
	# not ours: keep them from starting while they install, or nginx's
	# would fail on the port Apache's just took.
	local policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
	fi
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >/dev/null || {
		[ -n "$policy" ] && rm -f "$policy"
		stack_die "apt-get install failed"
	}
	[ -n "$policy" ] && rm -f "$policy"
	return 0
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
	local state=$1 pid pids web
	pids=$(stack_pushd_pids "$state")
	[ -s "$state/run/api.pid" ] && pids="$pids $(cat "$state/run/api.pid")"
	# A web server's workers outlive a parent killed with -9 (Apache's hold
	# proxied WebSockets): every process of its config goes, at once, as
	# they hold nothing to save.
	web=$(pgrep -f -- "-f $state/apache.conf|-c $state/nginx.conf" || true)
	# shellcheck disable=SC2086
	[ -n "$web" ] && kill -9 $web 2>/dev/null
	[ -s "$state/run/mysqld.pid" ] && pids="$pids $(cat "$state/run/mysqld.pid")"
	[ -s "$state/run/redis.pid" ] && pids="$pids $(cat "$state/run/redis.pid")"
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
base_url = ${UPLOAD_BASE_URL-http://127.0.0.1:$port}

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

# redis_start STATE [PORT]: a private Redis for a cluster of pushd nodes
# on 127.0.0.1:PORT (a free one if none; redis refuses port 0), nothing
# saved, its files under STATE/redis; PORT in STATE/run/redis.port.  Sets
# REDIS_PORT.
redis_start() {
	local state=$1 port=${2:-} server
	server=$(command -v redis-server || echo /usr/bin/redis-server)
	[ -x "$server" ] || stack_die "redis-server not found (package redis-server)"
	[ -n "$port" ] || port=$(stack_free_port)
	mkdir -p "$state/redis" "$state/run" "$state/log"
	"$server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
	    --dir "$state/redis" --pidfile "$state/run/redis.pid" \
	    --logfile "$state/log/redis.log" --daemonize no &
	stack_bg $!
	for _ in $(seq 100); do
		[ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ] && {
			REDIS_PORT=$port
			echo "$port" >"$state/run/redis.port"
			return 0
		}
		sleep 0.1
	done
	stack_die "redis did not start (see $state/log/redis.log)"
}

# pushd_start BUILD STATE: the push daemon on pushd.port of STATE/chat.conf,
# with PUSHD_ENV's settings (VAR=value words) in its environment.
pushd_start() {
	local build=$1 state=$2 port
	port=$(sed -n 's/^port = //p' "$state/chat.conf" | tail -1)
	# shellcheck disable=SC2086
	env ${PUSHD_ENV:-} "$build/pushd/pushd" -c "$state/chat.conf" \
	    -l "$state/log/pushd.log" &
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
	mkdir -p "$state/run" "$state/log" "$state/cache/deflate"
	sed -e "s|@SRC@|$src|g" -e "s|@BUILD@|$build|g" -e "s|@STATE@|$state|g" \
	    -e "s|@PORT@|$port|g" -e "s|@BIND@|$bind|g" -e "s|@PROCS@|$procs|g" \
	    -e "s|@PUSHD_PORT@|$pushd_port|g" \
	    "$src/tools/lighttpd.conf.in" >"$state/lighttpd.conf"
	"$lighttpd" -tt -f "$state/lighttpd.conf" >/dev/null ||
	    stack_die "lighttpd rejects $state/lighttpd.conf"
	"$lighttpd" -D -f "$state/lighttpd.conf" &
	stack_bg $!
}

# The web servers other than lighttpd, and the FastCGI processes that
# Apache's mod_proxy_fcgi and nginx connect to.  Run as root, Apache and
# nginx serve as www-data (Apache refuses to serve as root), and so do the
# API processes, as on a real install: stack_share_state lets that user
# reach what it needs of the state directory.
stack_web_user() {
	[ "$(id -u)" = 0 ] && echo www-data
	return 0
}

# stack_share_state STATE: when the web server runs as another user, give
# its group the state directory, run/ (setgid: pushd's and MariaDB's
# sockets, made again at each start, inherit the group), log/, the uploads
# and the files the API reads.
stack_share_state() {
	local state=$1 user d f
	user=$(stack_web_user)
	[ -n "$user" ] || return 0
	for d in "$state" "$state/run" "$state/log" "$state/uploads" \
	    "$state/uploads/chat" "$state/uploads/tmp"; do
		chgrp "$user" "$d" && chmod 2770 "$d" ||
		    stack_die "cannot share $d with $user"
	done
	for f in "$state/chat.conf" "$state/jwt.secret" "$state/run/pushd.sock"; do
		[ -e "$f" ] || continue
		chgrp "$user" "$f" && chmod g+rw "$f" ||
		    stack_die "cannot share $f with $user"
	done
}

# web_conf SRC BUILD STATE PORT BIND TEMPLATE: TEMPLATE with the stack's
# paths and ports filled in, on stdout.
web_conf() {
	local src=$1 build=$2 state=$3 port=$4 bind=$5 template=$6 pushd_port user
	pushd_port=$(sed -n 's/^port = //p' "$state/chat.conf" | tail -1)
	user=$(stack_web_user)
	sed -e "s|@SRC@|$src|g" -e "s|@BUILD@|$build|g" -e "s|@STATE@|$state|g" \
	    -e "s|@WWW@|$src/www|g" -e "s|@UPLOADS@|$state/uploads/chat|g" \
	    -e "s|@API@|$build/cgi/api.fcgi|g" -e "s|@API_SOCK@|$state/run/api.sock|g" \
	    -e "s|@CONF@|$state/chat.conf|g" -e "s|@MAX_BODY@|54525952|g" \
	    -e "s|@PORT@|$port|g" -e "s|@BIND@|$bind|g" \
	    -e "s|@PROCS@|${API_PROCS:-4}|g" -e "s|@PUSHD_PORT@|$pushd_port|g" \
	    -e "s|@PATH@|$PATH|g" -e "s|@ASAN_OPTIONS@|${ASAN_OPTIONS:-}|g" \
	    -e "s|@UBSAN_OPTIONS@|${UBSAN_OPTIONS:-}|g" \
	    -e "s|@USER@|${user:+User $user}|" -e "s|@GROUP@|${user:+Group $user}|" \
	    -e "s|^@NGINX_USER@|${user:+user $user $user;}|" \
	    "$src/tools/web/$template"
}

# api_spawn BUILD STATE: API_PROCS (4) FastCGI processes under spawn-fcgi
# on STATE/run/api.sock, for Apache's mod_proxy_fcgi and nginx.
api_spawn() {
	local build=$1 state=$2 user pid
	local -a as=()
	user=$(stack_web_user)
	[ -n "$user" ] && as=(-u "$user" -g "$user" -U "$user" -G "$user")
	rm -f "$state/run/api.sock" "$state/run/api.pid"
	CHAT_CONF=$state/chat.conf spawn-fcgi -s "$state/run/api.sock" -M 0660 \
	    "${as[@]}" -F "${API_PROCS:-4}" -P "$state/run/api.pid" \
	    -- "$build/cgi/api.fcgi" >>"$state/log/spawn-fcgi.log" 2>&1 ||
	    stack_die "spawn-fcgi failed (see $state/log/spawn-fcgi.log)"
	for pid in $(cat "$state/run/api.pid"); do stack_bg "$pid"; done
}

# apache_start MODE BUILD SRC STATE PORT [BIND]: a private Apache;
# MODE fcgid (Apache starts api.fcgi) or proxy-fcgi (api_spawn's processes).
apache_start() {
	local mode=$1 build=$2 src=$3 state=$4 port=$5 bind=${6:-127.0.0.1}
	local apache2 def=""
	apache2=$(command -v apache2 || echo /usr/sbin/apache2)
	mkdir -p "$state/run/fcgid" "$state/log"
	stack_share_state "$state"
	[ -n "$(stack_web_user)" ] && chown "$(stack_web_user)" "$state/run/fcgid"
	case $mode in
	fcgid)	def="-D CHAT_FCGID" ;;
	proxy-fcgi) api_spawn "$build" "$state" ;;
	*)	stack_die "apache_start: mode $mode" ;;
	esac
	web_conf "$src" "$build" "$state" "$port" "$bind" apache-site.conf.in \
	    >"$state/apache-site.conf"
	web_conf "$src" "$build" "$state" "$port" "$bind" apache-stack.conf.in \
	    >"$state/apache.conf"
	# shellcheck disable=SC2086
	"$apache2" -f "$state/apache.conf" $def -t >"$state/log/apache-t.log" 2>&1 || {
		cat "$state/log/apache-t.log" >&2
		stack_die "apache rejects $state/apache.conf"
	}
	# shellcheck disable=SC2086
	"$apache2" -f "$state/apache.conf" $def -DFOREGROUND &
	stack_bg $!
}

# nginx_start BUILD SRC STATE PORT [BIND]: a private nginx in front of
# api_spawn's processes.
nginx_start() {
	local build=$1 src=$2 state=$3 port=$4 bind=${5:-127.0.0.1} nginx
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	mkdir -p "$state/log"
	stack_share_state "$state"
	api_spawn "$build" "$state"
	web_conf "$src" "$build" "$state" "$port" "$bind" nginx-site.conf.in \
	    >"$state/nginx-site.conf"
	web_conf "$src" "$build" "$state" "$port" "$bind" nginx-stack.conf.in \
	    >"$state/nginx.conf"
	"$nginx" -q -t -c "$state/nginx.conf" -p "$state" -e "$state/log/nginx.error.log" ||
	    stack_die "nginx rejects $state/nginx.conf"
	"$nginx" -c "$state/nginx.conf" -p "$state" -e "$state/log/nginx.error.log" &
	stack_bg $!
}

# web_start BUILD SRC STATE PORT [BIND]: the web server WEB names:
# lighttpd (the default), apache (mod_fcgid), apache-proxy-fcgi
# (mod_proxy_fcgi + spawn-fcgi) or nginx (+ spawn-fcgi).
web_start() {
	case ${WEB:-lighttpd} in
	lighttpd) lighttpd_start "$@" ;;
	apache)	apache_start fcgid "$@" ;;
	apache-proxy-fcgi) apache_start proxy-fcgi "$@" ;;
	nginx)	nginx_start "$@" ;;
	*)	stack_die "WEB=$WEB: one of lighttpd, apache, apache-proxy-fcgi, nginx" ;;
	esac
}

# web_log STATE: the web server's error log (where the API's stderr goes).
web_log() {
	case ${WEB:-lighttpd} in
	lighttpd) echo "$1/log/lighttpd.error.log" ;;
	apache) echo "$1/log/apache.error.log" ;;
	apache-proxy-fcgi) echo "$1/log/spawn-fcgi.log" ;;
	nginx)	echo "$1/log/spawn-fcgi.log" ;;
	esac
}

# wait_health URL: until GET URL answers 200 (30 s at most).
wait_health() {
	for _ in $(seq 300); do
		curl -fs -o /dev/null "$1" && return 0
		sleep 0.1
	done
	stack_die "$1 did not answer 200"
}
