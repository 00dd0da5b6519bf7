// `npm run bench`: builds the workload, measures one pass of autoheal-once, the seed's sh script and monit, writes BENCHMARKS.md;
// a run of every scenario then runs the converge chain (converge-chain.ts).
// Usage: npm run bench -- [--quick] [--autoheal auto|binary|bundle|both] [--only S1-10,S2,S6,...] [--out FILE]
//                        [--max-minutes M] [--rounds R (S6)] [--baseline BUILD (S6: another build, measured in the same rounds)]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ensureCommands, PASS_BENCH_COMMANDS } from '../shared/deps.js';
import { describeMachine, loadNow } from '../shared/machine.js';
import { installSignalHandlers, setBenchDir, stopAll, track } from '../shared/cleanup.js';
import { BINARY, BUNDLE, ROOT } from '../shared/paths.js';
import { scenarios } from './scenarios.js';
import { runScenario } from './runner.js';
import { runScale, scaleScenario } from './scale.js';
import { autohealCommands, makeTools, snapshot, type AutohealCommand } from './tools.js';
import { summaryLines, type Result } from './report.js';
import { renderBenchmarksMd } from './benchmarks-md.js';
import type { HubPorts } from './workload.js';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    autoheal: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    'max-minutes': { type: 'string' },
    rounds: { type: 'string' },
    baseline: { type: 'string' },
  },
});
const quick = opts.quick ?? false;
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const maxMinutes = Number(opts['max-minutes'] ?? (quick ? 4 : 30));
const rounds = opts.rounds === undefined ? undefined : Number(opts.rounds);
if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) throw new Error(`--rounds must be a positive integer, got ${opts.rounds}`);
const started = Date.now();
const deadline = started + maxMinutes * 60_000;

/** Starts the hub and reads the ports it chose. */
async function startHub(counts: number[]): Promise<HubPorts> {
  const hub = spawn(process.execPath, [join(import.meta.dirname, '..', 'shared', 'hub.js'), ...counts.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HUB_MAX_LIFE_MS: String(maxMinutes * 60_000 + 600_000) },
  });
  track(hub.pid!);
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: hub.stdout }).once('line', res);
    hub.once('exit', (code) => rej(new Error(`hub exited with ${code}`)));
  });
  return JSON.parse(line) as HubPorts;
}

/** The autoheal-once commands (full run: binary and bundle; --quick: one), building the bundle when only sources exist. */
function findAutoheal(benchDir: string): AutohealCommand[] {
  if (!existsSync(BUNDLE) && !existsSync(BINARY) && existsSync(join(ROOT, 'src', 'main.ts'))) {
    log('bench: dist/ has no build, building the bundle with `npx tsup`');
    const r = spawnSync('npx', ['tsup'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) log('bench: build failed');
  }
  const cmds = autohealCommands(opts.autoheal ?? (quick ? 'auto' : 'both'), join(benchDir, 'tools'));
  if (!cmds.length) log('bench: SKIPPING autoheal-once: dist/ has no build (run `npm run build`); measuring the seed script and monit only');
  return cmds;
}

/** --baseline: another build (a binary, or a .cjs bundle run with this node), copied aside like dist/. */
function findBaseline(benchDir: string): AutohealCommand | null {
  if (opts.baseline === undefined) return null;
  const file = resolve(opts.baseline);
  const cmd = snapshot({ id: 'baseline', file, label: opts.baseline }, join(benchDir, 'baseline'));
  if (!cmd) throw new Error(`--baseline ${opts.baseline}: not a build of autoheal-once that answers --version`);
  return cmd;
}

async function main(): Promise<void> {
  const only = opts.only?.split(',');
  let list = scenarios({ quick });
  if (only) list = list.filter((s) => only.includes(s.id));
  if (rounds !== undefined) list = list.map((s) => (s.kind === 'scale' ? scaleScenario({ quick, rounds }) : s));
  // The peers' tools are needed only by the scenarios that run them.
  ensureCommands(log, list.some((s) => s.kind === 'pass') ? PASS_BENCH_COMMANDS : PASS_BENCH_COMMANDS.filter((c) => c.pkg === 'time'));
  const benchDir = mkdtempSync(join(tmpdir(), 'autoheal-bench-'));
  setBenchDir(benchDir);
  installSignalHandlers(() => rmSync(benchDir, { recursive: true, force: true }));
  const autoheal = findAutoheal(benchDir);
  const baseline = findBaseline(benchDir);
  const tools = makeTools({ autoheal });
  const machine = describeMachine();
  const hangCount = Math.max(0, ...list.map((s) => (s.kind === 'pass' ? (s.hang ?? 0) : 0)));
  const results: Result[] = [];
  try {
    const hub = await startHub([150, 100, hangCount]);
    log(`bench: ${tools.map((t) => t.label).join(' | ')}${baseline ? ` | S6 baseline ${baseline.label}` : ''}; workload in ${benchDir}`);
    const children = new Set<number | undefined>();
    const ctx = { benchDir, hub, tools, children, log, deadline };
    for (const sc of list) {
      log(`${sc.id}: ${sc.title}`);
      if (sc.kind === 'scale') {
        if (!autoheal.length) continue;
        results.push(await runScale(sc, { ...ctx, autoheal, baseline }));
      } else {
        results.push(await runScenario(sc, ctx));
      }
    }
  } finally {
    const left = await stopAll();
    if (left) log(`bench: ${left} processes could not be stopped`);
    rmSync(benchDir, { recursive: true, force: true });
  }
  machine.loadEnd = loadNow();
  machine.minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const md = renderBenchmarksMd({ machine, results, quick, autoheal, tools });
  const out = opts.out ?? (quick || only ? join(tmpdir(), 'autoheal-bench-partial.md') : join(ROOT, 'BENCHMARKS.md'));
  writeFileSync(out, md);
  log('');
  for (const line of summaryLines(results)) log(line);
  if (!autoheal.length) log('autoheal-once: not measured (no build)');
  log(`bench: tables written to ${out}`);
  const wrong = results.some((r) =>
    'rows' in r
      ? r.wrong.length > 0 || r.rows.some((row) => row.wrong.length)
      : r.tools.some((t) => t.tool.kind === 'autoheal' && t.reps.some((x) => x.wrong.length)),
  );
  process.exitCode = wrong ? 1 : 0;
  // The converge chain is a program of its own that writes its own section; a run of every scenario ends with it.
  if (!only) {
    const chainArgs = [...(quick ? ['--reps', '1'] : []), ...(quick || opts.out ? ['--no-write'] : [])];
    const chain = spawnSync(process.execPath, [join(import.meta.dirname, 'converge-chain.js'), ...chainArgs], { stdio: 'inherit' });
    if (chain.status !== 0) process.exitCode = 1;
  }
}

main().catch(async (e: unknown) => {
  const err = e as Error & { interrupted?: boolean };
  process.stderr.write(err.interrupted ? `bench: ${err.message}; every process it started is stopped\n` : `bench: ${err.stack ?? String(e)}\n`);
  await stopAll();
  process.exit(err.interrupted ? 130 : 2);
});
