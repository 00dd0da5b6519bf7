// The Debian package: built with dpkg-deb, clean under lintian, then installed, upgraded over itself with an edited
// config, removed and purged with dpkg --root into a temp root (maintainer scripts honour $DPKG_ROOT), checking the
// files at each step; between upgrade and remove, the real cron daemon runs the enabled cron line and heals. The
// host's /etc, /usr and dpkg database are never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { skipWithoutBinary } from '../binary/standalone.js';
import { killPid, repoRoot, tempDir, waitFor } from '../helpers/util.js';
import { listFiles, octal, uncommentExample, version } from '../install/installer.js';

const deb = `autoheal-once_${version}_amd64.deb`;
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
// Without the executable (npm run test:unit) there is nothing to package; otherwise a missing one fails the build.
const skip = skipWithoutBinary || (process.getuid?.() !== 0 && 'dpkg --root needs root') || (!has('dpkg-deb') && 'dpkg-deb is not installed');

// The cron step needs the cron daemon (.ci/apt-packages lists it) and overlay mounts in a private mount namespace.
const cronSkip =
  (!existsSync('/usr/sbin/cron') && 'the cron daemon is not installed') ||
  (!readFileSync('/proc/filesystems', 'utf8').includes('\toverlay') && 'the kernel has no overlay filesystem') ||
  (!has('unshare') && 'unshare (util-linux) is not installed');

// A whole package build, lintian and four dpkg runs: minutes on a loaded 2-core machine, never hours.
const LONG = 15 * 60_000;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: LONG,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8', ...env },
  });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what}: exit ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Files and symlinks under the temp root, without dpkg's own database. */
const installed = (root: string): string[] => listFiles(root).filter((f) => !f.startsWith('/var/lib/dpkg/'));

const PACKAGE_FILES = [
  '/etc/autoheal/conf.yaml',
  '/etc/cron.d/autoheal',
  '/lib/systemd/system/autoheal.service',
  '/lib/systemd/system/autoheal.timer',
  '/usr/bin/autoheal-once',
  '/usr/share/doc/autoheal-once/changelog.gz',
  '/usr/share/doc/autoheal-once/copyright',
  '/usr/share/lintian/overrides/autoheal-once',
  '/usr/share/man/man1/autoheal-once.1.gz',
  '/usr/share/man/man5/autoheal.yaml.5.gz',
];

test('the Debian package: build, lintian, install, upgrade keeping an edited config, remove, purge', { skip, timeout: LONG }, async (t) => {
  const tmp = tempDir('autoheal-deb-');
  t.after(tmp.cleanup);
  const out = join(tmp.dir, 'out');
  mkdirSync(out);
  ok(run(process.execPath, [join(repoRoot, 'scripts', 'package-deb.mjs'), '--fast', out]), 'package-deb.mjs');
  const file = join(out, deb);

  await t.test('its control fields and conffiles', () => {
    const fields = ok(run('dpkg-deb', ['--field', file, 'Package', 'Version', 'Architecture', 'Depends']), 'dpkg-deb --field');
    assert.match(fields, new RegExp(`^Package: autoheal-once\\nVersion: ${version.replace(/\./g, '\\.')}\\nArchitecture: amd64\\nDepends: libc6 `));
    const conffiles = ok(run('dpkg-deb', ['--info', file, 'conffiles']), 'dpkg-deb --info conffiles');
    assert.deepEqual(conffiles.trim().split('\n').sort(), ['/etc/autoheal/conf.yaml', '/etc/cron.d/autoheal']);
  });

  await t.test(
    'lintian: no error and no warning that is not overridden with a reason',
    { skip: !has('lintian') && 'lintian is not installed (.ci/apt-packages lists it)' },
    () => {
      const r = run('lintian', ['--fail-on', 'error,warning', file]);
      assert.doesNotMatch(r.stdout, /^[EW]: /m);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    },
  );

  // A dpkg database that knows the host's libraries, so Depends is checked for real.
  const root = join(tmp.dir, 'root');
  const admin = join(root, 'var', 'lib', 'dpkg');
  mkdirSync(join(admin, 'info'), { recursive: true });
  mkdirSync(join(admin, 'updates'));
  const libs = ['libc6', 'libgcc-s1', 'libstdc++6'];
  writeFileSync(join(admin, 'status'), libs.map((p) => ok(run('dpkg-query', ['-s', p]), `dpkg-query -s ${p}`)).join('\n'));
  for (const p of libs) writeFileSync(join(admin, 'info', `${p}:amd64.list`), '');
  const dpkg = (...args: string[]) =>
    ok(run('dpkg', [`--root=${root}`, '--force-script-chrootless', '--log=/dev/null', ...args]), `dpkg ${args.join(' ')}`);
  const status = () => run('dpkg-query', [`--root=${root}`, '-W', '-f=${Status}', 'autoheal-once']).stdout;
  const bin = join(root, 'usr', 'bin', 'autoheal-once');
  const conf = join(root, 'etc', 'autoheal', 'conf.yaml');

  await t.test('install: every file in place with its mode, doing nothing until edited', () => {
    dpkg('--install', file);
    assert.equal(status(), 'install ok installed');
    assert.deepEqual(installed(root), PACKAGE_FILES);
    const mode = (p: string) => octal(statSync(join(root, p)).mode);
    assert.deepEqual(
      ['/usr/bin/autoheal-once', '/etc/autoheal/conf.yaml', '/etc/cron.d/autoheal', '/lib/systemd/system/autoheal.timer', '/var/lib/autoheal'].map(
        mode,
      ),
      ['0755', '0600', '0644', '0644', '0700'],
    );
    assert.equal(ok(run(bin, ['--version']), '--version'), `${version}\n`);
    assert.match(ok(run(bin, ['validate', '--config', conf]), 'validate the shipped config'), /: OK, 0 services\n$/);
    const cron = readFileSync(join(root, 'etc', 'cron.d', 'autoheal'), 'utf8');
    assert.deepEqual(
      cron.split('\n').filter((l) => /^\s*[^#\s]/.test(l) && !l.includes('=')),
      [],
      'no active cron job line',
    );
    assert.match(cron, /^#\* \* \* \* \* root \/usr\/bin\/autoheal-once$/m, 'the job line, commented out');
    assert.match(readFileSync(join(root, 'lib', 'systemd', 'system', 'autoheal.service'), 'utf8'), /^ExecStart=\/usr\/bin\/autoheal-once$/m);
    assert.ok(!existsSync(join(root, 'etc', 'systemd')), 'the timer is not enabled');
  });

  await t.test('the installed man pages render with man -l', { skip: !has('man') && 'man is not installed' }, () => {
    for (const [page, title] of [
      ['man1/autoheal-once.1.gz', 'AUTOHEAL-ONCE(1)'],
      ['man5/autoheal.yaml.5.gz', 'AUTOHEAL.YAML(5)'],
    ] as const) {
      const r = run('man', ['--warnings=all', '-l', join(root, 'usr', 'share', 'man', page)], { MANPAGER: 'cat', MANWIDTH: '80' });
      assert.equal(r.stderr, '');
      assert.ok(ok(r, `man -l ${page}`).startsWith(title), r.stdout.slice(0, 80));
    }
  });

  const edited = uncommentExample(readFileSync(join(repoRoot, 'packaging', 'conf.example.yaml'), 'utf8'));
  const cronFile = join(root, 'etc', 'cron.d', 'autoheal');
  await t.test('upgrade over itself: the edited config and the enabled cron line are kept, without a question', () => {
    writeFileSync(conf, edited);
    // Enabled the README's way: sudo sed -i '...' /etc/cron.d/autoheal
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const sed = /^sudo sed -i '([^']+)' \/etc\/cron\.d\/autoheal /m.exec(readme);
    assert.ok(sed, "the README's install section says how to enable the cron line");
    ok(run('sed', ['-i', sed[1]!, cronFile]), 'sed');
    const enabled = readFileSync(cronFile, 'utf8');
    assert.deepEqual(
      enabled.split('\n').filter((l) => /^[^#\s]/.test(l) && !l.includes('=')),
      ['* * * * * root /usr/bin/autoheal-once'],
    );
    assert.match(ok(run(bin, ['validate', '--config', conf]), 'validate the edited config'), /: OK, 2 services\n$/);
    writeFileSync(join(root, 'var', 'lib', 'autoheal', 'state.json'), '{}\n', { mode: 0o600 });
    dpkg('--install', file);
    assert.equal(status(), 'install ok installed');
    assert.equal(readFileSync(conf, 'utf8'), edited);
    assert.equal(readFileSync(cronFile, 'utf8'), enabled);
    assert.equal(octal(statSync(conf).mode), '0600');
    assert.deepEqual(installed(root), [...PACKAGE_FILES, '/var/lib/autoheal/state.json'].sort());
    assert.equal(ok(run(bin, ['--version']), '--version after the upgrade'), `${version}\n`);
  });

  await t.test(
    'the next minute heals: the real cron daemon runs the enabled cron line of the installed package, which restarts a dead service',
    { skip: cronSkip },
    async () => {
      // The package's files are laid over the host's paths in a private mount namespace, so cron reads the
      // package's /etc/cron.d/autoheal and runs its /usr/bin/autoheal-once, and the host never sees either.
      const work = join(tmp.dir, 'cron');
      const marks = join(work, 'marks');
      for (const d of ['lib-up', 'lib-work', 'run-up', 'run-work', 'no-crontabs']) mkdirSync(join(work, d), { recursive: true });
      mkdirSync(marks, { mode: 0o755 });
      writeFileSync(join(work, 'crontab'), '');
      writeFileSync(conf, `demo:\n  pid_file: ${marks}/demo.pid\n  script: touch ${marks}/healed\n`, { mode: 0o600 });
      const ns = [
        'set -e',
        `mount -t overlay overlay -o lowerdir=${root}/usr/bin:/usr/bin /usr/bin`,
        `mount -t overlay overlay -o lowerdir=${root}/etc:/etc /etc`,
        // Only the package's cron file, and no system crontab: no job of the host runs in here.
        `mount --bind ${root}/etc/cron.d /etc/cron.d`,
        `mount --bind ${work}/crontab /etc/crontab`,
        `if [ -d /var/spool/cron/crontabs ]; then mount --bind ${work}/no-crontabs /var/spool/cron/crontabs; fi`,
        `mount -t overlay overlay -o lowerdir=/var/lib,upperdir=${work}/lib-up,workdir=${work}/lib-work /var/lib`,
        'mkdir -p /var/lib/autoheal',
        `mount --bind ${root}/var/lib/autoheal /var/lib/autoheal`,
        // cron's own pid file, private: a cron the host may run does not stop this one.
        `mount -t overlay overlay -o lowerdir=/run,upperdir=${work}/run-up,workdir=${work}/run-work /run`,
        'exec cron -f',
      ].join('\n');
      let said = '';
      const cron = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', ns], { stdio: ['ignore', 'pipe', 'pipe'] });
      cron.stdout.on('data', (d) => (said += d));
      cron.stderr.on('data', (d) => (said += d));
      try {
        // cron runs a job at the start of a minute: up to 60 s from now, plus the pass, on a loaded machine.
        await waitFor(() => existsSync(join(marks, 'healed')) || cron.exitCode !== null, 'cron to run autoheal-once', 180_000);
        assert.equal(cron.exitCode, null, `cron exited: ${said}`);
        assert.ok(existsSync(join(marks, 'healed')));
        assert.ok(
          readdirSync(join(root, 'var', 'lib', 'autoheal')).some((f) => /^state\.[0-9a-f]+\.json$/.test(f)),
          "the pass kept its state in the package's state directory",
        );
      } finally {
        if (cron.exitCode === null) await killPid(cron.pid!);
      }
      // Back as the upgrade left it, for the steps below.
      writeFileSync(conf, edited);
      for (const f of readdirSync(join(root, 'var', 'lib', 'autoheal'))) {
        if (f !== 'state.json') rmSync(join(root, 'var', 'lib', 'autoheal', f), { recursive: true });
      }
    },
  );

  await t.test('remove: the conffiles and the state stay, everything else goes', () => {
    dpkg('--remove', 'autoheal-once');
    assert.equal(status(), 'deinstall ok config-files');
    assert.deepEqual(installed(root), ['/etc/autoheal/conf.yaml', '/etc/cron.d/autoheal', '/var/lib/autoheal/state.json']);
    assert.equal(readFileSync(conf, 'utf8'), edited);
  });

  await t.test('purge: nothing is left, not even the state directory', () => {
    dpkg('--purge', 'autoheal-once');
    assert.equal(status(), '');
    assert.deepEqual(installed(root), []);
    for (const dir of ['etc/autoheal', 'var/lib/autoheal', 'usr/bin']) assert.ok(!existsSync(join(root, dir)), `${dir} is gone`);
  });
});
