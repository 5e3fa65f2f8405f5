#!/usr/bin/env bash
# soak.sh [MINUTES] - not a test: churns connections and messages through
# the real stack (private MariaDB, pushd, lighttpd + the API) for MINUTES
# (default 5) and reports pushd's RSS at the start, along the way and at the
# end, so that a leak or unbounded growth shows as a rising line.
set -eu

MINUTES=${1:-${SOAK_MINUTES:-5}}
SRC=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${abs_top_builddir:-$SRC/build}
# shellcheck source=tools/stack-lib.sh
. "$SRC/tools/stack-lib.sh"

TMP=$(mktemp -d /tmp/chat-soak.XXXXXX)
cleanup() { stack_stop; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

(cd "$SRC/tests" && [ -d node_modules/socket.io-client ] ||
    npm ci --no-audit --no-fund --loglevel=error) || stack_die "npm ci failed"
"$SRC/tools/build-www.sh"

# Cheap Argon2id for the many accounts; default abuse limits stay on.
stack_private "$BUILD" "$SRC" "$TMP" "
[auth]
argon2_ops = 1
argon2_mem_kib = 8192
login_max_failures_ip = 100000"
pushd_start "$BUILD" "$TMP"
lighttpd_start "$BUILD" "$SRC" "$TMP" "$PORT"
wait_health "http://127.0.0.1:$PORT/api/v1/health"

export BASE_URL="http://127.0.0.1:$PORT" STATE_DIR="$TMP" MARIADB_SOCK
export CHATADM="$BUILD/tools/chatadm" CHAT_CONF="$TMP/chat.conf"
export SOAK_MINUTES=$MINUTES
export SOAK_PUSHD_PID
SOAK_PUSHD_PID=$(stack_pushd_pids "$TMP" | head -1)
node "$SRC/tests/soak/soak.mjs"
