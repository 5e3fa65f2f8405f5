// operations.test.mjs - what an operator meets: every program answers
// --help and --version, and pushd started before MariaDB is up waits for
// it instead of exiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

import { startPushd } from './lib.mjs';
import { until } from './sock.mjs';

const BUILD = process.env.abs_top_builddir;
const PROGRAMS = [['pushd', 'pushd/pushd'], ['chatadm', 'tools/chatadm'], ['api.fcgi', 'cgi/api.fcgi']];

test('every program answers --help and --version on stdout with status 0', () => {
  for (const [name, path] of PROGRAMS) {
    const help = execFileSync(join(BUILD, path), ['--help'], { encoding: 'utf8' });
    assert.match(help, new RegExp(`^usage: ${name.replace('.', '\\.')} `), `${name} --help`);
    const version = execFileSync(join(BUILD, path), ['--version'], { encoding: 'utf8' });
    assert.match(version, new RegExp(`^${name.replace('.', '\\.')} \\(chat\\) \\d+\\.\\d+\\.\\d+\\n$`), `${name} --version`);
  }
});

test('pushd started before the database waits for it, then serves', async () => {
  const st = process.env.STATE_DIR;
  // A socket path where MariaDB is not (yet): it appears once pushd waits.
  const later = join(st, 'run', 'mysqld-later.sock');
  rmSync(later, { force: true });
  const log = join(st, 'log', 'pushd-waiting.log');
  const starting = startPushd('waiting', { CHAT_DB_SOCKET: later });
  await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('the database is not reachable yet'),
    () => 'pushd says it waits', 10000);
  symlinkSync(process.env.MARIADB_SOCK, later);
  const p = await starting;
  try {
    const h = await fetch(`${p.base}/health`);
    assert.equal(h.status, 200);
  } finally {
    await p.stop();
    rmSync(later, { force: true });
  }
});
