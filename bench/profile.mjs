// Profiles one autoheal-once pass on the healthy N-service workload with `node --cpu-prof`, printing the hot functions.
// Usage: node bench/profile.mjs [N=1000] [--dead K] [--no-json] [--keep]   (the .cpuprofile is left in the printed dir with --keep)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setBenchDir, stopAll, track, installSignalHandlers } from './cleanup.mjs';
import { sleepersWorkload } from './workload.mjs';
import { layOut, resetServices } from './services.mjs';
import { writeConfig } from './config-yaml.mjs';
import { BUNDLE } from './tools.mjs';

const n = Number(process.argv[2] && /^\d+$/.test(process.argv[2]) ? process.argv[2] : 1000);
const keep = process.argv.includes('--keep');
const json = !process.argv.includes('--no-json');
const deadAt = process.argv.indexOf('--dead');
const deadCount = deadAt > 0 ? Number(process.argv[deadAt + 1]) : 0;
const dir = mkdtempSync(join(tmpdir(), 'autoheal-profile-'));
setBenchDir(dir);
installSignalHandlers();

/** Self time per function (ms) from a V8 .cpuprofile, largest first. */
function hotFunctions(profile) {
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0) / 1000);
  }
  return [...self].sort((a, b) => b[1] - a[1]);
}

/** Self time per bundled source file (tsup marks each with a `// path` line), node internals and GC, largest first. */
function hotSources(profile) {
  const lines = readFileSync(BUNDLE, 'utf8').split('\n');
  const starts = [];
  lines.forEach((l, i) => /^\/\/ (src|node_modules)\//.test(l) && starts.push([i, l.slice(3).replace(/^node_modules\/([^/]+)\/.*/, 'npm:$1')]));
  const section = (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || line < starts[0][0]) return 'bundle prologue';
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid][0] <= line) lo = mid;
      else hi = mid - 1;
    }
    return starts[lo][1];
  };
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const by = new Map();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = f.url.endsWith('autoheal-once.cjs') ? section(f.lineNumber) : f.url ? `node:${f.url.replace(/^node:/, '')}` : f.functionName || '(native)';
    by.set(key, (by.get(key) ?? 0) + (dt.get(node.id) ?? 0) / 1000);
  }
  return [...by].sort((a, b) => b[1] - a[1]);
}

try {
  const hub = spawn(process.execPath, [join(import.meta.dirname, 'hub.mjs'), '150', '100', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  track(hub.pid);
  const ports = JSON.parse(await new Promise((res) => createInterface({ input: hub.stdout }).once('line', res)));
  const w = sleepersWorkload({ dir, n, hub: ports, deadCount, seed: deadCount ? 7 : 42 });
  layOut(w);
  await resetServices(w, { children: new Set() });
  writeConfig(w, join(dir, 'conf.yaml'));
  const profDir = join(dir, 'prof');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, BUNDLE, '--config', join(dir, 'conf.yaml'), '--state-dir', join(dir, 'state'), ...(json ? ['--json'] : [])], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
  const wall = Date.now() - t0;
  const profile = JSON.parse(readFileSync(join(profDir, readdirSync(profDir)[0]), 'utf8'));
  const total = (profile.endTime - profile.startTime) / 1000;
  console.log(`N=${n}, ${deadCount} dead: exit ${r.status}, wall ${wall} ms (profiled), ${json ? `its own durationMs ${JSON.parse(r.stdout).durationMs}` : 'no --json'}, profile ${total.toFixed(0)} ms`);
  console.log('self time by source:');
  for (const [name, ms] of hotSources(profile).slice(0, 20)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
  console.log('self time by function:');
  for (const [name, ms] of hotFunctions(profile).slice(0, 20)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
  if (keep) console.log(`profile kept in ${profDir}`);
} finally {
  await stopAll();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
