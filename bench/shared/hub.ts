// One process serving many loopback ports: TCP ports that accept, HTTP ports that answer 200, ports that never answer.
// Usage: node hub.js TCP_COUNT HTTP_COUNT HANG_COUNT  -> prints {"tcp":[...],"http":[...],"hang":[...]} on one line
import { createServer as createTcp, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createHttp } from 'node:http';

const [tcpCount, httpCount, hangCount] = process.argv.slice(2).map(Number);
const held = new Set<Socket>();

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', 1024, () => resolve((server.address() as AddressInfo).port));
  });

const tcp = () => createTcp((socket) => socket.destroy());
const http = () => {
  const server = createHttp((_req, res) => res.end('ok\n'));
  server.keepAliveTimeout = 100;
  return server;
};
// Accepts and never answers: the peer has to give up by its own timeout.
const hang = () =>
  createTcp((socket) => {
    held.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => held.delete(socket));
  });

const ports: Record<'tcp' | 'http' | 'hang', number[]> = { tcp: [], http: [], hang: [] };
for (let i = 0; i < (tcpCount ?? 0); i++) ports.tcp.push(await listen(tcp()));
for (let i = 0; i < (httpCount ?? 0); i++) ports.http.push(await listen(http()));
for (let i = 0; i < (hangCount ?? 0); i++) ports.hang.push(await listen(hang()));
process.stdout.write(`${JSON.stringify(ports)}\n`);

// Bounded life even if the bench that started it dies without stopping it.
setTimeout(() => process.exit(0), Number(process.env.HUB_MAX_LIFE_MS ?? 3_600_000)).unref();
setInterval(() => {}, 1 << 30);
process.on('SIGTERM', () => process.exit(0));
