// Trains the executable's V8 code cache: one healthy pass of the bundle through scripts/sea-main.cjs with this node,
// so the cache holds every function the pass that runs every minute compiles, not just the bundle's top level.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Runs `loader` in training mode on `bundle` (wrapped as a CommonJS function, as the executable embeds it) and writes
 * the cache to `out`. The pass is healthy: a service whose pid file holds this process's pid, one found by name (this
 * process's), dependencies left unprobed. Returns `{ error }` when no cache was written, `{ warning }` when the pass
 * was not the healthy, silent one it should be (the cache then covers what that pass compiled), else `{}`.
 */
export function trainCodeCache({ loader, bundle, out, tmp }) {
  const dir = mkdtempSync(join(tmp, 'autoheal-train-'));
  try {
    const pidFile = join(dir, 'up.pid');
    writeFileSync(pidFile, `${process.pid}\n`);
    const config = join(dir, 'conf.yaml');
    const deps = '  dep:\n    - name: db\n      port: 5432\n    - name: web\n      url: http://127.0.0.1/health\n';
    const name = readFileSync('/proc/self/comm', 'utf8').trim();
    const yaml = `up:\n  pid_file: ${pidFile}\n  script: /bin/true\n${deps}named:\n  pname: ${JSON.stringify(name)}\n  script: /bin/true\n`;
    // 0600 and ours: as root, a pass refuses a config that others could write.
    writeFileSync(config, yaml, { mode: 0o600 });
    mkdirSync(join(dir, 'state'), { mode: 0o700 });
    const env = { PATH: '/usr/bin:/bin', AUTOHEAL_TRAIN_BUNDLE: resolve(bundle), AUTOHEAL_TRAIN_CACHE: resolve(out) };
    const args = [resolve(loader), '--config', config, '--state-dir', join(dir, 'state')];
    const options = { cwd: dir, encoding: 'utf8', timeout: 60_000 };
    // A first pass fills the state directory's config cache; the cache is taken from the second, as cron's every
    // pass after an edit runs: yaml's parser, needed only after an edit, is then not loaded at every start.
    spawnSync(process.execPath, args, { ...options, env: { ...env, AUTOHEAL_TRAIN_CACHE: join(dir, 'first.cache') } });
    const run = spawnSync(process.execPath, args, { ...options, env });
    const got = `exit ${run.status ?? run.signal ?? run.error?.message}: ${run.stdout}${run.stderr}`;
    if (!existsSync(out) || statSync(out).size === 0) return { error: `the training pass wrote no code cache (${got})` };
    if (run.status !== 0 || run.stdout !== '' || run.stderr !== '') return { warning: `the training pass was not healthy and silent (${got})` };
    return {};
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
