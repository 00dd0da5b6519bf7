// `npm run bench`: builds the workload, measures one pass of autoheal-once, the seed's sh script and monit, writes BENCHMARKS.md.
// Usage: node bench/main.mjs [--quick] [--autoheal auto|binary|bundle|both] [--only S1-10,S2,...] [--out FILE] [--max-minutes M]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ensureDeps } from './deps.mjs';
import { describeMachine, loadNow } from './machine.mjs';
import { installSignalHandlers, setBenchDir, stopAll, track } from './cleanup.mjs';
import { scenarios } from './scenarios.mjs';
import { runScenario } from './runner.mjs';
import { BINARY, BUNDLE, autohealCommands, makeTools } from './tools.mjs';
import { summaryLines } from './report.mjs';
import { renderBenchmarksMd } from './benchmarks-md.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    autoheal: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    'max-minutes': { type: 'string' },
  },
});
const log = (line) => process.stdout.write(`${line}\n`);
const maxMinutes = Number(opts['max-minutes'] ?? (opts.quick ? 4 : 30));
const started = Date.now();
const deadline = started + maxMinutes * 60_000;

/** Starts the hub and reads the ports it chose. */
async function startHub(counts) {
  const hub = spawn(process.execPath, [join(import.meta.dirname, 'hub.mjs'), ...counts.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HUB_MAX_LIFE_MS: String(maxMinutes * 60_000 + 600_000) },
  });
  track(hub.pid);
  const line = await new Promise((res, rej) => {
    createInterface({ input: hub.stdout }).once('line', res);
    hub.once('exit', (code) => rej(new Error(`hub exited with ${code}`)));
  });
  return JSON.parse(line);
}

/** The autoheal-once commands (full run: binary and bundle; --quick: one), building the bundle when only sources exist. */
function findAutoheal(benchDir) {
  if (!existsSync(BUNDLE) && !existsSync(BINARY) && existsSync(join(root, 'src', 'main.ts'))) {
    log('bench: dist/ has no build, building the bundle with `npx tsup`');
    const r = spawnSync('npx', ['tsup'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) log('bench: build failed');
  }
  const cmds = autohealCommands(opts.autoheal ?? (opts.quick ? 'auto' : 'both'), join(benchDir, 'tools'));
  if (!cmds.length) log('bench: SKIPPING autoheal-once: dist/ has no build (run `npm run build`); measuring the seed script and monit only');
  return cmds;
}

async function main() {
  ensureDeps(log);
  const benchDir = mkdtempSync(join(tmpdir(), 'autoheal-bench-'));
  setBenchDir(benchDir);
  installSignalHandlers(() => rmSync(benchDir, { recursive: true, force: true }));
  const autoheal = findAutoheal(benchDir);
  const tools = makeTools({ autoheal });
  const machine = describeMachine();
  let list = scenarios({ quick: opts.quick });
  if (opts.only) list = list.filter((s) => opts.only.split(',').includes(s.id));
  const hangCount = Math.max(0, ...list.map((s) => s.hang ?? 0));
  const results = [];
  try {
    const hub = await startHub([150, 100, hangCount]);
    log(`bench: ${tools.map((t) => t.label).join(' | ')}; workload in ${benchDir}`);
    const children = new Set();
    for (const sc of list) {
      log(`${sc.id}: ${sc.title}`);
      results.push(await runScenario(sc, { benchDir, hub, tools, children, log, deadline }));
    }
  } finally {
    const left = await stopAll();
    if (left) log(`bench: ${left} processes could not be stopped`);
    rmSync(benchDir, { recursive: true, force: true });
  }
  machine.loadEnd = loadNow();
  machine.minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const md = renderBenchmarksMd({ machine, results, quick: opts.quick, autoheal, tools });
  const out = opts.out ?? (opts.quick ? join(tmpdir(), 'autoheal-bench-quick.md') : join(root, 'BENCHMARKS.md'));
  writeFileSync(out, md);
  log('');
  for (const line of summaryLines(results)) log(line);
  if (!autoheal.length) log('autoheal-once: not measured (no build)');
  log(`bench: tables written to ${out}`);
  const wrong = results.some((r) => r.tools.some((t) => t.tool.kind === 'autoheal' && t.reps.some((x) => x.wrong.length)));
  process.exitCode = wrong ? 1 : 0;
}

main().catch(async (e) => {
  process.stderr.write(e.interrupted ? `bench: ${e.message}; every process it started is stopped\n` : `bench: ${e.stack ?? e}\n`);
  await stopAll();
  process.exit(e.interrupted ? 130 : 2);
});
