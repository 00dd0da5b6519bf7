// Builds the services of each scenario (pure): names, liveness by pid file and/or process name, deps, restart scripts.
import { join } from 'node:path';

/** Deterministic PRNG (mulberry32), so every run and every tool sees the same workload. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (i) => String(i).padStart(4, '0');
const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** A restart script that logs the restart and starts the service's tiny process, writing its pid file itself. */
function sleeperScript(dir, svc) {
  const start = `${svc.bin} 7200 </dev/null >/dev/null 2>&1 &`;
  const pid = svc.pidFile ? ` echo $! > ${svc.pidFile}` : '';
  return `echo ${svc.name} >> ${join(dir, 'restarts.log')}; ${start}${pid}`;
}

/**
 * N services; service i has i % 3 dependencies: a hub TCP port, a hub HTTP url, or (one in five) an earlier
 * service of this config by name with a hub TCP port as its readiness probe. `dead` names the services to be
 * down at the start of a pass; no dead service depends by name on another dead one, so all their deps are ready.
 */
export function sleepersWorkload({ dir, n, hub, deadCount = 0, seed = 42, timeout = 2 }) {
  const rand = rng(seed + n);
  const names = Array.from({ length: n }, (_, i) => `s${pad(i + 1)}`);
  const dead = new Set();
  while (dead.size < deadCount) dead.add(pick(rand, names));
  const services = names.map((name, i) => {
    const svc = { name, bin: join(dir, 'bin', `ahb-${name}`), deps: [] };
    if (i % 4 !== 3) svc.pidFile = join(dir, 'run', `${name}.pid`);
    if (i % 4 === 3 || i % 10 === 1) svc.pname = `ahb-${name}`;
    for (let d = 0; d < i % 3; d++) {
      const r = rand();
      const earlier = names.slice(0, i).filter((x) => !dead.has(x) || !dead.has(name));
      if (r < 0.2 && earlier.length) {
        const dep = pick(rand, earlier);
        svc.deps.push({ name: dep, host: '127.0.0.1', port: pick(rand, hub.tcp), timeout });
      } else if (r < 0.6) {
        svc.deps.push({ name: `db-${d}-${i}`, host: '127.0.0.1', port: pick(rand, hub.tcp), timeout });
      } else {
        svc.deps.push({ name: `api-${d}-${i}`, url: `http://127.0.0.1:${pick(rand, hub.http)}/check`, timeout });
      }
    }
    svc.script = sleeperScript(dir, svc);
    return svc;
  });
  return { kind: 'sleepers', dir, services, dead };
}

/** Like sleepersWorkload, but the dead services' processes are zombies whose parent never reaps them. */
export function zombieWorkload(opts) {
  return { ...sleepersWorkload(opts), zombies: true };
}

/** `count` services, all dead, each depending on its own hub port that accepts and never answers. */
export function hungWorkload({ dir, count, hub, timeout = 2 }) {
  const services = Array.from({ length: count }, (_, i) => {
    const name = `h${pad(i + 1)}`;
    const svc = { name, bin: join(dir, 'bin', `ahb-${name}`), pidFile: join(dir, 'run', `${name}.pid`) };
    svc.deps = [{ name: `slow-api-${i + 1}`, url: `http://127.0.0.1:${hub.hang[i]}/check`, timeout }];
    svc.script = sleeperScript(dir, svc);
    return svc;
  });
  return { kind: 'sleepers', dir, services, dead: new Set(services.map((s) => s.name)) };
}

/** A chain s1 <- s2 <- ... <- sK, all dead; each link opens its TCP port `delayMs` after it starts. */
export function chainWorkload({ dir, length, ports, linkScript, delayMs = 300, timeout = 2 }) {
  const services = ports.map((port, i) => {
    const name = `c${i + 1}`;
    const pidFile = join(dir, 'run', `${name}.pid`);
    const depPort = i > 0 ? ` ${ports[i - 1]}` : '';
    const start = `${process.execPath} ${linkScript} ${name} ${port} ${delayMs} ${join(dir, 'links.log')}${depPort}`;
    const script =
      `echo ${name} >> ${join(dir, 'restarts.log')}; ${start} </dev/null >/dev/null 2>&1 & echo $! > ${pidFile}`;
    const deps = i > 0 ? [{ name: `c${i}`, host: '127.0.0.1', port: ports[i - 1], timeout }] : [];
    return { name, pidFile, port, deps, script, argv1: linkScript };
  }).slice(0, length);
  return { kind: 'chain', dir, services, dead: new Set(services.map((s) => s.name)) };
}
