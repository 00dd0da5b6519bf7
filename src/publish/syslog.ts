// Sends lines to the system log (I/O). Node cannot write to a unix datagram socket, so util-linux's logger does,
// with the priority of each line in its `<PRI>` prefix; it is in every Debian system (bsdutils, Essential).
import { spawn } from 'node:child_process';

const LOGGER = '/usr/bin/logger';
const TIMEOUT_MS = 5000;

/** Writes the `<PRI>`-prefixed lines to `socket` with the tag `autoheal` and our pid; a warning when it failed. */
export function sendToSyslog(lines: string, socket: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const args = ['--prio-prefix', '--tag', 'autoheal', `--id=${process.pid}`, '--socket', socket, '--socket-errors=on'];
    const child = spawn(LOGGER, args, { stdio: ['pipe', 'ignore', 'pipe'], cwd: '/' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1000) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`system log: ${LOGGER} still running after ${TIMEOUT_MS} ms; killed`);
    }, TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(`system log: cannot run ${LOGGER}: ${error.message}`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `system log: ${stderr.trim().split('\n')[0] || `${LOGGER} exited ${code}`}`);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(lines);
  });
}
