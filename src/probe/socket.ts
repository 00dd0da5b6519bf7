// Readiness by connecting to a unix stream socket (PostgreSQL's /run/postgresql/.s.PGSQL.5432, a docker.sock).
import { connect } from 'node:net';
import type { ProbeResult, ProbeStatus } from './types.js';
import { startStopwatch } from './deadline.js';

/** Connects to the socket at `path`; up when the connection is accepted within timeoutMs. Nothing is sent. */
export function probeSocket(path: string, timeoutMs: number): Promise<ProbeResult> {
  const elapsed = startStopwatch();
  return new Promise((resolve) => {
    let done = false;
    const socket = connect({ path });
    const finish = (status: ProbeStatus, reason: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, reason, ms: elapsed() });
    };
    const timer = setTimeout(() => finish('down', `no answer from ${path} within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => finish('up', `connected to ${path} in ${elapsed()} ms`));
    socket.once('error', (err: NodeJS.ErrnoException) => finish(...describeSocketError(err.code, path, err.message)));
  });
}

/** Status and reason for a failed connect: nothing there is down; permission denied is unknown (could not tell). */
export function describeSocketError(code: string | undefined, path: string, message = ''): [ProbeStatus, string] {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return ['down', `no socket at ${path}`];
    case 'ECONNREFUSED':
      return ['down', `connection refused by ${path} (a socket nobody listens on)`];
    case 'ENOTSOCK':
      return ['down', `${path} is not a socket`];
    case 'EPROTOTYPE':
      return ['down', `${path} is not a stream socket`];
    case 'EAGAIN':
      return ['down', `${path} is not accepting connections (its queue is full)`];
    case 'EACCES':
    case 'EPERM':
      return ['unknown', `permission denied connecting to ${path}`];
    default:
      return ['unknown', `cannot connect to ${path}: ${code ?? message}`];
  }
}
