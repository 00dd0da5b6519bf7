// Generates the seed document's restart script from a config: service by service, liveness, then deps, then restart.
// Usage: node seed-script.js CONFIG.yaml > restart.sh   (or import generateSeedScript)
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { timeoutSeconds } from './timeouts.js';
import type { ConfigDoc, ConfigEntry } from './config-yaml.js';
import type { BenchDep } from './workload.js';

const q = (s: unknown): string => `'${String(s).replaceAll("'", `'\\''`)}'`;

/** The liveness test the seed describes: `kill -0` on the pid file's pid, else `pgrep -x` on the process name. */
function aliveTest(svc: ConfigEntry): string {
  if (svc.pid_file) return `kill -0 "$(cat ${q(svc.pid_file)} 2>/dev/null)" 2>/dev/null`;
  return `pgrep -x ${q(svc.pname)} >/dev/null`;
}

/** The readiness test of one direct dependency: `nc -z` for host+port, `curl -f` for a url. */
function depTest(dep: BenchDep): string {
  const t = timeoutSeconds(dep.timeout);
  if (dep.url) return `curl -fsS -m ${t} -o /dev/null ${q(dep.url)} 2>/dev/null`;
  return `nc -z -w ${Math.max(1, Math.ceil(t))} ${q(dep.host)} ${q(dep.port)} 2>/dev/null`;
}

/** One POSIX sh script for the whole config, in file order. */
export function generateSeedScript(config: ConfigDoc, source = 'conf.yaml'): string {
  const out = ['#!/bin/sh', `# Restart script generated from ${source}: restart a dead service once its direct deps answer.`];
  for (const [name, svc] of Object.entries(config)) {
    const deps = (svc.dep ?? []).map(depTest);
    out.push('', `# ${name}`, `if ! ${aliveTest(svc)}; then`);
    if (deps.length) {
      out.push(`  if ${deps.join(' && ')}; then`, `    /bin/sh -c ${q(svc.script)}`, '  fi');
    } else {
      out.push(`  /bin/sh -c ${q(svc.script)}`);
    }
    out.push('fi');
  }
  return `${out.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? 'conf.yaml';
  process.stdout.write(generateSeedScript(parse(readFileSync(file, 'utf8')) as ConfigDoc, file));
}
