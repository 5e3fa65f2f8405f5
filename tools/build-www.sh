#!/bin/sh
# build-www.sh - the one build step of the web pages: the official
# bundles from npm (pinned by tools/www-vendor/package-lock.json) are
# copied into www/vendor/: socket.io-client's ESM bundle and Chart.js's
# UMD bundle (the reports' charts).  Everything else under www/ is served
# as it is, so the npm manifests and node_modules live here, outside the
# document root.
#
# The release tarball carries www/vendor/: with the bundles already there
# (and no other npm copy here to compare them with, or identical ones)
# this writes nothing and needs neither npm nor the network, so it also
# works in a read-only source tree (make distcheck).
set -eu
tools=$(cd "$(dirname "$0")" && pwd)
www=$(cd "$tools/../www" && pwd)
npmdir=$tools/www-vendor
# Each bundle as "<path under node_modules> <name in www/vendor>".
BUNDLES="socket.io-client/dist/socket.io.esm.min.js socket.io.esm.min.js
chart.js/dist/chart.umd.min.js chart.umd.min.js"

# Is every vendored file there, and the same as its npm copy if there is one?
current() {
	echo "$BUNDLES" | while read -r src dst; do
		[ -f "$www/vendor/$dst" ] || exit 1
		[ ! -f "$npmdir/node_modules/$src" ] && continue
		cmp -s "$npmdir/node_modules/$src" "$www/vendor/$dst" || exit 1
	done
}
current && exit 0
missing=$(echo "$BUNDLES" | while read -r src dst; do
	[ -f "$npmdir/node_modules/$src" ] || echo "$src"; done)
if [ -n "$missing" ]; then
	(cd "$npmdir" && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p "$www/vendor"
echo "$BUNDLES" | while read -r src dst; do
	cmp -s "$npmdir/node_modules/$src" "$www/vendor/$dst" ||
	    cp "$npmdir/node_modules/$src" "$www/vendor/$dst"
done
