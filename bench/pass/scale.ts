// S6: a healthy pass at scale as cron runs it, with the state directory kept (warm) and right after a config edit
// (cold), against fixed targets; and at N = 10 against bare `node -e 0`. Every case of every build runs in every
// round, in a fresh random order, each once for time (bash `time`) and once for peak RSS (GNU time).
import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { checkStop } from '../shared/cleanup.js';
import { median, quantile, shuffle } from '../shared/stats.js';
import { peakRssRun, timeRun } from '../shared/timed-run.js';
import { writeConfig } from './config-yaml.js';
import type { RunContext } from './runner.js';
import { isUp, layOut, resetServices, restartCounts, scan } from './services.js';
import type { AutohealCommand } from './tools.js';
import { sleepersWorkload, type Workload } from './workload.js';

/** A case's bound: wall ms and peak RSS in bytes, or a wall ratio to `node -e 0`. */
export interface Target {
  wallMs?: number;
  rssBytes?: number;
  ratio?: number;
}

export interface ScaleScenario {
  kind: 'scale';
  id: string;
  short: string;
  title: string;
  note: string;
  n: number;
  small: number;
  rounds: number;
}

/** One measured case of one build (or `node -e 0`). */
interface Case {
  id: string;
  label: string;
  build: string | null;
  argv: string[];
  target: Target | null;
  before?: () => void;
  wall: number[];
  cpu: number[];
  rss: number[];
  wrong: string[];
}

/** Medians of one case. */
export interface ScaleRow {
  id: string;
  label: string;
  build: string | null;
  target: Target | null;
  runs: number;
  wallMs: number;
  wallP25: number;
  wallP75: number;
  cpuMs: number;
  rssKiB: number;
  rssMaxKiB: number;
  /** Wall and CPU over `node -e 0`'s in the same run. */
  wallX: number;
  cpuX: number;
  wrong: string[];
}

export interface ScaleResult {
  scenario: ScaleScenario;
  /** Build labels in column order: the measured build first, then the baseline when there is one. */
  builds: string[];
  rows: ScaleRow[];
  /** Problems with the workload after the rounds (a restart ran, a service went down). */
  wrong: string[];
  rounds: number;
}

export const isScaleResult = (r: { scenario: { kind: string } }): r is ScaleResult => r.scenario.kind === 'scale';

const MB = 1_000_000;
const TARGETS: Record<string, Target> = {
  warm: { wallMs: 250, rssBytes: 60 * MB },
  cold: { wallMs: 600, rssBytes: 75 * MB },
  small: { ratio: 1.3 },
};

export function scaleScenario({ quick, rounds }: { quick: boolean; rounds?: number }): ScaleScenario {
  const n = 1000;
  return {
    kind: 'scale',
    id: 'S6',
    short: `healthy N=${n}, warm and cold`,
    title: `healthy at scale, N = ${n}: state directory kept between passes (warm) and first pass after a config edit (cold)`,
    note:
      `${n} services, all up: even ones by pid file, odd ones by process name, each with 0–2 hub dependencies (never probed: the services are up). ` +
      'As cron runs it: the installed binary with `--config` and `--state-dir`, no `--json`. Warm: the same state directory for every pass, so the ' +
      'config cache hits and the state holds every service. Cold: the config text changed (a comment appended) before every pass, so the pass ' +
      'parses the YAML and rewrites the cache; the state directory is kept. N = 10 (5 by pid file, 5 by name): the same, warm and cold, ' +
      'measured first, before the thousand processes exist, beside bare `node -e 0`; N = 1000 has its own `node -e 0` in its rounds. Every case ' +
      'runs once per round for wall and CPU time (bash `time`) and once for peak RSS (GNU time `%M`), all cases of a round in a random order; ' +
      'medians over the rounds. Check: every pass exits 0, no restart script ran, every service is still up.',
    n,
    small: 10,
    rounds: rounds ?? (quick ? 5 : 21),
  };
}

/** Lays out the workloads, runs the rounds and checks that nothing was restarted. */
export async function runScale(
  sc: ScaleScenario,
  ctx: RunContext & { autoheal: readonly AutohealCommand[]; baseline: AutohealCommand | null },
): Promise<ScaleResult> {
  const { benchDir, hub, children, log } = ctx;
  const builds = [...ctx.autoheal.slice(0, 1), ...(ctx.baseline ? [ctx.baseline] : [])];
  if (!builds.length) throw new Error('S6 needs a build of autoheal-once');
  const small = sleepersWorkload({ dir: join(benchDir, 'S6-small'), n: sc.small, hub, liveness: 'half', prefix: 'v' });
  const big = sleepersWorkload({ dir: join(benchDir, 'S6'), n: sc.n, hub, liveness: 'half', prefix: 'w' });
  const stateDir = (name: string): string => {
    const dir = join(benchDir, 'S6-state', name);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  };
  /** The cases of one size for every build: warm (config untouched) and cold (config edited before each run). */
  const casesOf = (w: Workload, size: 'small' | 'big'): Case[] => {
    const warm = join(w.dir, 'conf.yaml');
    const cold = join(w.dir, 'conf-edited.yaml');
    writeConfig(w, warm);
    copyFileSync(warm, cold);
    let edits = 0;
    const edit = (): void => appendFileSync(cold, `# edit ${++edits}\n`);
    const n = w.services.length;
    const out: Case[] = [blank(`${size}-node`, `\`node -e 0\` (beside N = ${n})`, null, [process.execPath, '-e', '0'], null)];
    builds.forEach((b, i) => {
      const tag = i === 0 ? 'after' : 'before';
      const pass = (config: string, dir: string): string[] => [...b.argv, '--config', config, '--state-dir', dir];
      const label = buildLabel(b, i);
      const id = size === 'small' ? ['small-warm', 'small-cold'] : ['warm', 'cold'];
      const targets = size === 'small' ? [TARGETS.small!, null] : [TARGETS.warm!, TARGETS.cold!];
      out.push(blank(`${tag}-${id[0]}`, `N = ${n}, warm`, label, pass(warm, stateDir(`${tag}-${id[0]}`)), targets[0]!));
      out.push(blank(`${tag}-${id[1]}`, `N = ${n}, cold`, label, pass(cold, stateDir(`${tag}-${id[1]}`)), targets[1]!, edit));
    });
    return out;
  };
  // N = 10 first, beside only what the machine runs anyway: a thousand more processes would make its /proc scan
  // that of a much busier host. Then N = 1000, with its own `node -e 0` in the same rounds.
  const cases: Case[] = [];
  for (const [w, size] of [
    [small, 'small'],
    [big, 'big'],
  ] as const) {
    layOut(w);
    await resetServices(w, { children });
    const phase = casesOf(w, size);
    cases.push(...phase);
    // One untimed pass each: it must be healthy and silent, and it leaves the warm state directories warm.
    for (const c of phase) await check(c);
    await runRounds(phase, sc.rounds, join(benchDir, 'S6-time.out'), (line) => log(`  S6 N = ${w.services.length} ${line}`));
  }
  const wrong: string[] = [];
  for (const w of [small, big]) {
    const restarted = [...restartCounts(w).keys()];
    if (restarted.length) wrong.push(`restarted ${restarted.length} services (must not): ${restarted.slice(0, 4).join(', ')}`);
    const procs = scan(w);
    const down = w.services.filter((s) => !isUp(s, procs.get(s.name)));
    if (down.length)
      wrong.push(
        `${down.length} services not running after the rounds: ${down
          .slice(0, 4)
          .map((s) => s.name)
          .join(', ')}`,
      );
  }
  return { scenario: sc, builds: builds.map(buildLabel), rows: summarize(cases), wrong, rounds: sc.rounds };
}

/** Every case once for time and once for peak RSS per round, all of a round in a random order. */
async function runRounds(cases: readonly Case[], rounds: number, scratch: string, log: (line: string) => void): Promise<void> {
  for (let r = 1; r <= rounds; r++) {
    for (const [c, kind] of shuffle(cases.flatMap((c) => [[c, 'time'] as const, [c, 'rss'] as const]))) {
      checkStop();
      c.before?.();
      // What a pass printed is kept only to explain a pass that did not exit 0.
      if (kind === 'time') {
        const got = await timeRun(c.argv, 120_000, `${scratch}.out`);
        if (got.exit !== 0) c.wrong.push(`round ${r}: exit ${got.exit}: ${printed(`${scratch}.out`)}`);
        else c.wall.push(got.wallMs), c.cpu.push(got.cpuMs);
      } else {
        const got = await peakRssRun(c.argv, scratch, 120_000);
        if (got.exit !== 0) c.wrong.push(`round ${r}: exit ${got.exit}: ${oneLine(got.out)}`);
        else c.rss.push(got.rssKiB);
      }
    }
    log(`round ${r}/${rounds}: ${cases.map((c) => `${c.id} ${Math.round(c.cpu.at(-1) ?? NaN)} ms CPU`).join(', ')}`);
  }
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 300);

function printed(file: string): string {
  try {
    return oneLine(readFileSync(file, 'utf8'));
  } catch {
    return '';
  }
}

function buildLabel(b: AutohealCommand, i: number): string {
  return i === 0 ? b.label : `${b.label} (baseline)`;
}

function blank(id: string, label: string, build: string | null, argv: string[], target: Target | null, before?: () => void): Case {
  return { id, label, build, argv, target, ...(before ? { before } : {}), wall: [], cpu: [], rss: [], wrong: [] };
}

/** One run that must exit 0 and print nothing: a healthy pass as cron runs it. */
async function check(c: Case): Promise<void> {
  c.before?.();
  const child = spawn(c.argv[0]!, c.argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  const code = await new Promise<number | null>((res, rej) => child.on('error', rej).on('close', res));
  if (code !== 0 || out !== '') throw new Error(`S6 ${c.id}: exit ${code}, expected 0 and no output; output: ${out.slice(0, 2000)}`);
}

function summarize(cases: readonly Case[]): ScaleRow[] {
  const nodeOf = (c: Case): Case => cases.find((x) => x.id === (c.id.includes('small') ? 'small-node' : 'big-node'))!;
  return cases.map((c) => ({
    id: c.id,
    label: c.label,
    build: c.build,
    target: c.target,
    runs: c.wall.length,
    wallMs: median(c.wall),
    wallP25: quantile(c.wall, 0.25),
    wallP75: quantile(c.wall, 0.75),
    cpuMs: median(c.cpu),
    rssKiB: median(c.rss),
    rssMaxKiB: c.rss.length ? Math.max(...c.rss) : Number.NaN,
    wallX: median(c.wall) / median(nodeOf(c).wall),
    cpuX: median(c.cpu) / median(nodeOf(c).cpu),
    wrong: c.wrong,
  }));
}

/** Which parts of its target a row meets; [] when it has none. */
export function judgeTarget(row: ScaleRow): { what: string; met: boolean }[] {
  const t = row.target;
  if (!t) return [];
  const out: { what: string; met: boolean }[] = [];
  if (t.wallMs !== undefined) out.push({ what: `wall ≤ ${t.wallMs} ms`, met: row.wallMs <= t.wallMs });
  if (t.rssBytes !== undefined) out.push({ what: `RSS ≤ ${t.rssBytes / MB} MB`, met: row.rssKiB * 1024 <= t.rssBytes });
  if (t.ratio !== undefined) out.push({ what: `wall ≤ ${t.ratio}x node`, met: row.wallX <= t.ratio });
  return out;
}

const f0 = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const x2 = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '–');

function targetText(t: Target | null): string {
  if (!t) return '–';
  const parts: string[] = [];
  if (t.wallMs !== undefined) parts.push(`≤ ${t.wallMs} ms`);
  if (t.rssBytes !== undefined) parts.push(`≤ ${t.rssBytes / MB} MB (${f1(t.rssBytes / 2 ** 20)} MiB)`);
  if (t.ratio !== undefined) parts.push(`≤ ${t.ratio}x \`node -e 0\``);
  return parts.join(', ');
}

function metText(row: ScaleRow): string {
  const wrong = row.wrong.length ? `wrong in ${row.wrong.length} runs (${row.wrong[0]}), left out; ` : '';
  const judged = judgeTarget(row);
  if (!judged.length) return wrong || '–';
  const missed = judged.filter((j) => !j.met);
  return `${wrong}${missed.length ? `**no** (${missed.map((j) => j.what).join(', ')})` : 'yes'}`;
}

/** The Markdown table of S6: one line per case, the builds side by side (measured build first). */
export function renderScaleTable(r: ScaleResult): string[] {
  const [after, before] = r.builds;
  const byId = new Map(r.rows.map((row) => [row.id, row]));
  const lines: string[] = [];
  if (before) {
    lines.push(`Both builds measured in the same ${r.rounds} rounds: **after** is ${after}, *before* is ${before}. Cells read "after (before)".`, '');
  } else {
    lines.push(`${r.rounds} rounds of ${after}.`, '');
  }
  lines.push(
    '| case | target | wall ms, median | wall p25–p75 | CPU ms (user+sys) | peak RSS MiB, median (max) | wall / `node -e 0` | CPU / `node -e 0` | target met |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const id of ['small-node', 'small-warm', 'small-cold', 'big-node', 'warm', 'cold']) {
    const node = id.endsWith('node') ? byId.get(id) : undefined;
    if (node) {
      const rss = `${f1(node.rssKiB / 1024)} (${f1(node.rssMaxKiB / 1024)})`;
      lines.push(
        `| ${node.label} | – | ${f0(node.wallMs)} | ${f0(node.wallP25)}–${f0(node.wallP75)} | ${f0(node.cpuMs)} | ${rss} | 1.00x | 1.00x | – |`,
      );
      continue;
    }
    const a = byId.get(`after-${id}`);
    if (!a) continue;
    const b = byId.get(`before-${id}`);
    const pair = (fa: string, fb: string | undefined): string => (fb === undefined ? fa : `**${fa}** (${fb})`);
    const cells = [
      pair(f0(a.wallMs), b && f0(b.wallMs)),
      pair(`${f0(a.wallP25)}–${f0(a.wallP75)}`, b && `${f0(b.wallP25)}–${f0(b.wallP75)}`),
      pair(f0(a.cpuMs), b && f0(b.cpuMs)),
      pair(`${f1(a.rssKiB / 1024)} (${f1(a.rssMaxKiB / 1024)})`, b && `${f1(b.rssKiB / 1024)} (${f1(b.rssMaxKiB / 1024)})`),
      pair(x2(a.wallX), b && x2(b.wallX)),
      pair(x2(a.cpuX), b && x2(b.cpuX)),
    ];
    const met = b ? `${metText(a)} (before: ${metText(b)})` : metText(a);
    lines.push(`| ${a.label} | ${targetText(a.target)} | ${cells.join(' | ')} | ${met} |`);
  }
  if (before) {
    lines.push('', 'after / before, medians of the same rounds:', '');
    lines.push('| case | wall | CPU | peak RSS |', '| --- | ---: | ---: | ---: |');
    for (const id of ['small-warm', 'small-cold', 'warm', 'cold']) {
      const a = byId.get(`after-${id}`);
      const b = byId.get(`before-${id}`);
      if (a && b) lines.push(`| ${a.label} | ${x2(a.wallMs / b.wallMs)} | ${x2(a.cpuMs / b.cpuMs)} | ${x2(a.rssKiB / b.rssKiB)} |`);
    }
  }
  for (const w of r.wrong) lines.push('', `- wrong: ${w}`);
  return lines;
}

/** One console / summary line per case of the measured build. */
export function scaleSummaryLines(r: ScaleResult): string[] {
  const rows = r.rows.filter((row) => row.id.startsWith('after-'));
  const before = new Map(r.rows.filter((row) => row.id.startsWith('before-')).map((row) => [row.id.slice('before-'.length), row]));
  const parts = rows.map((a) => {
    const b = before.get(a.id.slice('after-'.length));
    const was = b ? ` (before ${f0(b.wallMs)} ms, ${f1(b.rssKiB / 1024)} MiB)` : '';
    return `${a.label} ${f0(a.wallMs)} ms wall, ${f0(a.cpuMs)} ms CPU, ${f1(a.rssKiB / 1024)} MiB, ${x2(a.wallX)} node${was}: target ${metText(a)}`;
  });
  const wrong = r.wrong.length ? [`S6 WRONG: ${r.wrong.join('; ')}`] : [];
  return [...parts.map((p) => `S6 ${p}`), ...wrong];
}
