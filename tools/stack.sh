#!/usr/bin/env bash
# stack.sh - the whole stack in one command, and the whole test suite.
#
#   tools/stack.sh up     install what is missing, build, start MariaDB,
#                         pushd, a web server + the API with demo data;
#                         foreground; Ctrl-C stops everything.
#   tools/stack.sh test   install what is missing, build, run `make check`
#                         in a normal and in an ASan+UBSan build, and a short
#                         fuzzing smoke run.
#
# Environment: WEB (lighttpd; apache: mod_fcgid; apache-proxy-fcgi:
# mod_proxy_fcgi + spawn-fcgi; nginx: + spawn-fcgi), PUSHD (1; 0: no push
# daemon, the shared-hosting shape), PORT (8080), STATE_DIR (./var), BIND (127.0.0.1),
# PUSHD_PORT (PORT+1, loopback only), API_PROCS (4), FUZZ_TIME (seconds per fuzz target in `test`, 20).
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/stack-lib.sh
. "$SRC/tools/stack-lib.sh"

stack_up() {
	local port=${PORT:-8080} state=${STATE_DIR:-$SRC/var} live
	mkdir -p "$state"
	state=$(cd "$state" && pwd)
	stack_install_deps
	stack_build "$SRC" "$SRC/build"
	STACK_STATE=$state
	trap 'stack_stop; stack_stop_state "$STACK_STATE"' EXIT
	trap 'exit 130' INT TERM
	mariadb_start "$state"
	write_conf "$state" "$port" "${PUSHD_PORT:-$((port + 1))}"
	app_init "$SRC/build" "$SRC" "$state"
	if [ "${PUSHD:-1}" = 0 ]; then
		live="off (PUSHD=0: the pages poll over REST)"
	else
		pushd_start "$SRC/build" "$state"
		live="pushd on 127.0.0.1:${PUSHD_PORT:-$((port + 1))}"
	fi
	web_start "$SRC/build" "$SRC" "$state" "$port" "${BIND:-127.0.0.1}"
	wait_health "http://127.0.0.1:$port/api/v1/health"
	cat <<EOF2

  Support chat is up:  http://127.0.0.1:$port/  (${WEB:-lighttpd})
  Live updates:        $live
  Health:              http://127.0.0.1:$port/api/v1/health
  State and logs:      $state

  Demo logins (phone / password):
    Support  Asha Verma    +919000000001 / support-demo-1
    User     Rajesh Kumar  +919000000101 / user-demo-1
    User     Priya Singh   +919000000102 / user-demo-2

  Ctrl-C stops everything.
EOF2
	wait
}

# The "# PASS:" and "# FAIL:" lines of a build's test-suite.log summed up.
count() {
	sed -n "s/^# $1: *//p" "$2" 2>/dev/null | head -1
}

# check_run LABEL BUILD [make variables...]: `make check` in BUILD, its
# test-suite.log's counts added to PASS and FAIL, the logs of what failed
# shown.
check_run() {
	local label=$1 dir=$SRC/$2 n ok=0
	shift 2
	echo "== $label"
	# A summary from an earlier run must not count for this one.
	rm -f "$dir/test-suite.log"
	make -C "$dir" check "$@" || ok=1
	if [ $ok != 0 ]; then
		RC=1
		# Nothing ran (a test program did not build): one failure.
		[ -f "$dir/test-suite.log" ] || FAIL=$((FAIL + 1))
		for n in "$dir"/tests/*/*.log; do
			grep -q '^:test-result: \(FAIL\|ERROR\)' "${n%.log}.trs" 2>/dev/null &&
			    { echo "--- $n"; grep -A30 '^not ok' "$n" | head -200
			      echo "--- $n (end)"; tail -40 "$n"; }
		done
	fi
	# Each pass's integration log, kept apart: the next pass in the same
	# build writes run.sh.log again.
	mkdir -p "$dir/test-logs"
	cp "$dir/tests/integration/run.sh.log" \
	    "$dir/test-logs/$(printf '%s' "$label" | tr -c 'A-Za-z0-9' '-').log" 2>/dev/null || true
	n=$(count PASS "$dir/test-suite.log"); PASS=$((PASS + ${n:-0}))
	n=$(count FAIL "$dir/test-suite.log"); FAIL=$((FAIL + ${n:-0}))
	n=$(count ERROR "$dir/test-suite.log"); FAIL=$((FAIL + ${n:-0}))
}

# The integration tests as absolute paths, for ITESTS (all but the browser
# walk, which needs no other web server than the one it has run under).
integration_tests() {
	ls "$SRC"/tests/integration/*.test.mjs | tr '\n' ' '
}

stack_test() {
	RC=0 PASS=0 FAIL=0
	stack_install_deps test
	stack_build "$SRC" "$SRC/build"
	stack_build "$SRC" "$SRC/build-asan" --enable-sanitizers
	check_run "make check (build, lighttpd)" build
	check_run "make check (build-asan, lighttpd)" build-asan
	# The same integration and browser suites behind Apache with mod_fcgid
	# (and the .htaccess-only install), the REST and socket part behind
	# nginx, and the web-server tests behind Apache with mod_proxy_fcgi.
	check_run "integration + browser (build, Apache mod_fcgid)" build \
	    TESTS=tests/integration/run.sh WEB=apache
	check_run "integration (build, nginx)" build \
	    TESTS=tests/integration/run.sh WEB=nginx ITESTS="$(integration_tests)"
	check_run "web server tests (build, Apache mod_proxy_fcgi)" build \
	    TESTS=tests/integration/run.sh WEB=apache-proxy-fcgi \
	    ITESTS="$(for t in webserver htaccess health uploads cgi socket eio; do
		printf '%s ' "$SRC/tests/integration/$t.test.mjs"; done)"
	echo "== fuzz smoke"
	if make -C "$SRC/build" fuzz FUZZ_TIME="${FUZZ_TIME:-20}"; then
		PASS=$((PASS + 1))
	else
		FAIL=$((FAIL + 1)); RC=1
	fi
	echo "Result: $PASS passed, $FAIL failed"
	return $RC
}

case "${1:-up}" in
up)	stack_up ;;
test)	stack_test ;;
*)	echo "usage: $0 up|test" >&2; exit 2 ;;
esac
