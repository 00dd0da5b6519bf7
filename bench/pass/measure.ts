// Runs one command under GNU time, bounded in time, sampling the RSS of its whole process tree.
import { spawn } from 'node:child_process';
import { treeRssKiB } from '../shared/procs.js';
import { track, untrack } from '../shared/cleanup.js';
import { readGnuTime, underGnuTime } from '../shared/gnu-time.js';

const SAMPLE_EVERY_MS = 5;

/** One measured run: what the bench saw and what GNU time wrote. */
export interface MeasuredRun {
  wallMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** The largest sum of RSS over the command's process tree, sampled. */
  peakTreeKiB: number;
  peakProcs: number;
  /** GNU time's %M: the largest single process; null when time was killed first. */
  maxRssKiB: number | null;
}

/**
 * Runs argv (no shell) and resolves with wall time, exit status, output, the sampled peak of the summed RSS of the
 * process tree (the command and every descendant still attached to it) and GNU time's %M (the largest single process).
 */
export function measure(
  argv: readonly string[],
  { timeoutMs, timeFile, env, cwd }: { timeoutMs: number; timeFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<MeasuredRun> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const timed = underGnuTime(argv, timeFile, '%M %e');
    const child = spawn(timed[0]!, timed.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout can stop the whole tree by its pgid
      env: { ...process.env, ...env },
      ...(cwd === undefined ? {} : { cwd }),
    });
    const pid = child.pid!;
    track(pid, { group: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    let peakKiB = 0;
    let peakProcs = 0;
    const sample = (): void => {
      const { kib, count } = treeRssKiB(pid, { skipRoot: true });
      if (kib > peakKiB) peakKiB = kib;
      if (count > peakProcs) peakProcs = count;
    };
    const sampler = setInterval(sample, SAMPLE_EVERY_MS);
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    let wallMs = 0;
    child.on('exit', () => {
      wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearInterval(sampler);
      // A descendant that kept our stdout open must not hold the measurement.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 2000).unref();
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      untrack(pid);
      const maxRssKiB = readGnuTime(timeFile)?.[0] ?? null;
      resolve({ wallMs, code, signal, timedOut, stdout, stderr, peakTreeKiB: peakKiB, peakProcs, maxRssKiB });
    });
    sample();
  });
}
