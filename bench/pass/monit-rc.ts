// Generates a monit 5 control file from a config: `check process` per service, `check host` per distinct dependency.
// Usage: node monit-rc.js CONFIG.yaml STATE_DIR > monitrc   (mode 0600 is the caller's job; or import generateMonitRc)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { timeoutSeconds } from './timeouts.js';
import type { ConfigDoc } from './config-yaml.js';
import type { BenchDep } from './workload.js';

interface HostCheck {
  id: string;
  lines: string[];
  internal: string | null;
}

const str = (s: unknown): string => `"${String(s).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
const sq = (s: unknown): string => `'${String(s).replaceAll("'", `'\\''`)}'`;
const ident = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_');

/** A `check host` per distinct probe; a dep named after a service of the config also depends on that service. */
function hostCheck(dep: BenchDep, config: ConfigDoc): HostCheck {
  const t = Math.max(1, Math.ceil(timeoutSeconds(dep.timeout)));
  const internal = Object.hasOwn(config, dep.name) ? dep.name : null;
  if (dep.url) {
    const u = new URL(dep.url);
    const port = u.port || (u.protocol === 'https:' ? 443 : 80);
    const type = u.protocol === 'https:' ? ' type tcpssl' : '';
    const id = ident(`dep_${internal ?? 'ext'}_http_${u.hostname}_${port}${u.pathname}`);
    const test = `if failed port ${port}${type} protocol http request ${str(u.pathname + u.search)} with timeout ${t} seconds then alert`;
    return { id, lines: [`check host ${id} with address ${u.hostname}`, `  ${test}`], internal };
  }
  const id = ident(`dep_${internal ?? 'ext'}_tcp_${dep.host ?? ''}_${dep.port ?? ''}`);
  const test = `if failed port ${dep.port ?? ''} type tcp with timeout ${t} seconds then alert`;
  return { id, lines: [`check host ${id} with address ${dep.host ?? ''}`, `  ${test}`], internal };
}

/** The whole control file; `stateDir` receives monit's log and id file. */
export function generateMonitRc(config: ConfigDoc, stateDir: string, { startTimeout = 30 } = {}): string {
  const out = ['set daemon 60', `set logfile ${join(stateDir, 'monit.log')}`, `set idfile ${join(stateDir, 'monit.id')}`];
  const hosts = new Map<string, HostCheck>();
  for (const [name, svc] of Object.entries(config)) {
    const regex = `(^|/)${svc.pname ?? ''}( |$)`;
    const how = svc.pid_file ? `with pidfile ${str(svc.pid_file)}` : `matching ${str(regex)}`;
    out.push('', `check process ${ident(name)} ${how}`);
    out.push(`  start program = ${str(`/bin/sh -c ${sq(svc.script)}`)} with timeout ${startTimeout} seconds`);
    const ids: string[] = [];
    for (const dep of svc.dep ?? []) {
      const h = hostCheck(dep, config);
      hosts.set(h.id, h);
      ids.push(h.id);
    }
    if (ids.length) out.push(`  depends on ${[...new Set(ids)].join(', ')}`);
  }
  for (const h of hosts.values()) {
    out.push('', ...h.lines);
    if (h.internal) out.push(`  depends on ${ident(h.internal)}`);
  }
  return `${out.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(generateMonitRc(parse(readFileSync(process.argv[2] ?? 'conf.yaml', 'utf8')) as ConfigDoc, process.argv[3] ?? '.'));
}
