#!/usr/bin/env bash
# run.sh - the integration suite: a private MariaDB, pushd, a web server
# (WEB: lighttpd, the default, apache, apache-proxy-fcgi or nginx; see
# tools/stack-lib.sh) and the FastCGI API on a free port in a temp dir,
# then Node's test runner over tests/integration/*.test.mjs (ITESTS: those
# files only) and tests/browser/*.test.mjs.  Everything is torn down on
# exit.
set -eu

SRC=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${abs_top_builddir:-$SRC/build}
# shellcheck source=tools/stack-lib.sh
. "$SRC/tools/stack-lib.sh"

TMP=$(mktemp -d /tmp/chat-it.XXXXXX)
cleanup() {
	stack_stop
	stack_stop_state "$TMP"
	if [ "${KEEP_TMP:-}" = 1 ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Sanitizer reports of every program started below land in $TMP/asan.*.
export ASAN_OPTIONS="log_path=$TMP/asan:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$TMP/ubsan:print_stacktrace=1"

# The real Socket.IO client, ws and playwright-core, from npm
# (tests/package-lock.json pins them), installed in the build tree: the
# source tree may be read-only (make distcheck).  ESM resolves bare imports
# from the importing file's directory (NODE_PATH does not apply), so the
# test files run from a copy beside node_modules, staged anew on each run
# with their layout kept (browser/ imports ../integration/lib.mjs); what
# they read of the source tree they find through abs_top_srcdir.
JS=$BUILD/tests/js
mkdir -p "$JS"
if [ ! -d "$JS/node_modules/socket.io-client" ] ||
    ! cmp -s "$SRC/tests/package-lock.json" "$JS/package-lock.json" ||
    ! cmp -s "$SRC/tests/package.json" "$JS/package.json"; then
	rm -f "$JS/package.json" "$JS/package-lock.json"
	cp "$SRC/tests/package.json" "$SRC/tests/package-lock.json" "$JS/"
	(cd "$JS" && npm ci --no-audit --no-fund --no-update-notifier --loglevel=error) ||
	    stack_die "npm ci failed (in $JS)"
fi
rm -rf "$JS/integration" "$JS/browser"
mkdir -p "$JS/integration" "$JS/browser"
cp "$SRC"/tests/integration/*.mjs "$JS/integration/"
cp "$SRC"/tests/browser/*.mjs "$JS/browser/"

"$SRC/tools/build-www.sh" || stack_die "building the web pages failed"

# A private Redis for the cluster tests (cluster.test.mjs starts two pushd
# nodes on it); CLUSTER=0, or no redis-server, runs without.  The stack's
# own pushd stays a single node (PUSHD_ENV), as without a cluster; the
# FastCGI side, which reads the same chat.conf, publishes to Redis and
# falls back to the datagram when no node hears it, so that pushd is told
# either way.
CLUSTER_INI=""
REDIS_PORT=""
if [ "${CLUSTER:-1}" != 0 ] && command -v redis-server >/dev/null; then
	redis_start "$TMP"
	CLUSTER_INI="cluster = redis://127.0.0.1:$REDIS_PORT"
	export PUSHD_ENV="CHAT_PUSHD_CLUSTER="
fi

# Cheap Argon2id parameters keep the suite fast; production uses defaults.
stack_private "$BUILD" "$SRC" "$TMP" "
[db]
connect_timeout = 2
read_timeout = 2
write_timeout = 2

[auth]
argon2_ops = 1
argon2_mem_kib = 8192
login_max_failures = 5
login_max_failures_ip = 100
login_window = 900
login_backoff = 60
register_per_hour = 30

[pushd]
max_sockets_per_address = 100
# Snoozes end within 0.2 s of their time (workflow.test.mjs).
wake_interval = 200
$CLUSTER_INI

[upload]
max_image = 1048576
max_video = 2097152
max_audio = 1048576
daily_bytes = 4194304

[limits]
max_json_body = 65536
max_message_length = 4000"
pushd_start "$BUILD" "$TMP"
# Under Apache, a second site where only .htaccess files configure the
# API, as on shared hosting (htaccess.test.mjs fills its document root).
case ${WEB:-lighttpd} in
apache*)
	HTACCESS_PORT=$(stack_free_port)
	mkdir -p "$TMP/htdocs"
	cat >"$TMP/apache-extra-htaccess.conf" <<EOF2
Listen 127.0.0.1:$HTACCESS_PORT
<VirtualHost *:$HTACCESS_PORT>
    DocumentRoot "$TMP/htdocs"
    <Directory "$TMP/htdocs">
        Options FollowSymLinks
        AllowOverride All
        Require all granted
    </Directory>
</VirtualHost>
EOF2
	export HTACCESS_URL="http://127.0.0.1:$HTACCESS_PORT"
	;;
esac
web_start "$BUILD" "$SRC" "$TMP" "$PORT"
wait_health "http://127.0.0.1:$PORT/api/v1/health"

export BASE_URL="http://127.0.0.1:$PORT"
export STATE_DIR="$TMP"
export CHATADM="$BUILD/tools/chatadm"
export CHAT_CONF="$TMP/chat.conf"
export MARIADB_SOCK PUSHD_PORT REDIS_PORT
# The fault tests stop and start services with ctl.sh.
export abs_top_srcdir="$SRC" abs_top_builddir="$BUILD"
export STACK_CTL="$SRC/tests/integration/ctl.sh"
rc=0
# lib/'s access rule against this database, as cgi/ and pushd/ call it.
"$BUILD/tests/unit/check_rules" "$TMP/chat.conf" || rc=$?
export SCREENSHOT_DIR="$BUILD/tests/browser/screenshots"
# One file at a time; a file whose tests are done exits even if a client
# it left behind would keep it alive (the run must end), and a test that
# hangs fails after 10 minutes instead of holding CI to its limit.
NODE_TEST_OPTS="--test-concurrency=1 --test-force-exit --test-timeout=600000"
# The HTTP and socket tests first (some read the demo data as loaded), then
# the browser walk through the seven flows.  node sorts the files it is
# given, hence two runs.
# ITESTS names a subset: paths of the source tree's (or the staged) test
# files, paths relative to tests/ (integration/x.test.mjs), or bare names
# (x.test.mjs, x).
staged() {
	local t=$1 abs js src
	# abs_top_srcdir may be /x/build/.. : compare resolved paths.
	js=$(cd "$JS" && pwd -P)
	src=$(cd "$SRC" && pwd -P)
	case $t in
	*/*)	if [ -f "$t" ]; then
			abs=$(cd "$(dirname "$t")" && pwd -P)/$(basename "$t")
			case $abs in
			"$js"/*) echo "$JS/${abs#"$js"/}"; return 0 ;;
			"$src"/tests/*) echo "$JS/${abs#"$src"/tests/}"; return 0 ;;
			esac
		fi
		[ -f "$JS/${t#tests/}" ] && { echo "$JS/${t#tests/}"; return 0; } ;;
	*)	for abs in "$JS/integration/$t" "$JS/browser/$t" \
		    "$JS/integration/$t.test.mjs" "$JS/browser/$t.test.mjs"; do
			[ -f "$abs" ] && { echo "$abs"; return 0; }
		done ;;
	esac
	stack_die "ITESTS: no test file $t"
}
if [ -n "${ITESTS:-}" ]; then
	tests=""
	for t in $ITESTS; do tests="$tests $(staged "$t")" || exit 1; done
	# shellcheck disable=SC2086
	node --test $NODE_TEST_OPTS $tests || rc=$?
else
	node --test $NODE_TEST_OPTS "$JS"/integration/*.test.mjs || rc=$?
	node --test $NODE_TEST_OPTS "$JS"/browser/*.test.mjs || rc=$?
fi

# Stop the services first: leak reports are written when programs exit.
stack_stop
stack_stop_state "$TMP"
for _ in $(seq 50); do
	pgrep -f "$BUILD/cgi/api.fcgi" >/dev/null || break
	sleep 0.1
done
# No secret, password or token may reach a log.
if grep -rqF -e "$(cat "$TMP/jwt.secret")" -e "$(cat "$TMP/db.password")" \
    -e support-demo-1 -e user-demo-1 -e user-demo-2 "$TMP/log" ||
    grep -rqE 'eyJ[A-Za-z0-9_-]{8,}\.eyJ' "$TMP/log"; then
	echo "a secret, password or token was logged:" >&2
	grep -rnE 'eyJ|demo-' "$TMP/log" | head -5 >&2
	rc=1
fi
for f in "$TMP"/asan.* "$TMP"/ubsan.*; do
	[ -e "$f" ] || continue
	echo "sanitizer report $f:" >&2
	cat "$f" >&2
	rc=1
done
if [ $rc != 0 ]; then
	echo "--- ${WEB:-lighttpd}/api log" >&2
	tail -50 "$(web_log "$TMP")" >&2 || true
fi
exit $rc
