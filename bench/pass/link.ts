// A chain link for S4: notes whether its dependency's port answered when it started, then opens its own port late.
// Usage: node link.js NAME PORT DELAY_MS LOG_FILE [DEP_PORT]   (its restart script writes the pid file)
import { createServer, connect } from 'node:net';
import { appendFileSync } from 'node:fs';

const [name, port, delayMs, logFile, depPort] = process.argv.slice(2);

const depReady = (): Promise<boolean> =>
  new Promise((resolve) => {
    if (!depPort) return resolve(true);
    const s = connect({ host: '127.0.0.1', port: Number(depPort) });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

appendFileSync(logFile!, `${name!} ${Date.now()} dep-${(await depReady()) ? 'ready' : 'NOT-ready'}\n`);
setTimeout(() => createServer((s) => s.destroy()).listen(Number(port), '127.0.0.1'), Number(delayMs));
setTimeout(() => process.exit(0), 3_600_000).unref();
setInterval(() => {}, 1 << 30);
