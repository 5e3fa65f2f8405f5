// pages.test.mjs - what the pages ask of the network before anything
// else (issue 15, a page that loads on 2G): each page preloads every
// module of its import graph (so they load at once, not one import after
// another) and nothing else; socket.io-client is not among them (it comes
// after the login); and what a page loads before the login, compressed as
// the web server sends it, stays within its budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join, normalize, relative } from 'node:path';

import { BASE } from './lib.mjs';

const WWW = join(process.env.abs_top_srcdir, 'www');

// The static imports of entry, transitively (paths under www/).
function graph(entry) {
  const seen = new Set();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    const src = readFileSync(join(WWW, f), 'utf8');
    for (const m of src.matchAll(/^import\s[^;]*?from\s+['"](\.[^'"]+)['"]/gm)) todo.push(normalize(join(dirname(f), m[1])));
  }
  return seen;
}

const gzipSize = (path) => new Promise((resolve, reject) => {
  const u = new URL(BASE + path);
  const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, headers: { 'Accept-Encoding': 'gzip, br' }, agent: false }, (res) => {
    let n = 0;
    res.on('data', (c) => { n += c.length; });
    res.on('end', () => resolve({ status: res.statusCode, bytes: n }));
  });
  req.on('error', reject);
  req.end();
});

for (const [page, entry] of [['user.html', 'js/user.js'], ['index.html', 'js/dashboard.js']]) {
  test(`${page} preloads its whole module graph, and socket.io-client only after the login`, async () => {
    const html = readFileSync(join(WWW, page), 'utf8');
    const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]));
    const modules = graph(entry);
    modules.delete(entry);                  // the script tag loads it
    assert.deepEqual([...preloaded].sort(), [...modules].sort(), 'the preload list is the import graph');
    for (const m of modules) assert.ok(!m.startsWith('vendor/'), `${m}: nothing vendored before the login`);
    // Before the login: the page, the style and every module, compressed.
    let total = 0;
    for (const path of [`/${page}`, '/css/app.css', `/${entry}`, ...[...modules].map((m) => `/${relative('.', m)}`)]) {
      const r = await gzipSize(path);
      assert.equal(r.status, 200, path);
      total += r.bytes;
    }
    console.log(`# ${page}: ${total} bytes before the login, compressed`);
    if (page === 'user.html') assert.ok(total <= 35 * 1024, `at most 35 KB before the login: ${total}`);
  });
}
