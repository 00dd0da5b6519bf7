// `npm run package`: dist/autoheal-once_<version>_amd64.deb from the built executable and man pages, with dpkg-deb
// (no network, no fakeroot: --root-owner-group). Usage: node scripts/package-deb.mjs [--fast] [OUT_DIR]
// --fast: xz -1 (about 4x quicker, 15% bigger) for tests; the contents are the same.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const fast = args[0] === '--fast';
const outDir = resolve((fast ? args[1] : args[0]) ?? join(root, 'dist'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binary = join(root, 'dist', 'autoheal-once');
const manDir = join(root, 'dist', 'man');
const BIN = '/usr/bin/autoheal-once';
// The newest symbol versions the Depends line of packaging/debian/control promises; a newer node needs a new line.
const DEPENDS_COVER = { GLIBC: '2.28', GLIBCXX: '3.4.21', CXXABI: '1.3.9', GCC: '3.4' };

function fail(message) {
  process.stderr.write(`package-deb: ${message}\n`);
  process.exit(1);
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.error?.code === 'ENOENT') fail(`${cmd} not found: ${what}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}): ${r.stderr.trim()}`);
  return r.stdout;
}

const newer = (a, b) => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
};

if (!existsSync(binary)) fail(`no ${relative(root, binary)}: run npm run build first`);
const shown = run(binary, ['--version'], '').trim();
if (shown !== version) fail(`${relative(root, binary)} --version says ${shown}, package.json ${version}: rebuild`);
const symbolVersions = new Set(run('objdump', ['-T', binary], 'install binutils').match(/\b(GLIBC|GLIBCXX|CXXABI|GCC)_[0-9.]+\b/g));
for (const [name, needed] of [...symbolVersions].map((v) => v.split('_'))) {
  if (newer(needed, DEPENDS_COVER[name]))
    fail(`the executable needs ${name}_${needed}, newer than packaging/debian/control's Depends promises (${name}_${DEPENDS_COVER[name]})`);
}

const stage = mkdtempSync(join(outDir, '.deb-'));
const tree = join(stage, 'root');
const put = (path, mode, content) => {
  const file = join(tree, path);
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  writeFileSync(file, content);
  chmodSync(file, mode);
};
const gz = (text) => gzipSync(text, { level: 9 });
const template = (name) => readFileSync(join(root, 'packaging', name), 'utf8').replaceAll('@BINARY@', BIN);

try {
  mkdirSync(join(tree, 'usr', 'bin'), { recursive: true, mode: 0o755 });
  copyFileSync(binary, join(tree, BIN));
  chmodSync(join(tree, BIN), 0o755);
  // An example that declares no service: a fresh install probes and restarts nothing until it is edited.
  put('etc/autoheal/conf.yaml', 0o600, readFileSync(join(root, 'packaging', 'conf.example.yaml')));
  put('etc/cron.d/autoheal', 0o644, readFileSync(join(root, 'packaging', 'debian', 'cron.d')));
  put('lib/systemd/system/autoheal.service', 0o644, template('autoheal.service'));
  put('lib/systemd/system/autoheal.timer', 0o644, template('autoheal.timer'));
  for (const file of readdirSync(manDir)) put(`usr/share/man/man${file.at(-1)}/${file}.gz`, 0o644, gz(readFileSync(join(manDir, file))));
  put('usr/share/doc/autoheal-once/copyright', 0o644, readFileSync(join(root, 'packaging', 'debian', 'copyright')));
  put('usr/share/doc/autoheal-once/changelog.gz', 0o644, gz(readFileSync(join(root, 'packaging', 'debian', 'changelog'))));
  put('usr/share/lintian/overrides/autoheal-once', 0o644, readFileSync(join(root, 'packaging', 'debian', 'lintian-overrides')));
  mkdirSync(join(tree, 'var', 'lib', 'autoheal'), { recursive: true });
  chmodSync(join(tree, 'var', 'lib', 'autoheal'), 0o700);

  const files = listFiles(tree);
  const sizeKiB = files.reduce((sum, f) => sum + Math.ceil(statSync(join(tree, f)).size / 1024), 0) + countDirs(tree);
  const control = readFileSync(join(root, 'packaging', 'debian', 'control'), 'utf8')
    .replace('@VERSION@', version)
    .replace('@INSTALLED_SIZE@', String(sizeKiB));
  put('DEBIAN/control', 0o644, control);
  put('DEBIAN/conffiles', 0o644, '/etc/autoheal/conf.yaml\n/etc/cron.d/autoheal\n');
  put(
    'DEBIAN/md5sums',
    0o644,
    files
      .map(
        (f) =>
          `${createHash('md5')
            .update(readFileSync(join(tree, f)))
            .digest('hex')}  ${f}\n`,
      )
      .join(''),
  );
  for (const script of ['prerm', 'postrm']) put(`DEBIAN/${script}`, 0o755, readFileSync(join(root, 'packaging', 'debian', script)));

  const deb = join(outDir, `autoheal-once_${version}_amd64.deb`);
  const partial = join(stage, 'out.deb');
  run('dpkg-deb', ['--root-owner-group', '-Zxz', `-z${fast ? 1 : 6}`, '--build', tree, partial], 'dpkg-deb comes with dpkg');
  renameSync(partial, deb);
  process.stdout.write(
    `package-deb: ${relative(process.cwd(), deb) || deb} (${(statSync(deb).size / 2 ** 20).toFixed(1)} MiB, ${files.length} files)\n`,
  );
} finally {
  rmSync(stage, { recursive: true, force: true });
}

/** Regular files under dir, as paths relative to it, sorted; DEBIAN/ excluded. */
function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (rel === 'DEBIAN') return [];
      return e.isDirectory() ? listFiles(dir, rel) : [rel];
    })
    .sort();
}

function countDirs(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isDirectory()).length;
}
