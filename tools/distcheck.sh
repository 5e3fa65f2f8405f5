#!/usr/bin/env bash
# distcheck.sh - `make distcheck` as an unprivileged user (CI runs it after
# tools/stack.sh test):
#
#   tools/distcheck.sh [BUILD]
#
# `make dist` in BUILD (a configured build tree, default build/), then, in a
# scratch directory, that user unpacks the tarball, configures it and runs
# `make distcheck` there: the release tarball is built again from the
# unpacked one, built VPATH against a read-only copy of itself, checked
# (unit and integration suites), installed, uninstalled and cleaned.  The
# source tree need not be readable by that user: only the tarball is.
#
# As root the user is DISTCHECK_USER (default chat-ci, created as a system
# user when missing); as anyone else, the caller.  Exits non-zero, saying
# so, on any failure; the scratch directory is kept then, removed on
# success.
set -eu -o pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
ME=distcheck

fail() {
	echo "$ME: FAILED: $*" >&2
	exit 1
}

[ -f "$BUILD/Makefile" ] || fail "$BUILD is not a configured build tree"
pkg=$(sed -n 's/^PACKAGE = //p' "$BUILD/Makefile")
ver=$(sed -n 's/^VERSION = //p' "$BUILD/Makefile")
[ -n "$pkg" ] && [ -n "$ver" ] || fail "no PACKAGE/VERSION in $BUILD/Makefile"
tarball=$pkg-$ver.tar.gz

if [ "$(id -u)" = 0 ]; then
	user=${DISTCHECK_USER:-chat-ci}
	if ! id -u "$user" >/dev/null 2>&1; then
		useradd --system --create-home --shell /bin/sh "$user" ||
		    fail "cannot create the user $user"
	fi
	# TMPDIR: distcheck's DESTDIR install and the tests' scratch files
	# go there, and root's may not be the user's.
	as_user() { runuser -u "$user" -- env TMPDIR=/tmp "$@"; }
else
	user=$(id -un)
	as_user() { "$@"; }
fi

start=$(date +%s)
echo "== $ME: make dist in $BUILD"
rm -f "$BUILD/$tarball"
make -s -C "$BUILD" dist >/dev/null || fail "make dist in $BUILD"
[ -f "$BUILD/$tarball" ] || fail "make dist made no $tarball"

dir=$(mktemp -d /tmp/chat-distcheck.XXXXXX)
mv "$BUILD/$tarball" "$dir/"
if [ "$(id -u)" = 0 ]; then chown -R "$user" "$dir"; fi
echo "== $ME: make distcheck as $user in $dir"
rc=0
cd "$dir"
# runuser's PAM session lowers the open-files limit to 1024: the suite's
# many sockets need the hard limit, as root has it.
as_user sh -c '
	set -e
	ulimit -n "$(ulimit -Hn)"
	cd "$1"
	tar xzf "$2"
	cd "${2%.tar.gz}"
	./configure --quiet
	make distcheck
' distcheck "$dir" "$tarball" 2>&1 | tee "$dir/distcheck.log" || rc=1
secs=$(($(date +%s) - start))

if [ $rc != 0 ]; then
	# The logs of what failed, from distcheck's own build tree.
	for f in $(find "$dir" -name '*.trs' 2>/dev/null); do
		grep -q '^:test-result: \(FAIL\|ERROR\)' "$f" || continue
		echo "--- ${f%.trs}.log" >&2
		tail -80 "${f%.trs}.log" >&2
	done
	fail "make distcheck as $user after ${secs}s (kept $dir; log: $dir/distcheck.log)"
fi
# distcheck leaves its tree read-only on failure only; this is success.
chmod -R u+w "$dir" 2>/dev/null || true
rm -rf "$dir"
echo "== $ME: ok as $user in ${secs}s"
