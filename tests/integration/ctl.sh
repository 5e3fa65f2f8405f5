#!/usr/bin/env bash
# ctl.sh - stop and start the services of the running test stack, for the
# fault tests (faults.test.mjs): the same start-up code as run.sh, from
# tools/stack-lib.sh.
#
#   ctl.sh pushd-kill | pushd-stop | pushd-start | mariadb-kill | mariadb-start
#          | mariadb-pause | mariadb-resume | redis-stop | redis-start
#
# Needs abs_top_srcdir, abs_top_builddir and STATE_DIR (run.sh exports them).
# Whatever is started here outlives this script; run.sh's clean-up stops it
# by its state directory (stack_stop_state).
set -eu
SRC=${abs_top_srcdir:?}
BUILD=${abs_top_builddir:?}
STATE=${STATE_DIR:?}
# shellcheck source=tools/stack-lib.sh
. "$SRC/tools/stack-lib.sh"
LOG=$STATE/log/ctl.log

# wait_gone PID: until the process has exited (10 s at most).
wait_gone() {
	for _ in $(seq 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	stack_die "process $1 did not exit"
}

# signal_pushd SIG: signal every pushd of this state directory, wait.
signal_pushd() {
	local pid
	for pid in $(stack_pushd_pids "$STATE"); do
		kill "-$1" "$pid" 2>/dev/null || true
		wait_gone "$pid"
	done
}

case "${1:-}" in
pushd-kill)	signal_pushd KILL ;;
pushd-stop)	signal_pushd TERM ;;
pushd-start)	pushd_start "$BUILD" "$STATE" </dev/null >>"$LOG" 2>&1 ;;
mariadb-kill)
	pid=$(cat "$STATE/run/mysqld.pid")
	kill -KILL "$pid"
	wait_gone "$pid"
	;;
mariadb-start)	mariadb_start "$STATE" </dev/null >>"$LOG" 2>&1 ;;
# A hung server: alive, accepting, answering nothing.
mariadb-pause)
	# A group stop reaches each thread in turn: wait until it has.
	pid=$(cat "$STATE/run/mysqld.pid")
	kill -STOP "$pid"
	for _ in $(seq 100); do
		case $(ps -o stat= -p "$pid") in T*) break ;; esac
		sleep 0.05
	done
	case $(ps -o stat= -p "$pid") in T*) ;; *) stack_die "MariaDB $pid did not stop" ;; esac
	;;
mariadb-resume)	kill -CONT "$(cat "$STATE/run/mysqld.pid")" ;;
# The cluster's Redis (cluster.test.mjs): gone, then back on its port.
redis-stop)
	pid=$(cat "$STATE/run/redis.pid")
	kill -TERM "$pid"
	wait_gone "$pid"
	;;
redis-start)	redis_start "$STATE" "$(cat "$STATE/run/redis.port")" </dev/null >>"$LOG" 2>&1 ;;
*)	echo "usage: $0 pushd-kill|pushd-stop|pushd-start|mariadb-kill|mariadb-start|mariadb-pause|mariadb-resume|redis-stop|redis-start" >&2
	exit 2 ;;
esac
