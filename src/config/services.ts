// One service: its section read against SERVICE_KEYS, the rules between keys, defaults applied (pure).
import { isMap, type Node } from 'yaml';
import type { Defaults, Dependency, Health, Probe, RunAs, Service } from './types.js';
import type { WalkContext } from './context.js';
import { overridePolicy, overrideRunAs, withRunAs } from './defaults.js';
import { buildDependency } from './deps.js';
import { buildProbe, namesProbe } from './probe.js';
import { describeFound, ticked } from './found.js';
import { ELSEWHERE_THAN_SERVICE, SERVICE_KEYS } from './keys.js';
import { whyScriptCannotRun } from './checks.js';
import { childPath, readEntries, type Entry } from './mapping.js';
import { readSection } from './table.js';

/** C0 and C1 controls and DEL: never part of a sensible name, and able to forge terminal output. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A dependency on a service of this config, where it is written (for cycle reports). */
export interface Edge {
  from: string;
  to: string;
  node: Node;
  path: string;
}

/** Reads the service of one top-level entry; `service` is undefined when it has issues, `edges` are always given. */
export function readService(entry: Entry, defaults: Defaults, ctx: WalkContext): { service?: Service; edges: Edge[] } {
  const name = entry.key;
  const path = childPath('', name);
  let ok = checkName(name, entry.keyNode, 'service name', path, ctx);
  const body = entry.value;
  if (entry.unresolved) return { edges: [] };
  if (!isMap(body)) {
    ctx.report(entry.at, path, `expected a mapping of service settings (pname or pid_file, script, dep...), found ${describeFound(body)}`);
    return { edges: [] };
  }
  const before = ctx.issues.length;
  const { values: v, entries: e } = readSection(readEntries(body, path, ctx), SERVICE_KEYS, path, ctx, ELSEWHERE_THAN_SERVICE);
  if (ctx.halted) return { edges: [] };
  const runAs = overrideRunAs(defaults.runAs, v, e, path, ctx);
  if (e.pname === undefined && e.pid_file === undefined) {
    ctx.report(entry.keyNode, path, 'expected `pname` or `pid_file` to tell whether it runs, found neither');
  }
  if (e.script === undefined) ctx.report(entry.keyNode, path, 'expected a `script` that restarts it, found none');
  const unrunnable = v.script === undefined ? undefined : whyScriptCannotRun(v.script);
  if (unrunnable) ctx.report(e.script!.at, childPath(path, 'script'), unrunnable);
  const probeTimeoutMs = v.probe_timeout ?? defaults.probeTimeoutMs;
  const deps: Dependency[] = [];
  const edges: Edge[] = [];
  for (const item of v.dep ?? []) {
    const depName = item.values.name;
    if (depName !== undefined && !checkName(depName, item.entries.name!.at, 'dependency name', `${item.path}.name`, ctx)) continue;
    if (depName !== undefined && ctx.serviceNames.has(depName)) edges.push({ from: name, to: depName, node: item.node, path: item.path });
    const dep = buildDependency(item, probeTimeoutMs, ctx);
    if (dep) deps.push({ ...dep, probe: runCommandAs(dep.probe, runAs) });
  }
  const health = readHealth(v, defaults, probeTimeoutMs, runAs, ctx);
  ok &&= ctx.issues.length === before && v.script !== undefined;
  if (!ok) return { edges };
  const service: Service = {
    name,
    ...(v.pname === undefined ? {} : { pname: v.pname }),
    ...(v.pid_file === undefined ? {} : { pidFile: v.pid_file }),
    script: v.script!,
    deps,
    probeTimeoutMs,
    restartTimeoutMs: v.restart_timeout ?? defaults.restartTimeoutMs,
    policy: overridePolicy(defaults.policy, v),
    detach: v.detach ?? false,
    ...((v.notify ?? defaults.notify) === undefined ? {} : { notify: v.notify ?? defaults.notify }),
    ...withRunAs(runAs),
    ...(health === undefined ? {} : { health }),
  };
  return { service, edges };
}

type ServiceValues = ReturnType<typeof readSection<typeof SERVICE_KEYS>>['values'];

/**
 * The health settings, or undefined when nothing asks to judge the running service: no check, no limit, and no
 * restart on a dependency's recovery. stop_script, stop_timeout and failures alone change nothing.
 */
function readHealth(v: ServiceValues, defaults: Defaults, probeTimeoutMs: number, runAs: RunAs, ctx: WalkContext): Health | undefined {
  let check: Health['check'];
  if (v.check !== undefined) {
    const { values, entries, path, node } = v.check;
    const probe = buildProbe(values, entries, path, ctx);
    if (probe) check = { probe: runCommandAs(probe, runAs), timeoutMs: values.timeout ?? probeTimeoutMs };
    else if (!namesProbe(entries)) ctx.report(node, path, 'expected one of host+port, url, socket or command, found none');
  }
  const restartOnDependencyRecovery = v.restart_on_dependency_recovery ?? defaults.health.restartOnDependencyRecovery;
  if (check === undefined && v.max_memory === undefined && v.max_cpu === undefined && !restartOnDependencyRecovery) return undefined;
  return {
    ...(check === undefined ? {} : { check }),
    failures: v.failures ?? defaults.health.failures,
    restartOnDependencyRecovery,
    ...(v.max_memory === undefined ? {} : { maxMemoryBytes: v.max_memory }),
    ...(v.max_cpu === undefined ? {} : { maxCpuPercent: v.max_cpu }),
    ...(v.stop_script === undefined ? {} : { stopScript: v.stop_script }),
    stopTimeoutMs: v.stop_timeout ?? defaults.health.stopTimeoutMs,
  };
}

/** A command probe runs as its service's scripts do: same user, group, cwd, env and umask. */
function runCommandAs<P extends Probe>(probe: P, runAs: RunAs): P {
  return probe.kind === 'command' && Object.keys(runAs).length > 0 ? { ...probe, runAs } : probe;
}

function checkName(name: string, where: Node, what: string, path: string, ctx: WalkContext): boolean {
  if (name.trim() !== '' && !CONTROL.test(name)) return true;
  const found = name.trim() === '' ? 'an empty one' : ticked(name);
  ctx.report(where, path, `expected a non-empty ${what} without control characters, found ${found}`);
  return false;
}
