// Runs the staged single executable the way cron runs a job, and times when its output pipes reach EOF.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { killPid } from '../helpers/util.js';
import type { Standalone } from './standalone.js';

/** The whole environment Vixie cron and cronie give a root job. */
export const CRON_ENV = ['PATH=/usr/bin:/bin', 'SHELL=/bin/sh', 'HOME=/root', 'LOGNAME=root'];
/**
 * How long after the exit a pipe may stay open before the run stops waiting for its EOF (and reports null). Only a
 * run whose pipes a process still holds waits this long: EOF otherwise follows the exit within milliseconds.
 */
const EOF_WAIT_MS = 15_000;

export interface CronRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From spawn to the process's exit. */
  exitMs: number;
  /** From the exit to the later EOF of stdout and stderr (0 when both came first); null when a pipe stayed open. */
  eofGapMs: number | null;
  /** What the binary's fds 1 and 2 were (`socket:[4242]`: node's 'pipe' is a socketpair, with a pipe's EOF rules). */
  pipes: string[];
}

/**
 * Writes `config` to <dir>/conf.yaml and runs `env -i <CRON_ENV> <binary> --config … --state-dir …` from HOME, with
 * stdin from /dev/null and stdout and stderr to pipes. Kills the binary by pid past `timeoutMs`.
 */
export function runAsCron(stage: Standalone, config: string, timeoutMs = 30_000): Promise<CronRun> {
  const configPath = stage.fx.writeText(config);
  mkdirSync(join(stage.dir, 'state'), { recursive: true });
  const argv = ['-i', ...CRON_ENV, stage.binary, '--config', configPath, '--state-dir', join(stage.dir, 'state')];
  const started = performance.now();
  // env execs the binary: the pid, and so the exit event, are autoheal-once's own.
  const child = spawn('/usr/bin/env', argv, { cwd: existsSync('/root') ? '/root' : '/', env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
  // spawn() returns once exec succeeded, so fds 1 and 2 are the binary's own and it cannot have exited yet.
  const pipes = [1, 2].map((fd) => readlinkSync(`/proc/${child.pid}/fd/${fd}`));
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const eof = { stdout: NaN, stderr: NaN };
  const bothAtEof = (): boolean => !Number.isNaN(eof.stdout) && !Number.isNaN(eof.stderr);
  let exited: { at: number; status: number | null; signal: NodeJS.Signals | null } | undefined;
  return new Promise((resolve, reject) => {
    const killer = setTimeout(() => void killPid(child.pid!), timeoutMs);
    let giveUp: NodeJS.Timeout | undefined;
    const settle = (): void => {
      if (!exited) return;
      clearTimeout(giveUp);
      const last = Math.max(eof.stdout, eof.stderr);
      const eofGapMs = Number.isNaN(last) ? null : Math.max(0, last - exited.at);
      resolve({ status: exited.status, signal: exited.signal, stdout, stderr, exitMs: exited.at - started, eofGapMs, pipes });
    };
    for (const which of ['stdout', 'stderr'] as const) {
      child[which].on('end', () => {
        eof[which] = performance.now();
        if (bothAtEof()) settle();
      });
    }
    child.on('error', reject);
    child.on('exit', (status, signal) => {
      clearTimeout(killer);
      exited = { at: performance.now(), status, signal };
      if (bothAtEof()) return settle();
      // A pipe held open by some descendant must not hang the test: stop listening and report null.
      giveUp = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        settle();
      }, EOF_WAIT_MS);
    });
  });
}
