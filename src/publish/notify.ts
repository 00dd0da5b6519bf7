// Runs the operator's notify commands (I/O): /bin/sh -c, the event in the environment and as one JSON line on
// stdin, each bounded by a timeout that kills its process group. A failure is a warning, never a reason to stop.
import { spawn } from 'node:child_process';
import { buildRestartEnv } from '../act/env.js';
import type { PassEvent } from '../report/events.js';
import { printable } from '../text/printable.js';

export interface Notification {
  command: string;
  event: PassEvent;
}

/** Runs every notification at once; returns a warning for each that failed or timed out. */
export async function runNotifications(
  list: readonly Notification[],
  host: string,
  timeoutMs: number,
  baseEnv: NodeJS.ProcessEnv,
): Promise<string[]> {
  const results = await Promise.all(list.map((n) => runOne(n, host, timeoutMs, baseEnv)));
  return results.filter((w): w is string => w !== undefined);
}

function runOne({ command, event }: Notification, host: string, timeoutMs: number, baseEnv: NodeJS.ProcessEnv): Promise<string | undefined> {
  const env = { ...buildRestartEnv(baseEnv, event.service, printable(event.reason)), AUTOHEAL_EVENT: event.event, AUTOHEAL_HOST: host };
  const line = `${JSON.stringify({ ...event, host })}\n`;
  const what = `notify for ${printable(event.service)} ${event.event}`;
  return new Promise((resolve) => {
    // Its own process group, so a timeout kills what the command started too.
    const child = spawn('/bin/sh', ['-c', command], { detached: true, cwd: '/', env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1000) stderr += d.toString();
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(line);
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve(`${what}: still running after ${timeoutMs} ms; killed`);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`${what}: cannot run /bin/sh: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(undefined);
      const said = stderr.trim().split('\n')[0]?.slice(0, 200);
      resolve(`${what}: ${signal ? `killed by ${signal}` : `exited ${code}`}${said ? `: ${printable(said)}` : ''}`);
    });
  });
}
