// Runs every scenario for every tool, repetitions interleaved across tools, checking each pass before keeping its time.
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { measure, type MeasuredRun } from './measure.js';
import { isUp, layOut, portOpen, resetServices, scan } from './services.js';
import { judgeChain, judgePass } from './verify.js';
import { toConfig, writeConfig } from './config-yaml.js';
import { checkStop, sweep } from '../shared/cleanup.js';
import type { PassScenario } from './scenarios.js';
import type { Tool, ToolFiles } from './tools.js';
import type { HubPorts, Workload } from './workload.js';

/** One repetition of one tool: a measured pass, or (S4) a chain of passes summed up. */
export interface Rep {
  wallMs: number;
  code: number | null | string;
  peakTreeKiB: number;
  peakProcs: number;
  maxRssKiB: number | null;
  wrong: string[];
  passes?: number;
  minutes?: number;
  stdout?: string;
}

/** A scenario's outcome: per tool, its repetitions. */
export interface PassResult {
  scenario: PassScenario;
  tools: { tool: Tool; reps: Rep[] }[];
  skipped: string[];
}

/** What every scenario run gets from main. */
export interface RunContext {
  benchDir: string;
  hub: HubPorts;
  tools: Tool[];
  children: Set<number | undefined>;
  log: (line: string) => void;
  deadline: number;
}

/** Free loopback ports, chosen by the kernel (listen on 0, then close). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((res) => {
          const s = createServer();
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  return ports;
}

async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

/** One pass, measured and judged. */
async function onePass(sc: PassScenario, w: Workload, tool: Tool, files: ToolFiles, stateDir: string): Promise<Rep> {
  const run = await measure(tool.pass(w, files, stateDir), { timeoutMs: sc.timeoutMs, timeFile: join(w.dir, 'time.out') });
  const wrong = judgePass(w, run, { expected: sc.expected?.(w) ?? new Set(), tool, exitCode: sc.exitCode });
  return { ...run, stdout: run.stdout.slice(0, 20_000), wrong };
}

const allPortsOpen = async (services: Workload['services']): Promise<boolean> =>
  (await Promise.all(services.map((s) => portOpen(s.port)))).every(Boolean);

/**
 * Passes until all links run (bounded in count and time), then waits for their ports. paced: before the next pass,
 * let every started link open its port (what a cron minute guarantees), so passes count cron minutes; otherwise
 * back to back, so the time is how fast the tool converges when run as often as it can be.
 */
async function chainPasses(sc: PassScenario, w: Workload, tool: Tool, files: ToolFiles, stateDir: string, { paced }: { paced: boolean }) {
  const t0 = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const acc = { passes: 0, peakTreeKiB: 0, peakProcs: 0, maxRssKiB: 0, codes: new Set<number | null>() };
  let allUp = false;
  const maxPasses = (paced ? sc.maxPacedPasses : sc.maxPasses) ?? 1;
  while (acc.passes < maxPasses && elapsed() < (sc.maxMs ?? 60_000)) {
    checkStop();
    const run: MeasuredRun = await measure(tool.pass(w, files, stateDir), { timeoutMs: sc.timeoutMs, timeFile: join(w.dir, 'time.out') });
    acc.passes += 1;
    acc.codes.add(run.code);
    acc.peakTreeKiB = Math.max(acc.peakTreeKiB, run.peakTreeKiB);
    acc.peakProcs = Math.max(acc.peakProcs, run.peakProcs);
    acc.maxRssKiB = Math.max(acc.maxRssKiB, run.maxRssKiB ?? 0);
    const procs = scan(w);
    const up = w.services.filter((s) => isUp(s, procs.get(s.name)));
    if ((allUp = up.length === w.services.length)) break;
    if (paced) await waitUntil(() => allPortsOpen(up), 3000);
  }
  const portsOpen = allUp && (await waitUntil(() => allPortsOpen(w.services), 5000));
  return { ...acc, wallMs: elapsed(), wrong: judgeChain(w, { allUp, portsOpen }) };
}

/** S4 once back to back (timed) and once paced (cron minutes), each from all links dead. */
async function chainRun(
  sc: PassScenario,
  w: Workload,
  tool: Tool,
  files: ToolFiles,
  stateDir: string,
  children: Set<number | undefined>,
): Promise<Rep> {
  const fast = await chainPasses(sc, w, tool, files, stateDir, { paced: false });
  await resetServices(w, { children });
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const paced = await chainPasses(sc, w, tool, files, stateDir, { paced: true });
  const wrong = [...fast.wrong.map((x) => `back to back: ${x}`), ...paced.wrong.map((x) => `paced: ${x}`)];
  return {
    wallMs: fast.wallMs,
    passes: fast.passes,
    minutes: paced.passes,
    code: [...new Set([...fast.codes, ...paced.codes])].join('/'),
    peakTreeKiB: Math.max(fast.peakTreeKiB, paced.peakTreeKiB),
    peakProcs: Math.max(fast.peakProcs, paced.peakProcs),
    maxRssKiB: Math.max(fast.maxRssKiB, paced.maxRssKiB),
    wrong,
  };
}

/** Runs one scenario for all tools; returns per-tool repetitions. */
export async function runScenario(sc: PassScenario, { benchDir, hub, tools, children, log, deadline }: RunContext): Promise<PassResult> {
  const dir = join(benchDir, sc.id);
  const ports = sc.chain ? await freePorts(5) : null;
  const w = sc.build(dir, hub, ports);
  layOut(w);
  const files: ToolFiles = { config: join(dir, 'conf.yaml'), seed: join(dir, 'restart.sh'), monitrc: join(dir, 'monitrc'), monitLogDir: dir };
  writeConfig(w, files.config);
  const config = toConfig(w);
  for (const t of tools) t.prepare(w, files, config);
  const out = tools.map((tool) => ({ tool, reps: [] as Rep[] }));
  const skipped: string[] = [];
  const repsOf = (t: Tool): number => sc.reps[t.id] ?? sc.reps[t.kind ?? ''] ?? 1;
  const most = Math.max(...tools.map(repsOf));
  for (let rep = 0; rep < most; rep++) {
    for (const entry of out) {
      if (rep >= repsOf(entry.tool)) continue;
      if (Date.now() > deadline) {
        skipped.push(`${entry.tool.label}: repetition ${rep + 1} skipped, the bench's overall time bound was reached`);
        continue;
      }
      checkStop();
      const zombies = await resetServices(w, { children });
      checkStop();
      if (zombies.length) log(`  note: ${zombies.length} killed processes still not reaped by their parent`);
      const stateDir = join(dir, 'state', `${entry.tool.id}-${rep}`);
      rmSync(stateDir, { recursive: true, force: true });
      mkdirSync(stateDir, { recursive: true });
      const r = sc.chain ? await chainRun(sc, w, entry.tool, files, stateDir, children) : await onePass(sc, w, entry.tool, files, stateDir);
      checkStop();
      entry.reps.push(r);
      const extra = r.passes ? ` ${r.passes} passes back to back, ${r.minutes} paced` : '';
      log(
        `  ${sc.id} ${entry.tool.id} #${rep + 1}: ${Math.round(r.wallMs)} ms${extra} exit ${r.code}${r.wrong.length ? `  WRONG: ${r.wrong.join('; ')}` : ''}`,
      );
    }
  }
  await sweep(dir); // this scenario's processes only
  return { scenario: sc, tools: out, skipped };
}
