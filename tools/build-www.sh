#!/bin/sh
# build-www.sh - the one build step of the web pages: the official
# socket.io-client ESM bundle from npm (pinned by
# tools/www-vendor/package-lock.json) is copied into www/vendor/.
# Everything else under www/ is served as it is, so the npm manifests and
# node_modules live here, outside the document root.
#
# The release tarball carries www/vendor/: with the bundle already there
# (and no other npm copy here to compare it with, or an identical one) this
# writes nothing and needs neither npm nor the network, so it also works
# in a read-only source tree (make distcheck).
set -eu
tools=$(cd "$(dirname "$0")" && pwd)
www=$(cd "$tools/../www" && pwd)
npmdir=$tools/www-vendor
bundle=$npmdir/node_modules/socket.io-client/dist/socket.io.esm.min.js
vendor=$www/vendor/socket.io.esm.min.js
if [ -f "$vendor" ]; then
	[ ! -f "$bundle" ] && exit 0
	cmp -s "$bundle" "$vendor" && exit 0
fi
if [ ! -f "$bundle" ]; then
	(cd "$npmdir" && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p "$www/vendor"
cp "$bundle" "$vendor"
