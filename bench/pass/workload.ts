// Builds the services of each scenario (pure): names, liveness by pid file and/or process name, deps, restart scripts.
import { join } from 'node:path';
import { mulberry32 } from '../../test/helpers/prng.js';

/** The ports of the hub process (bench/shared/hub.ts), by kind. */
export interface HubPorts {
  tcp: number[];
  http: number[];
  hang: number[];
}

/** A dependency as the config writes it. */
export interface BenchDep {
  name: string;
  host?: string;
  port?: number;
  url?: string;
  timeout?: number | string;
}

/** One service of a workload: how it is found (pid file, name), what it needs, how it restarts. */
export interface BenchService {
  name: string;
  /** The symlink to sleep named after the service; absent for chain links. */
  bin?: string;
  pidFile?: string;
  pname?: string;
  deps: BenchDep[];
  script: string;
  /** Chain links: their TCP port. */
  port?: number;
  argv1?: string;
}

/** What a scenario lays out: its services and which of them are dead at the start of a pass. */
export interface Workload {
  kind: 'sleepers' | 'chain';
  dir: string;
  services: BenchService[];
  dead: Set<string>;
  zombies?: boolean;
}

const pad = (i: number): string => String(i).padStart(4, '0');
const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

/** A restart script that logs the restart and starts the service's tiny process, writing its pid file itself. */
function sleeperScript(dir: string, svc: BenchService): string {
  const start = `${svc.bin} 7200 </dev/null >/dev/null 2>&1 &`;
  const pid = svc.pidFile ? ` echo $! > ${svc.pidFile}` : '';
  return `echo ${svc.name} >> ${join(dir, 'restarts.log')}; ${start}${pid}`;
}

/**
 * N services; service i has i % 3 dependencies: a hub TCP port, a hub HTTP url, or (one in five) an earlier
 * service of this config by name with a hub TCP port as its readiness probe. `dead` names the services to be
 * down at the start of a pass; no dead service depends by name on another dead one, so all their deps are ready.
 */
export interface SleepersOptions {
  dir: string;
  n: number;
  hub: HubPorts;
  deadCount?: number;
  seed?: number;
  timeout?: number | string;
  /** How services are found: 'mixed' (3 in 4 by pid file, one in ten also by name) or 'half' (even by pid file, odd by name). */
  liveness?: 'mixed' | 'half';
  /** First letter of the service names (s0001, ...): two workloads alive at once must not share process names. */
  prefix?: string;
}

export function sleepersWorkload({
  dir,
  n,
  hub,
  deadCount = 0,
  seed = 42,
  timeout = 2,
  liveness = 'mixed',
  prefix = 's',
}: SleepersOptions): Workload {
  // Seeded, so every run and every tool sees the same workload.
  const rand = mulberry32(seed + n);
  const names = Array.from({ length: n }, (_, i) => `${prefix}${pad(i + 1)}`);
  const dead = new Set<string>();
  while (dead.size < deadCount) dead.add(pick(rand, names));
  const services = names.map((name, i) => {
    const svc: BenchService = { name, bin: join(dir, 'bin', `ahb-${name}`), deps: [], script: '' };
    const byPidFile = liveness === 'half' ? i % 2 === 0 : i % 4 !== 3;
    const byName = liveness === 'half' ? i % 2 === 1 : i % 4 === 3 || i % 10 === 1;
    if (byPidFile) svc.pidFile = join(dir, 'run', `${name}.pid`);
    if (byName) svc.pname = `ahb-${name}`;
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
export function zombieWorkload(opts: SleepersOptions): Workload {
  return { ...sleepersWorkload(opts), zombies: true };
}

/** `count` services, all dead, each depending on its own hub port that accepts and never answers. */
export function hungWorkload({ dir, count, hub, timeout = 2 }: { dir: string; count: number; hub: HubPorts; timeout?: number | string }): Workload {
  const services = Array.from({ length: count }, (_, i) => {
    const name = `h${pad(i + 1)}`;
    const svc: BenchService = { name, bin: join(dir, 'bin', `ahb-${name}`), pidFile: join(dir, 'run', `${name}.pid`), deps: [], script: '' };
    svc.deps = [{ name: `slow-api-${i + 1}`, url: `http://127.0.0.1:${hub.hang[i]}/check`, timeout }];
    svc.script = sleeperScript(dir, svc);
    return svc;
  });
  return { kind: 'sleepers', dir, services, dead: new Set(services.map((s) => s.name)) };
}

/** A chain s1 <- s2 <- ... <- sK, all dead; each link opens its TCP port `delayMs` after it starts. */
export function chainWorkload({
  dir,
  length,
  ports,
  linkScript,
  delayMs = 300,
  timeout = 2,
}: {
  dir: string;
  length: number;
  ports: number[];
  linkScript: string;
  delayMs?: number;
  timeout?: number | string;
}): Workload {
  const services = ports
    .map((port, i): BenchService => {
      const name = `c${i + 1}`;
      const pidFile = join(dir, 'run', `${name}.pid`);
      const depPort = i > 0 ? ` ${ports[i - 1]}` : '';
      const start = `${process.execPath} ${linkScript} ${name} ${port} ${delayMs} ${join(dir, 'links.log')}${depPort}`;
      const script = `echo ${name} >> ${join(dir, 'restarts.log')}; ${start} </dev/null >/dev/null 2>&1 & echo $! > ${pidFile}`;
      const deps = i > 0 ? [{ name: `c${i}`, host: '127.0.0.1', port: ports[i - 1]!, timeout }] : [];
      return { name, pidFile, port, deps, script, argv1: linkScript };
    })
    .slice(0, length);
  return { kind: 'chain', dir, services, dead: new Set(services.map((s) => s.name)) };
}
