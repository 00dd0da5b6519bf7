// Bench: a chain five deep, every link dead, each opening its port 1 s after its restart (critical path 5 s).
// Measures how long autoheal-once --converge takes to bring the whole chain back in one run, against the target
// (1.3x the critical path + 2 s), and how many runs it takes without --converge (the seed's script and monit
// also take one cron minute per hop). Writes its section of BENCHMARKS.md.
// Usage: npm run bench:build && node .build-bench/bench/pass/converge-chain.js [--reps N] [--no-write] (npm run bench runs it last)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BINARY as binary, BUNDLE as bundle, ROOT as root } from '../shared/paths.js';
import { median } from '../shared/stats.js';

interface Chain {
  dir: string;
  names: string[];
  ports: number[];
}

interface ConvergeResult {
  openMs: number | undefined;
  runMs: number;
  rounds: number;
  restarted: number;
  ok: boolean;
}
const { values: opts } = parseArgs({ options: { reps: { type: 'string', default: '3' }, 'no-write': { type: 'boolean', default: false } } });
const LINKS = 5;
const OPEN_AFTER_MS = 1000;
const CRITICAL_MS = LINKS * OPEN_AFTER_MS;
const TARGET_MS = 1.3 * CRITICAL_MS + 2000;
const BUDGET_S = 50;
const log = (line: string): boolean => process.stdout.write(`${line}\n`);

const command = existsSync(binary) ? [binary] : existsSync(bundle) ? [process.execPath, bundle] : undefined;
if (!command) {
  log('converge-chain: SKIPPING: dist/ has no build (run `npm run build`)');
  process.exit(0);
}

const freePort = (): Promise<number> =>
  new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
const isOpen = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port, timeout: 500 });
    const end = (ok: boolean): void => {
      socket.destroy();
      done(ok);
    };
    socket.once('connect', () => end(true));
    socket.once('error', () => end(false));
    socket.once('timeout', () => end(false));
  });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pidOf = (dir: string, name: string): number | undefined => {
  try {
    return Number(readFileSync(join(dir, `${name}.pid`), 'utf8')) || undefined;
  } catch {
    return undefined;
  }
};

/** A fresh chain: its config, ports and directory; the links are all dead. */
async function makeChain(): Promise<Chain> {
  const dir = mkdtempSync(join(tmpdir(), 'autoheal-bench-chain-'));
  const names = Array.from({ length: LINKS }, (_, i) => `link${i + 1}`);
  const ports: number[] = [];
  for (const _ of names) ports.push(await freePort());
  const service = join(root, 'fixtures', 'bin', 'fake-service.mjs');
  const yaml = names.map((name, i) => {
    const dep = i === 0 ? '' : `  dep:\n    - name: ${names[i - 1]!}\n      host: 127.0.0.1\n      port: ${ports[i - 1]!}\n`;
    const script = `${process.execPath} ${service} --pid-file ${dir}/${name}.pid --port ${ports[i]!} --delay-ms ${OPEN_AFTER_MS} &`;
    return `${name}:\n  pid_file: ${dir}/${name}.pid\n${dep}  script: ${JSON.stringify(script)}\n`;
  });
  writeFileSync(join(dir, 'conf.yaml'), yaml.join(''), { mode: 0o600 });
  return { dir, names, ports };
}

/** Stops every link by the pid it wrote, and removes the directory. */
function dropChain(chain: Chain): void {
  for (const name of chain.names) {
    const pid = pidOf(chain.dir, name);
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  rmSync(chain.dir, { recursive: true, force: true });
}

/** One run of autoheal-once; resolves with its exit code, JSON report and wall time. */
function runOnce(
  chain: Chain,
  extra: string[],
): Promise<{ code: number | null; doc: { services: { state: string }[]; timeline: unknown[] }; ms: number }> {
  const started = performance.now();
  const cmd = command!;
  return new Promise((done, fail) => {
    const child = spawn(
      cmd[0]!,
      [...cmd.slice(1), '--config', join(chain.dir, 'conf.yaml'), '--state-dir', join(chain.dir, 'state'), '--json', ...extra],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), (BUDGET_S + 60) * 1000);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(guard);
      done({ code, doc: JSON.parse(out), ms: performance.now() - started });
    });
  });
}

/** Watches the last link's port from `started`; resolves with the ms until it opened (or undefined at the deadline). */
async function watchLast(chain: Chain, started: number, deadlineMs: number): Promise<number | undefined> {
  const port = chain.ports[chain.ports.length - 1]!;
  while (performance.now() - started < deadlineMs) {
    if (await isOpen(port)) return performance.now() - started;
    await sleep(20);
  }
  return undefined;
}

/** With --converge: one run; the time until the last link answers, and the run's own length. */
async function measureConverge(): Promise<ConvergeResult> {
  const chain = await makeChain();
  try {
    const started = performance.now();
    const [run, openMs] = await Promise.all([runOnce(chain, ['--converge', String(BUDGET_S)]), watchLast(chain, started, (BUDGET_S + 10) * 1000)]);
    const restarted = run.doc.services.filter((s) => s.state === 'restarted').length;
    return { openMs, runMs: run.ms, rounds: run.doc.timeline.length, restarted, ok: restarted === LINKS && openMs !== undefined };
  } finally {
    dropChain(chain);
  }
}

/** Without --converge: runs as cron would, each after the previous one's restarts had time to open; how many runs. */
async function measurePlain(): Promise<number | undefined> {
  const chain = await makeChain();
  try {
    for (let runs = 1; runs <= LINKS * 2; runs += 1) {
      await runOnce(chain, []);
      // Stands for the rest of the cron minute: long enough for a link restarted now to open its port.
      await sleep(OPEN_AFTER_MS + 500);
      if (await isOpen(chain.ports[chain.ports.length - 1]!)) return runs;
    }
    return undefined;
  } finally {
    dropChain(chain);
  }
}

const fmt = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(2)} s`);

async function main(): Promise<void> {
  const reps = Math.max(1, Number(opts.reps));
  log(
    `converge-chain: ${LINKS} links, each opening its port ${OPEN_AFTER_MS} ms after its restart; critical path ${fmt(CRITICAL_MS)}, target ${fmt(TARGET_MS)}; ${command!.join(' ')}`,
  );
  const results: ConvergeResult[] = [];
  for (let i = 0; i < reps; i += 1) {
    const r = await measureConverge();
    results.push(r);
    log(
      `  --converge ${BUDGET_S}, rep ${i + 1}: last link answers after ${fmt(r.openMs)}; run ${fmt(r.runMs)}, ${r.rounds} rounds, ${r.restarted}/${LINKS} restarted${r.ok ? '' : ' (WRONG)'}`,
    );
  }
  const plainRuns = await measurePlain();
  log(`  without --converge: ${plainRuns ?? 'more than ' + LINKS * 2} runs (one per cron minute: ${plainRuns ?? '?'} minutes)`);
  const open = results.map((r) => r.openMs ?? Infinity);
  const worst = Math.max(...open);
  const verdict = worst <= TARGET_MS ? 'within' : 'OVER';
  log(`converge-chain: median ${fmt(median(open))}, worst ${fmt(worst)}: ${verdict} the target of ${fmt(TARGET_MS)}`);
  if (!opts['no-write']) writeSection({ results, plainRuns, worst, verdict });
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

/** Replaces (or appends) this bench's section of BENCHMARKS.md. */
function writeSection({
  results,
  plainRuns,
  worst,
  verdict,
}: {
  results: ConvergeResult[];
  plainRuns: number | undefined;
  worst: number;
  verdict: string;
}): void {
  const path = join(root, 'BENCHMARKS.md');
  const begin = '<!-- converge-chain: written by bench/pass/converge-chain.ts -->';
  const end = '<!-- /converge-chain -->';
  const rows = results.map((r, i) => `| ${i + 1} | ${fmt(r.openMs)} | ${fmt(r.runMs)} | ${r.rounds} | ${r.restarted}/${LINKS} |`);
  const section = [
    begin,
    '## Converge: a chain five deep in one run',
    '',
    `${LINKS} links, all dead, each opening its port ${OPEN_AFTER_MS / 1000} s after its restart and needing the previous link's port: critical path ${fmt(CRITICAL_MS)}, target ${fmt(TARGET_MS)} (1.3x + 2 s). Measured ${new Date().toISOString().slice(0, 19)}Z with \`${command!.map((c) => c.replace(root + '/', '')).join(' ')}\`, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`,
    '',
    `| rep | last link answers after | run took | rounds | restarted |`,
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `- \`--converge ${BUDGET_S}\`: worst ${fmt(worst)}, ${verdict} the target; one run.`,
    `- without \`--converge\`: ${plainRuns ?? 'more than ' + LINKS * 2} runs, one level per run: ${plainRuns ?? '?'} cron minutes. The seed's script and monit also need one cron minute per hop.`,
    end,
  ].join('\n');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const at = text.indexOf(begin);
  const next = at >= 0 ? text.slice(0, at) + section + text.slice(text.indexOf(end, at) + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}

await main();
