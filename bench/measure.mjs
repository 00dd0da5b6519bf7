// Runs one command under GNU time, bounded in time, sampling the RSS of its whole process tree.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { treeRssKiB } from './procs.mjs';
import { track, untrack } from './cleanup.mjs';

const SAMPLE_EVERY_MS = 5;

/**
 * Runs argv (no shell) and resolves with wall time, exit status, output, the sampled peak of the summed RSS of the
 * process tree (the command and every descendant still attached to it) and GNU time's %M (the largest single process).
 */
export function measure(argv, { timeoutMs, timeFile, env, cwd }) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M %e', '-o', timeFile, '--', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout can stop the whole tree by its pgid
      env: { ...process.env, ...env },
      cwd,
    });
    track(child.pid, { group: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let peakKiB = 0;
    let peakProcs = 0;
    const sample = () => {
      const { kib, count } = treeRssKiB(child.pid, { skipRoot: true });
      if (kib > peakKiB) peakKiB = kib;
      if (count > peakProcs) peakProcs = count;
    };
    const sampler = setInterval(sample, SAMPLE_EVERY_MS);
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
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
      untrack(child.pid);
      let maxRssKiB = null;
      try {
        maxRssKiB = Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ')[0]);
        rmSync(timeFile, { force: true });
      } catch {
        // killed before time wrote its line
      }
      resolve({ wallMs, code, signal, timedOut, stdout, stderr, peakTreeKiB: peakKiB, peakProcs, maxRssKiB });
    });
    sample();
  });
}
