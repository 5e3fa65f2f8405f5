#!/bin/sh
# build-www.sh - the one build step of the web pages: the official
# socket.io-client ESM bundle from npm (pinned by
# tools/www-vendor/package-lock.json) is copied into www/vendor/.
# Everything else under www/ is served as it is, so the npm manifests and
# node_modules live here, outside the document root.
set -eu
tools=$(cd "$(dirname "$0")" && pwd)
www=$(cd "$tools/../www" && pwd)
npmdir=$tools/www-vendor
if [ ! -f "$npmdir/node_modules/socket.io-client/dist/socket.io.esm.min.js" ]; then
	(cd "$npmdir" && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p "$www/vendor"
cp "$npmdir/node_modules/socket.io-client/dist/socket.io.esm.min.js" \
    "$www/vendor/socket.io.esm.min.js"
