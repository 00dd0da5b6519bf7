// Readiness by running a command (`pg_isready -q`, `redis-cli ping`): ready when it exits 0 in time.
import { spawn } from 'node:child_process';
import type { ProbeResult } from './types.js';
import { startStopwatch, withDeadline } from './deadline.js';
import { FULL_PATH, needsFullPath } from '../util/path-env.js';
import { prepareCommand, type RunAs } from '../util/run-as.js';
import type { AccountLookup } from '../util/accounts.js';

/** Output kept for the reason: the first line of what the command printed, cut. */
const MAX_OUTPUT_BYTES = 512;
const MAX_REASON_CHARS = 160;
/** After SIGKILL, how long to wait for the shell's exit to be reported before answering anyway. */
const AFTER_KILL_MS = 2000;
/** After a failing command exits, how long its output may take to arrive when something else still holds the pipe. */
const OUTPUT_AFTER_EXIT_MS = 1000;

/** How a command probe runs: as whom (the service's `user`, `group`, `cwd`, `env`, `umask`); tests may change the shell. */
export interface CommandOptions {
  shell?: string;
  env?: NodeJS.ProcessEnv;
  runAs?: RunAs;
  /** Where `user` and `group` are looked up: the pass's lookups, which ask each name once; by default afresh. */
  accounts?: AccountLookup;
}

/**
 * Runs `/bin/sh -c command` in its own process group, stdin from /dev/null, cwd `/` unless `runAs` says otherwise,
 * as `runAs`'s user and group (through setpriv, as restart scripts are). Up on exit 0; down on any other exit,
 * with the first line it printed; at the timeout its whole process group gets SIGKILL and it is down. Whatever is
 * left in its group when it exits is killed too: a probe leaves nothing behind. A user it cannot run as (unknown,
 * or autoheal-once is not root) is `unknown`, never a run as root.
 */
export async function probeCommand(command: string, timeoutMs: number, opts: CommandOptions = {}): Promise<ProbeResult> {
  const elapsed = startStopwatch();
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(opts.env ?? process.env)) if (value !== undefined) base[key] = value;
  if (needsFullPath(base['PATH'])) base['PATH'] = FULL_PATH;
  // One pipe for both streams (`exec 2>&1` first), so the first line shown is the first line printed.
  // Looking the user up (getent: NSS, perhaps LDAP) counts against the probe's own timeout.
  const prepared = await withDeadline(prepareCommand(`exec 2>&1\n${command}`, opts.runAs ?? {}, base, opts.shell, opts.accounts), timeoutMs);
  if (prepared.timedOut)
    return { status: 'unknown', reason: `cannot run the command: no answer from the account database within ${timeoutMs} ms`, ms: elapsed() };
  const how = prepared.value;
  if ('error' in how) return { status: 'unknown', reason: `cannot run the command: ${how.error}`, ms: elapsed() };
  return new Promise((resolve) => {
    let done = false;
    let timedOut = false;
    const output: Buffer[] = [];
    let kept = 0;
    const child = spawn(how.file, how.args, { detached: true, stdio: ['ignore', 'pipe', 'ignore'], cwd: how.cwd, env: how.env });
    const keep = (chunk: Buffer): void => {
      if (kept >= MAX_OUTPUT_BYTES) return;
      output.push(chunk.subarray(0, MAX_OUTPUT_BYTES - kept));
      kept += Math.min(chunk.length, MAX_OUTPUT_BYTES - kept);
    };
    child.stdout.on('data', keep);
    const finish = (result: Omit<ProbeResult, 'ms'>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(afterKill);
      // A daemon the command left in its group holds the pipes: stop reading instead of waiting for them.
      child.stdout.destroy();
      resolve({ ...result, ms: elapsed() });
    };
    let afterKill: NodeJS.Timeout | undefined;
    const timer = setTimeout(
      () => {
        timedOut = true;
        killGroup(child.pid);
        afterKill = setTimeout(() => finish({ status: 'down', reason: `no answer within ${timeoutMs} ms: killed its process group` }), AFTER_KILL_MS);
      },
      Math.max(0, timeoutMs - elapsed()),
    );
    child.once('error', (err) => finish({ status: 'unknown', reason: `cannot run the command: ${err.message}` }));
    child.once('exit', (code, signal) => {
      killGroup(child.pid);
      if (timedOut) return finish({ status: 'down', reason: `no answer within ${timeoutMs} ms: killed its process group` });
      clearTimeout(timer);
      if (code === 0) return finish({ status: 'up', reason: `exit 0 in ${elapsed()} ms` });
      const how = signal ? `killed by ${signal}` : `exit ${code}`;
      // 'exit' can come before the last of the output is read: the reason waits for the pipe's end, or a moment
      // when a process that left the group still holds it.
      const report = (): void => {
        const said = firstLine(Buffer.concat(output).toString('utf8'));
        finish({ status: 'down', reason: said ? `${how}: ${said}` : how });
      };
      if (child.stdout.readableEnded) return report();
      child.stdout.once('end', report);
      child.stdout.once('close', report);
      afterKill = setTimeout(report, OUTPUT_AFTER_EXIT_MS);
    });
  });
}

// Its own group (detached: setsid), so -pid reaches the shell and everything it started but did not move away.
function killGroup(pid: number | undefined): void {
  if (pid === undefined || pid <= 1) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone
  }
}

function firstLine(text: string): string {
  const line =
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS)}...` : line;
}
