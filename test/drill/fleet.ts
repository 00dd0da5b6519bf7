// The drill's fleet: three hosts in network namespaces, each with its own config, state dir and daemon.
//   A (10.77.1.1)  db:    redis-server on 10.77.1.1:6379
//   B (10.77.1.2, 10.77.2.1)  app:  broken-app.mjs on 10.77.2.1:8080, needs db (runs broken for good if started first)
//   C (10.77.2.2)  front: nginx on 127.0.0.1:80, proxying to the app
// A and B share one veth link, B and C another; the addresses exist only inside the namespaces.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configYaml, type ServiceSpec } from '../helpers/config-fixture.js';
import { fixture, tempDir } from '../helpers/util.js';
import { addNamespace, link, removeNamespaces } from './netns.js';

export type HostKey = 'A' | 'B' | 'C';
export const hostKeys: readonly HostKey[] = ['A', 'B', 'C'];

/** One service of the fleet, the host it lives on, and what says it is ready. */
export interface FleetService {
  name: 'db' | 'app' | 'front';
  host: HostKey;
  /** Its own readiness, probed from its host: the port it serves. */
  ready: { host: string; port: number };
  /** The direct dependency it needs, as host:port, probed from its host. */
  needs?: string;
}

export const services: readonly FleetService[] = [
  { name: 'db', host: 'A', ready: { host: '10.77.1.1', port: 6379 } },
  { name: 'app', host: 'B', ready: { host: '10.77.2.1', port: 8080 }, needs: '10.77.1.1:6379' },
  { name: 'front', host: 'C', ready: { host: '127.0.0.1', port: 80 }, needs: '10.77.2.1:8080' },
];

export interface Host {
  key: HostKey;
  ns: string;
  dir: string;
  config: string;
  stateDir: string;
  /** Where the restart scripts record each start (what autoheal-once started). */
  startLog: string;
  /** Where "init" records the starts it did itself. */
  initLog: string;
}

export interface Fleet {
  dir: string;
  hosts: Record<HostKey, Host>;
  binary: string;
}

/** Extra keys per service (e.g. a `check`). */
export type ServiceExtras = Partial<Record<FleetService['name'], ServiceSpec>>;

/** Absolute paths of the Debian daemons, or a message naming what is missing. */
export function findDaemons(): { redis: string; nginx: string } {
  const find = (name: string): string => {
    for (const dir of ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
    throw new Error(`${name} is not installed (.ci/apt-packages lists its Debian package; apt-get install redis-server nginx-light)`);
  };
  return { redis: find('redis-server'), nginx: find('nginx') };
}

/** The shell command that starts a service, recording the start in `log`. */
export function startScript(fleet: Fleet, service: FleetService, log: string): string {
  const { redis, nginx } = findDaemons();
  const host = fleet.hosts[service.host];
  const wrapper = [process.execPath, fixture('bin', 'drill-start.mjs'), '--log', log, '--service', service.name];
  if (service.needs) wrapper.push('--needs', service.needs);
  if (service.name === 'db') {
    return [
      ...wrapper,
      '--',
      redis,
      '--bind',
      '10.77.1.1',
      '--port',
      '6379',
      '--daemonize',
      'yes',
      '--pidfile',
      pidFile(host, 'db'),
      '--dir',
      join(host.dir, 'data'),
      '--save',
      "''",
      '--appendonly',
      'no',
      '--logfile',
      join(host.dir, 'redis.log'),
    ].join(' ');
  }
  if (service.name === 'app') {
    return [
      ...wrapper,
      '--background',
      '--',
      process.execPath,
      fixture('bin', 'broken-app.mjs'),
      '--db-host',
      '10.77.1.1',
      '--db-port',
      '6379',
      '--host',
      '10.77.2.1',
      '--port',
      '8080',
      '--pid-file',
      pidFile(host, 'app'),
    ].join(' ');
  }
  return [...wrapper, '--', nginx, '-c', join(host.dir, 'nginx.conf'), '-p', `${host.dir}/`, '-e', join(host.dir, 'nginx-error.log')].join(' ');
}

export function pidFile(host: Host, name: string): string {
  return join(host.dir, 'run', `${name}.pid`);
}

/** Makes the namespaces, links, directories and configs; `cleanup` stops everything and deletes it all. */
export function makeFleet(
  binary: string,
  extras: ServiceExtras = {},
  defaults: ServiceSpec = {},
): { fleet: Fleet; cleanup: () => Promise<string[]> } {
  const { dir, cleanup: removeDir } = tempDir('autoheal-drill-');
  const hosts = {} as Record<HostKey, Host>;
  const made: string[] = [];
  const fleet: Fleet = { dir, hosts, binary };
  const cleanup = async () => {
    const problems = await removeNamespaces(made);
    removeDir();
    return problems;
  };
  try {
    for (const key of hostKeys) {
      const ns = `ahdrill${process.pid}${key.toLowerCase()}`;
      addNamespace(ns);
      made.push(ns);
      const hostDir = join(dir, key);
      for (const sub of ['run', 'data', 'tmp']) mkdirSync(join(hostDir, sub), { recursive: true, mode: 0o700 });
      hosts[key] = {
        key,
        ns,
        dir: hostDir,
        config: join(hostDir, 'conf.yaml'),
        stateDir: join(hostDir, 'state'),
        startLog: join(hostDir, 'starts.log'),
        initLog: join(hostDir, 'init.log'),
      };
    }
    link({ ns: hosts.A.ns, dev: 'tob', cidr: '10.77.1.1/24' }, { ns: hosts.B.ns, dev: 'toa', cidr: '10.77.1.2/24' });
    link({ ns: hosts.B.ns, dev: 'toc', cidr: '10.77.2.1/24' }, { ns: hosts.C.ns, dev: 'tob', cidr: '10.77.2.2/24' });
    writeFileSync(join(hosts.C.dir, 'nginx.conf'), nginxConf(hosts.C.dir), { mode: 0o600 });
    for (const service of services) writeHostConfig(fleet, service, extras[service.name] ?? {}, defaults);
    return { fleet, cleanup };
  } catch (e) {
    void cleanup();
    throw e;
  }
}

/** One host's config: its one service, its dependency on the previous host given by address and port. */
function writeHostConfig(fleet: Fleet, service: FleetService, extra: ServiceSpec, overrides: ServiceSpec): void {
  const host = fleet.hosts[service.host];
  const defaults = { start_grace: '20s', max_restarts: 2, restart_window: '1h', backoff: '1h', ...overrides };
  const [depHost, depPort] = service.needs?.split(':') ?? [];
  const dep = depHost === undefined ? undefined : [{ name: service.name === 'app' ? 'db' : 'app', host: depHost, port: Number(depPort) }];
  const spec = { pid_file: pidFile(host, service.name), dep, ...extra, script: startScript(fleet, service, host.startLog) };
  writeFileSync(host.config, configYaml({ [service.name]: spec }, defaults), { mode: 0o600 });
}

/** nginx as a front on C: one worker, everything under the host's directory, proxying to the app on B. */
function nginxConf(dir: string): string {
  const tmp = (name: string) => `${name}_temp_path ${join(dir, 'tmp', name)};`;
  return `# The drill's front: proxies every request to the app on host B.
daemon on;
master_process on;
worker_processes 1;
user root root;
pid ${join(dir, 'run', 'front.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  ${tmp('client_body')} ${tmp('proxy')} ${tmp('fastcgi')} ${tmp('uwsgi')} ${tmp('scgi')}
  server {
    listen 127.0.0.1:80;
    location / {
      proxy_pass http://10.77.2.1:8080;
      proxy_connect_timeout 2s;
      proxy_read_timeout 5s;
    }
  }
}
`;
}

/** Whether this nginx accepts the drill's config (some builds lack a module); throws with nginx's words if not. */
export function checkNginxConf(fleet: Fleet): void {
  const { nginx } = findDaemons();
  const dir = fleet.hosts.C.dir;
  execFileSync(nginx, ['-t', '-q', '-c', join(dir, 'nginx.conf'), '-p', `${dir}/`, '-e', join(dir, 'nginx-error.log')], { stdio: 'pipe' });
}
