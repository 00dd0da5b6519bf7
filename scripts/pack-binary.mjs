// Packs the tsup bundle into one linux-x64 executable (pkg SEA mode, baked into this node) and proves it runs our code.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainCodeCache } from './code-cache.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const input = resolve(process.argv[2] ?? join(root, 'dist', 'autoheal-once.cjs'));
const output = resolve(process.argv[3] ?? join(root, 'dist', 'autoheal-once'));
// Packed and checked under a temp name, then renamed: dist/autoheal-once is never a half-written or unchecked file.
const packed = join(dirname(output), `.${basename(output)}.${process.pid}.packing`);
const shown = relative(root, output).startsWith('..') ? output : relative(root, output);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);
const systemTmp = tmpdir();

// The SEA warning would reach cron's mail. The executable's main is the small loader scripts/sea-main.cjs: it runs the
// bundle, embedded as an asset, with a code cache trained on a whole healthy pass (about 9 ms of CPU less per pass
// than Node's own SEA code cache, which covers the top level only; measured with npm run bench:startup). A startup
// snapshot does not build: Node 20's snapshot builder cannot load `http` (and only half-supports perf_hooks).
const loader = join(root, 'scripts', 'sea-main.cjs');
const seaConfig = { disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false };

function fail(message) {
  rmSync(packed, { force: true });
  rmSync(output, { force: true });
  process.stderr.write(`pack-binary: ${message}\npack-binary: removed ${shown}\n`);
  process.exit(1);
}

// The executable is this node with the bundle injected. Node's symbol table and debug info (about 12 MiB) serve only
// debuggers: `strip` drops them from a copy before injection (after it, strip would drop the blob's note segment).
// The dynamic symbols stay, and so does .eh_frame, which unwinding needs at run time.
function stripNode(out) {
  const run = spawnSync('strip', ['--strip-all', '--remove-section=.comment', '-o', out, process.execPath], { encoding: 'utf8' });
  // Without binutils the executable is only larger: packed from node as it is, with a warning, so a build still works.
  if (run.error?.code === 'ENOENT') {
    process.stderr.write("pack-binary: warning: strip not found (binutils): the executable keeps node's symbols, about 12 MiB more\n");
    return process.execPath;
  }
  if (run.status !== 0) throw new Error(`strip ${process.execPath} failed: ${run.stderr.trim() || `exit ${run.status ?? run.signal}`}`);
  return out;
}

if (process.platform !== 'linux' || process.arch !== 'x64') fail(`builds for linux-x64 only, this is ${process.platform}-${process.arch}`);
if (!existsSync(input)) fail(`no bundle at ${input}: run tsup first (npm run build does)`);
if (!existsSync(join(root, 'node_modules', '.bin', 'postject'))) fail('postject is not installed: run npm ci');

// pkg's CLI `--sea` always downloads node from nodejs.org; its sea() function can use this node instead.
const sea = require('@yao-pkg/pkg/lib-es5/sea.js').default;

// sea() injects with `npx postject` from os.tmpdir(): a temp dir inside the project lets npx find the pinned postject
// walking up, and offline mode forbids npx from fetching any other. The blob must come from this same node.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const work = mkdtempSync(join(root, 'node_modules', '.cache', 'autoheal-pack-'));
Object.assign(process.env, {
  TMPDIR: work,
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
});
rmSync(output, { force: true });
mkdirSync(dirname(output), { recursive: true });
let packError;
try {
  const cache = join(work, 'autoheal-once.cache');
  // The bundle as the CommonJS function the loader runs: the executable then holds its text once.
  const wrapped = join(work, 'autoheal-once.cjs');
  writeFileSync(wrapped, `(function (exports, require, module, __filename, __dirname) {${readFileSync(input, 'utf8')}\n})`);
  const trained = trainCodeCache({ loader, bundle: wrapped, out: cache, tmp: systemTmp });
  if (trained.error) throw new Error(`cannot train the code cache: ${trained.error}`);
  if (trained.warning) process.stderr.write(`pack-binary: warning: ${trained.warning}\n`);
  const assets = { 'autoheal-once.cjs': wrapped, 'autoheal-once.cache': cache };
  const target = { nodeRange: `node${process.versions.node.split('.')[0]}`, platform: 'linux', arch: 'x64', output: packed };
  const nodePath = stripNode(join(work, 'node'));
  await sea(loader, { targets: [target], nodePath, signature: false, seaConfig: { ...seaConfig, assets } });
} catch (error) {
  packError = error;
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (packError) fail(`pkg failed: ${packError instanceof Error ? packError.message : String(packError)}`);

// pkg ignores a failed injection and leaves a plain copy of node behind: only running the result tells.
if (!existsSync(packed)) fail(`pkg wrote no ${packed}`);
const cwd = mkdtempSync(join(systemTmp, 'autoheal-pack-check-'));
const run = spawnSync(packed, ['--version'], {
  cwd,
  env: { PATH: '/usr/bin:/bin', AUTOHEAL_CHECK_CODE_CACHE: '1' },
  encoding: 'utf8',
  timeout: 30_000,
});
rmSync(cwd, { recursive: true, force: true });
const got = `exit ${run.status ?? run.signal ?? run.error?.message}, stdout ${JSON.stringify(run.stdout)}, stderr ${JSON.stringify(run.stderr)}`;
if (run.stdout === `v${process.versions.node}\n`) fail(`the output is a plain node binary (injecting the bundle failed): ${got}`);
if (run.stderr.includes('code cache rejected')) fail(`V8 rejects the embedded code cache (was it trained by another node?): ${got}`);
if (run.status !== 0 || run.stdout !== `${version}\n` || run.stderr !== '')
  fail(`expected --version to print only ${version} and exit 0; got ${got}`);

renameSync(packed, output);
const mib = (statSync(output).size / 2 ** 20).toFixed(1);
process.stdout.write(`pack-binary: ${shown} (${mib} MiB, node ${process.versions.node}) runs: --version -> ${version}\n`);
