// The start-up bench's workload: an installed copy of the binary, 127.0.0.1 dependencies, configs of N services.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';

/**
 * A TCP server that accepts and closes, and an HTTP server answering 200, both on 127.0.0.1 port 0, inside the bench
 * process (which must therefore never block its event loop while a pass runs).
 */
export async function startDependencies(): Promise<{ ports: { tcp: number; http: number }; close: () => Promise<void> }> {
  const tcp = createTcpServer((socket) => socket.end());
  const http = createHttpServer((_req, res) => res.end('ok\n'));
  const listen = (server: Server): Promise<number> =>
    new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const ports = { tcp: await listen(tcp), http: await listen(http) };
  const close = async (): Promise<void> => {
    http.closeAllConnections();
    await Promise.all([tcp, http].map((s) => new Promise((resolve) => s.close(resolve))));
  };
  return { ports, close };
}

/** Copies the binary as an operator installs it: how a file was written changes how much of it is mapped (peak RSS). */
export function installBinary(binary: string, dir: string): string {
  const installed = join(dir, 'bin', 'autoheal-once');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFileSync(binary, installed);
  return installed;
}

/**
 * Writes <dir>/<name>/conf.yaml: n services, each with a pid file, a TCP dependency shared by all (one probe) and an
 * HTTP dependency of its own (one probe each). alive: every pid file holds `pid` (healthy: no dependency is probed);
 * otherwise no pid file exists (down: every dependency is probed). Returns the config path and a state dir.
 */
export function writeWorkload(
  dir: string,
  name: string,
  { n, alive, pid, ports }: { n: number; alive: boolean; pid: number; ports: { tcp: number; http: number } },
): { config: string; stateDir: string } {
  const base = join(dir, name);
  mkdirSync(join(base, 'run'), { recursive: true });
  mkdirSync(join(base, 'state'), { recursive: true });
  let yaml = '';
  for (let i = 0; i < n; i++) {
    const pidFile = join(base, 'run', `svc${i}.pid`);
    if (alive) writeFileSync(pidFile, `${pid}\n`);
    yaml += `svc${i}:\n  pid_file: ${pidFile}\n  script: /bin/true\n  dep:\n`;
    yaml += `    - name: db\n      host: 127.0.0.1\n      port: ${ports.tcp}\n`;
    yaml += `    - name: api${i}\n      url: http://127.0.0.1:${ports.http}/health/${i}\n`;
  }
  const config = join(base, 'conf.yaml');
  writeFileSync(config, yaml, { mode: 0o600 });
  return { config, stateDir: join(base, 'state') };
}
