#!/usr/bin/env bash
# stack.sh - the whole stack in one command, and the whole test suite.
#
#   tools/stack.sh up     install what is missing, build, start MariaDB,
#                         pushd, lighttpd + the API with demo data;
#                         foreground; Ctrl-C stops everything.
#   tools/stack.sh test   install what is missing, build, run `make check`
#                         in a normal and in an ASan+UBSan build, and a short
#                         fuzzing smoke run.
#
# Environment: PORT (8080), STATE_DIR (./var), BIND (127.0.0.1),
# PUSHD_PORT (PORT+1, loopback only), API_PROCS (4), FUZZ_TIME (seconds per fuzz target in `test`, 20).
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/stack-lib.sh
. "$SRC/tools/stack-lib.sh"

stack_up() {
	local port=${PORT:-8080} state=${STATE_DIR:-$SRC/var}
	mkdir -p "$state"
	state=$(cd "$state" && pwd)
	stack_install_deps
	stack_build "$SRC" "$SRC/build"
	trap stack_stop EXIT
	trap 'exit 130' INT TERM
	mariadb_start "$state"
	write_conf "$state" "$port" "${PUSHD_PORT:-$((port + 1))}"
	app_init "$SRC/build" "$SRC" "$state"
	pushd_start "$SRC/build" "$state"
	lighttpd_start "$SRC/build" "$SRC" "$state" "$port" "${BIND:-127.0.0.1}"
	wait_health "http://127.0.0.1:$port/api/v1/health"
	cat <<EOF2

  Support chat is up:  http://127.0.0.1:$port/
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

stack_test() {
	local rc=0 pass=0 fail=0 b n
	stack_install_deps test
	stack_build "$SRC" "$SRC/build"
	stack_build "$SRC" "$SRC/build-asan" --enable-sanitizers
	for b in build build-asan; do
		echo "== make check ($b)"
		# A summary from an earlier run must not count for this one.
		rm -f "$SRC/$b/test-suite.log"
		if ! make -C "$SRC/$b" check; then
			rc=1
			# Nothing ran (a test program did not build): one failure.
			[ -f "$SRC/$b/test-suite.log" ] || fail=$((fail + 1))
			for n in "$SRC/$b"/tests/*/*.log; do
				grep -q '^FAIL\|^ERROR' "${n%.log}.trs" 2>/dev/null &&
				    { echo "--- $n"; tail -60 "$n"; }
			done
		fi
		n=$(count PASS "$SRC/$b/test-suite.log"); pass=$((pass + ${n:-0}))
		n=$(count FAIL "$SRC/$b/test-suite.log"); fail=$((fail + ${n:-0}))
		n=$(count ERROR "$SRC/$b/test-suite.log"); fail=$((fail + ${n:-0}))
	done
	echo "== fuzz smoke"
	if make -C "$SRC/build" fuzz FUZZ_TIME="${FUZZ_TIME:-20}"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); rc=1
	fi
	echo "Result: $pass passed, $fail failed"
	return $rc
}

case "${1:-up}" in
up)	stack_up ;;
test)	stack_test ;;
*)	echo "usage: $0 up|test" >&2; exit 2 ;;
esac
