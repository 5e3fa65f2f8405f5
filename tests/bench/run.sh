#!/usr/bin/env bash
# run.sh smoke|full - the benchmarks: a private MariaDB (tuned as in
# tests/bench/README.md), pushd, lighttpd + the API, and the two Node peers
# on free ports; then tests/bench/bench.mjs drives the C load generator
# and writes report.md and report.json to $BENCH_OUT (default
# <build>/bench).  No timing is asserted; smoke uses tiny sizes and only
# proves that the benchmark still runs.
set -eu

MODE=${1:-smoke}
SRC=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${abs_top_builddir:-$SRC/build}
OUT=${BENCH_OUT:-$BUILD/bench}
# shellcheck source=tools/stack-lib.sh
. "$SRC/tools/stack-lib.sh"

case "$MODE" in smoke|full) ;; *) echo "usage: $0 smoke|full" >&2; exit 2 ;; esac
[ -x "$BUILD/tests/bench/loadgen/loadgen" ] && [ -x "$BUILD/tests/bench/hello" ] ||
    stack_die "build the benchmark programs first (make bench)"

TMP=$(mktemp -d /tmp/chat-bench.XXXXXX)
cleanup() { stack_stop; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# wrk (Debian) for the REST figures, installed if missing.
STACK_PKGS="wrk" stack_install_deps

# Many sockets: as many files as this machine allows (hard limit).
ulimit -n "$(ulimit -Hn)"

(cd "$SRC/tests/bench/peers" && [ -d node_modules/socket.io ] ||
    npm ci --no-audit --no-fund --loglevel=error) || stack_die "npm ci (peers) failed"
"$SRC/tools/build-www.sh"

# Durable commits (as in production), room for the data set, and temporary
# tables in the run's own directory (a /tmp shared with other servers had
# them deleted under a query: 500s).
mkdir -p "$TMP/mysql-tmp"
export MARIADB_OPTS="--innodb-buffer-pool-size=512M --innodb-log-file-size=256M --tmpdir=$TMP/mysql-tmp
 --innodb-flush-log-at-trx-commit=1 --max-connections=500 --skip-log-bin"
stack_private "$BUILD" "$SRC" "$TMP" "
[auth]
argon2_ops = 1
argon2_mem_kib = 8192

register_per_hour = 0

# The load generator is one client with many sockets per account and
# address, and rates far above any person's: the abuse limits are off.
[limits]
send_rate = 0

[pushd]
max_sockets_per_user = 0
event_rate = 0
user_event_rate = 0
max_sockets = 0
max_sockets_per_address = 0
max_pending_per_address = 0"

# The data set: sizes by mode; one Argon2id hash for every generated account.
if [ "$MODE" = full ]; then
	AGENTS=100 USERS=50000 MSGS=4800000 BIG=200000
else
	AGENTS=10 USERS=200 MSGS=2000 BIG=2000
fi
HASH=$(mariadb --no-defaults -uroot --socket="$MARIADB_SOCK" chat -N -e \
    "SELECT passwordHash FROM users WHERE phone = '+919000000101'")
echo "== data: $AGENTS agents, $USERS users and conversations, $((MSGS + BIG)) messages"
t0=$(date +%s)
mariadb --no-defaults -uroot --socket="$MARIADB_SOCK" --default-character-set=utf8mb4 \
    --abort-source-on-error chat -e \
    "SET @agents=$AGENTS, @users=$USERS, @msgs=$MSGS, @big=$BIG, @hash='$HASH'; SOURCE $SRC/tests/bench/datagen.sql;" \
    >/dev/null || stack_die "data generation failed"
echo "   loaded in $(( $(date +%s) - t0 )) s"

# The REST floor: a hello-world FastCGI program behind the same lighttpd.
cat >"$TMP/lighttpd-extra.conf" <<EOF2
fastcgi.server += ( "/hello" => ((
  "bin-path" => "$BUILD/tests/bench/hello",
  "socket" => "$TMP/run/hello.sock",
  "check-local" => "disable",
  "max-procs" => 2
)))
EOF2
pushd_start "$BUILD" "$TMP"
API_PROCS=4 lighttpd_start "$BUILD" "$SRC" "$TMP" "$PORT"
wait_health "http://127.0.0.1:$PORT/api/v1/health"

BARE_PORT=$(stack_free_port)
PERSIST_PORT=$(stack_free_port)
node "$SRC/tests/bench/peers/relay.mjs" --port "$BARE_PORT" \
    --secret-file "$TMP/jwt.secret" >"$TMP/log/relay-bare.log" 2>&1 &
stack_bg $!
node "$SRC/tests/bench/peers/relay.mjs" --port "$PERSIST_PORT" \
    --secret-file "$TMP/jwt.secret" --persist --db-socket "$MARIADB_SOCK" \
    --db-user chat --db-password "$(cat "$TMP/db.password")" --db-name chat \
    >"$TMP/log/relay-persist.log" 2>&1 &
stack_bg $!
for p in "$BARE_PORT" "$PERSIST_PORT"; do
	for _ in $(seq 100); do
		curl -fs -o /dev/null "http://127.0.0.1:$p/socket.io/?EIO=4&transport=polling" && break
		sleep 0.1
	done
done

mkdir -p "$OUT"
export BENCH_MODE=$MODE BENCH_OUT=$OUT BENCH_TMP=$TMP
export BASE_URL="http://127.0.0.1:$PORT" MARIADB_SOCK
export PUSHD_URL="ws://127.0.0.1:$PUSHD_PORT/socket.io/"
export BARE_URL="ws://127.0.0.1:$BARE_PORT/socket.io/"
export PERSIST_URL="ws://127.0.0.1:$PERSIST_PORT/socket.io/"
export SECRET_FILE="$TMP/jwt.secret"
export LOADGEN="$BUILD/tests/bench/loadgen/loadgen"
export WRK_LUA="$SRC/tests/bench/rest.lua"
export STACK_PIDS
node "$SRC/tests/bench/bench.mjs"
