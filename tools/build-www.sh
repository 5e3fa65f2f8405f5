#!/bin/sh
# build-www.sh - the one build step of the web pages: the official
# socket.io-client ESM bundle from npm (pinned by www/package-lock.json) is
# copied into www/vendor/.  Everything else under www/ is served as it is.
set -eu
www=$(cd "$(dirname "$0")/../www" && pwd)
if [ ! -f "$www/node_modules/socket.io-client/dist/socket.io.esm.min.js" ]; then
	(cd "$www" && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p "$www/vendor"
cp "$www/node_modules/socket.io-client/dist/socket.io.esm.min.js" \
    "$www/vendor/socket.io.esm.min.js"
