// Profiles one autoheal-once pass on the healthy N-service workload with `node --cpu-prof`, printing the hot functions.
// Usage: npm run bench:profile -- [N=1000] [--dead K] [--no-json] [--keep] [--warm] [--half] [--bundle FILE]
//   --warm: one unprofiled pass first in the same state dir (config cache and state in place, as cron's steady state)
//   --half: even services by pid file, odd ones by process name (S6's workload) instead of S1's mix
//   --keep: leave the .cpuprofile in the printed dir (open it in Chrome DevTools or speedscope)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { installSignalHandlers, setBenchDir, stopAll, track } from '../shared/cleanup.js';
import { BUNDLE } from '../shared/paths.js';
import { writeConfig } from '../pass/config-yaml.js';
import { layOut, resetServices } from '../pass/services.js';
import { sleepersWorkload, type HubPorts } from '../pass/workload.js';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dead: { type: 'string', default: '0' },
    'no-json': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    warm: { type: 'boolean', default: false },
    half: { type: 'boolean', default: false },
    bundle: { type: 'string', default: BUNDLE },
  },
});
const n = Number(positionals[0] ?? 1000);
const deadCount = Number(opts.dead);
const json = !opts['no-json'];
const bundle = resolve(opts.bundle ?? BUNDLE);
if (!Number.isInteger(n) || n < 1) throw new Error(`N must be a positive integer, got ${positionals[0]}`);
const dir = mkdtempSync(join(tmpdir(), 'autoheal-profile-'));
setBenchDir(dir);
installSignalHandlers();

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Microseconds of samples per node id. */
function timePerNode(profile: CpuProfile): Map<number, number> {
  const dt = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return dt;
}

/** Self time per function (ms) from a V8 .cpuprofile, largest first. */
function hotFunctions(profile: CpuProfile): [string, number][] {
  const dt = timePerNode(profile);
  const self = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0) / 1000);
  }
  return [...self].sort((a, b) => b[1] - a[1]);
}

/** Self time per bundled source file (tsup marks each with a `// path` line), node internals and GC, largest first. */
function hotSources(profile: CpuProfile): [string, number][] {
  const lines = readFileSync(bundle, 'utf8').split('\n');
  const starts: [number, string][] = [];
  lines.forEach((l, i) => {
    if (/^\/\/ (src|node_modules)\//.test(l)) starts.push([i, l.slice(3).replace(/^node_modules\/([^/]+)\/.*/, 'npm:$1')]);
  });
  const section = (line: number): string => {
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || line < starts[0]![0]) return 'bundle prologue';
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]![0] <= line) lo = mid;
      else hi = mid - 1;
    }
    return starts[lo]![1];
  };
  const dt = timePerNode(profile);
  const by = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = f.url.endsWith('.cjs') ? section(f.lineNumber) : f.url ? `node:${f.url.replace(/^node:/, '')}` : f.functionName || '(native)';
    by.set(key, (by.get(key) ?? 0) + (dt.get(node.id) ?? 0) / 1000);
  }
  return [...by].sort((a, b) => b[1] - a[1]);
}

try {
  const hub = spawn(process.execPath, [join(import.meta.dirname, '..', 'shared', 'hub.js'), '150', '100', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(hub.pid!);
  const ports = JSON.parse(await new Promise<string>((res) => createInterface({ input: hub.stdout }).once('line', res))) as HubPorts;
  const w = sleepersWorkload({ dir, n, hub: ports, deadCount, seed: deadCount ? 7 : 42, liveness: opts.half ? 'half' : 'mixed' });
  layOut(w);
  await resetServices(w, { children: new Set() });
  writeConfig(w, join(dir, 'conf.yaml'));
  const pass = ['--config', join(dir, 'conf.yaml'), '--state-dir', join(dir, 'state')];
  if (opts.warm) spawnSync(process.execPath, [bundle, ...pass], { stdio: 'ignore', timeout: 120_000 });
  const profDir = join(dir, 'prof');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, bundle, ...pass, ...(json ? ['--json'] : [])], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 120_000,
  });
  const wall = Date.now() - t0;
  const profile = JSON.parse(readFileSync(join(profDir, readdirSync(profDir)[0]!), 'utf8')) as CpuProfile;
  const total = (profile.endTime - profile.startTime) / 1000;
  const own = json ? `its own durationMs ${(JSON.parse(r.stdout) as { durationMs: number }).durationMs}` : 'no --json';
  console.log(
    `N=${n}, ${deadCount} dead${opts.warm ? ', warm' : ''}: exit ${r.status}, wall ${wall} ms (profiled), ${own}, profile ${total.toFixed(0)} ms`,
  );
  console.log('self time by source:');
  for (const [name, ms] of hotSources(profile).slice(0, 20)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
  console.log('self time by function:');
  for (const [name, ms] of hotFunctions(profile).slice(0, 25)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
  if (opts.keep) console.log(`profile kept in ${profDir}`);
} finally {
  await stopAll();
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
}
