// Local servers for the probe tests: all on 127.0.0.1, port 0, closed by the test that opened them.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, killPid, waitFor, tempDir } from '../helpers/util.js';

/** A listening test server: its port, what it accepted, and how to stop it. */
export interface Listening {
  port: number;
  /** Every connection the server accepted, in order. */
  sockets: Socket[];
  close: () => Promise<void>;
}

/** Listens on 127.0.0.1:0; `onConnection` gets each socket (none: accept and never answer). */
export async function listenTcp(onConnection: (socket: Socket) => void = () => {}): Promise<Listening> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const close = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port: address.port, sockets, close };
}

/** A port nothing listens on: bound on port 0, then closed. */
export async function refusedPort(): Promise<number> {
  const l = await listenTcp();
  await l.close();
  return l.port;
}

/** A server that answers each connection with exactly these bytes (then, if asked, closes). */
export function replayHttp(bytes: string | Buffer, opts: { end?: boolean } = {}): Promise<Listening> {
  return listenTcp((socket) => {
    socket.once('data', () => (opts.end ? socket.end(bytes) : socket.write(bytes)));
  });
}

const BACKLOG = 1;

/**
 * A listening socket whose accept queue is full, so a further SYN is dropped and connect hangs: a child
 * process listens with backlog 1 and blocks its event loop so it never accepts; fillers take the queue.
 */
export async function fullBacklog(): Promise<{ port: number; close: () => Promise<void> }> {
  const tmp = tempDir();
  const portFile = join(tmp.dir, 'port');
  const code = `const s = require('net').createServer();
s.listen({ port: 0, host: '127.0.0.1', backlog: ${BACKLOG} }, () => {
  const fs = require('fs');
  fs.writeFileSync(${JSON.stringify(portFile + '.tmp')}, String(s.address().port));
  fs.renameSync(${JSON.stringify(portFile + '.tmp')}, ${JSON.stringify(portFile)});
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;
  const child = startChild(process.execPath, ['-e', code]);
  const pid = child.pid!;
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const s of fillers) s.destroy();
    await killPid(pid);
    tmp.cleanup();
  };
  try {
    const port = Number(await waitFor(() => readPort(portFile), 'the backlog listener port'));
    // Connect until the kernel's accept queue holds more than the backlog: it then drops every further SYN. The
    // queue is read from /proc/net/tcp, so how fast this machine answers a connection does not matter.
    for (let i = 0; i < 16; i++) {
      const queued = acceptQueue(port);
      if (queued > BACKLOG) return { port, close };
      const s = connect(port, '127.0.0.1');
      s.on('error', () => {});
      fillers.push(s);
      await waitFor(() => acceptQueue(port) > queued, 'a filler connection to be queued', 10_000, 5);
    }
    throw new Error('the accept queue never filled');
  } catch (err) {
    await close();
    throw err;
  }
}

/** How many established connections wait in the accept queue of the listener on 127.0.0.1:port (/proc/net/tcp). */
function acceptQueue(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, address, , st, queues] = line.trim().split(/\s+/);
    // For a listener (st 0A) the rx_queue column is the accept queue's length.
    if (address === local && st === '0A') return parseInt(queues!.split(':')[1]!, 16);
  }
  throw new Error(`no listener on 127.0.0.1:${port} in /proc/net/tcp`);
}

function readPort(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8') || undefined;
  } catch {
    return undefined;
  }
}

/** Writes text to a file (a tiny helper so tests read as data). */
export const put = (path: string, text: string): string => (writeFileSync(path, text), path);
