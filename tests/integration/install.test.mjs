// install.test.mjs - `make install` into a scratch DESTDIR gives a
// complete, absolute install (every page and script, the config with
// absolute paths, units naming the installed programs, log rotation,
// manual pages), and `make uninstall` leaves nothing behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUILD = process.env.abs_top_builddir;
const SRC = process.env.abs_top_srcdir;
const dest = mkdtempSync(join(tmpdir(), 'chat-install-'));
after(() => rmSync(dest, { recursive: true, force: true }));

const files = (dir) => readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile());
const make = (...args) => execFileSync('make', ['-s', '-C', BUILD, ...args, `DESTDIR=${dest}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const prefixOf = () => readFileSync(join(BUILD, 'Makefile'), 'utf8').match(/^prefix = (.*)$/m)[1];

test('make install puts every part in place, absolute; make uninstall removes it', () => {
  make('install');
  const prefix = prefixOf();
  const root = join(dest, prefix);
  const got = new Set(files(dest).map((f) => `/${f}`));
  // Every page, style and script of www/ (a file left out of Makefile.am
  // would break the installed dashboard).
  for (const f of files(join(SRC, 'www'))) assert.ok(got.has(join(prefix, 'share/chat/www', f)), `installed www/${f}`);
  for (const p of ['bin/chatadm', 'sbin/pushd', 'libexec/chat/api.fcgi', 'share/man/man8/pushd.8',
    'share/man/man8/chatadm.8', 'share/man/man5/chat.conf.5', 'etc/chat/chat.conf', 'etc/logrotate.d/chat',
    'lib/systemd/system/chat-pushd.service', 'lib/systemd/system/chat-api.service', 'lib/systemd/system/chat-sweep.timer', 'lib/systemd/system/chat-notify.service',
    'share/chat/web/apache.conf', 'share/chat/web/nginx.conf', 'share/chat/web/htaccess-api',
    'share/chat/web/htaccess-site', 'share/chat/web/htaccess-uploads']) {
    assert.ok(got.has(join(prefix, p)), `installed ${p}`);
  }
  // The config: every path absolute, as the programs read it.
  const conf = execFileSync(join(root, 'bin/chatadm'), ['-c', join(root, 'etc/chat/chat.conf'), 'check-config'], { encoding: 'utf8' });
  for (const key of ['jwt.secret_file', 'upload.dir', 'pushd.socket']) {
    assert.match(conf, new RegExp(`^${key.replace('.', '\\.')} = /`, 'm'), `${key} is absolute`);
  }
  // The units start the installed programs with the installed config.
  const unit = readFileSync(join(root, 'lib/systemd/system/chat-pushd.service'), 'utf8');
  assert.match(unit, new RegExp(`^ExecStart=${prefix}/sbin/pushd -c ${prefix}/etc/chat/chat.conf$`, 'm'));
  assert.match(unit, /^After=.*mariadb\.service/m);
  assert.match(unit, /^Restart=on-failure$/m);
  assert.doesNotMatch(readFileSync(join(root, 'lib/systemd/system/chat-api.service'), 'utf8'), /@[a-z]+@/);
  // The web-server sites name the installed pages, program, config and
  // sockets, with every word filled in.
  for (const site of ['apache.conf', 'nginx.conf']) {
    const text = readFileSync(join(root, 'share/chat/web', site), 'utf8');
    assert.doesNotMatch(text, /@[A-Z_]+@/, `${site}: every word filled in`);
    assert.ok(text.includes(`${prefix}/share/chat/www`), `${site}: the installed pages`);
    assert.ok(text.includes('/run/chat/api.sock'), `${site}: chat-api.service's socket`);
  }
  assert.ok(readFileSync(join(root, 'share/chat/web/apache.conf'), 'utf8').includes(`${prefix}/libexec/chat/api.fcgi`));
  make('uninstall');
  assert.deepEqual(files(dest), [], 'nothing left');
});
