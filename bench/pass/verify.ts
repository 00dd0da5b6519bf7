// Judges what a tool did, from the OS: which restart scripts ran, which services are up; never from its exit code alone.
import { isUp, linkLog, restartCounts, scan } from './services.js';
import type { Workload } from './workload.js';

/** What the judge needs of a measured pass. */
export interface JudgedRun {
  timedOut: boolean;
  wallMs: number;
  code: number | null;
}

const list = (names: readonly string[]): string => `${names.length}: ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}`;

/** Problems with one pass that should have restarted exactly `expected` and left every other service as it was. */
export function judgePass(
  w: Workload,
  run: JudgedRun,
  { expected, tool, exitCode }: { expected: ReadonlySet<string>; tool: { kind?: string }; exitCode: number | undefined },
): string[] {
  const wrong: string[] = [];
  if (run.timedOut) wrong.push(`did not finish within its bound (${Math.round(run.wallMs)} ms)`);
  const counts = restartCounts(w);
  const missed = [...expected].filter((n) => !counts.has(n));
  const extra = [...counts.keys()].filter((n) => !expected.has(n));
  const twice = [...counts].filter(([n, c]) => expected.has(n) && c > 1).map(([n, c]) => `${n}×${c}`);
  if (missed.length) wrong.push(`did not restart ${list(missed)}`);
  if (extra.length) wrong.push(`restarted ${list(extra)} (must not)`);
  if (twice.length) wrong.push(`restarted more than once: ${list(twice)}`);
  const procs = scan(w);
  const down = w.services.filter((s) => (!w.dead.has(s.name) || expected.has(s.name)) && !isUp(s, procs.get(s.name)));
  if (down.length && !missed.length) wrong.push(`not running after the pass: ${list(down.map((s) => s.name))}`);
  if (tool.kind === 'autoheal' && run.code !== exitCode) wrong.push(`exit ${run.code}, expected ${exitCode}`);
  return wrong;
}

/** Problems with a chain run: every link started once, only after its dependency's port answered, all up at the end. */
export function judgeChain(w: Workload, { allUp, portsOpen }: { allUp: boolean; portsOpen: boolean }): string[] {
  const wrong: string[] = [];
  const counts = restartCounts(w);
  const twice = [...counts].filter(([, c]) => c > 1).map(([n, c]) => `${n}×${c}`);
  if (twice.length) wrong.push(`restarted more than once: ${list(twice)}`);
  const early = linkLog(w)
    .filter(([, , dep]) => dep !== 'dep-ready')
    .map(([n]) => n ?? '?');
  if (early.length) wrong.push(`started before its dependency answered: ${list(early)}`);
  if (!allUp) wrong.push('not all links up within the bound');
  else if (!portsOpen) wrong.push('links up but not all ports open');
  return wrong;
}
