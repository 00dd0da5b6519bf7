// What the drill does to the fleet: init starts it, the power is cut, cron ticks, and the probes and logs that
// tell what happened.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, waitFor } from '../helpers/util.js';
import { hostKeys, services, startScript, type Fleet, type FleetService, type HostKey } from './fleet.js';
import { killAllIn, runIn } from './netns.js';
import { stateFileFor } from '../../src/state/store.js';

/** A no-hang guard: ten times what a slow machine needs for one step, never a measure of speed. */
export const GUARD_MS = 60_000;

/** One service as one run of autoheal-once reported it. */
export interface Seen {
  name: string;
  state: string;
  blockedBy?: { name: string; reason: string };
}

/** One run of autoheal-once on one host. */
export interface HostRun {
  host: HostKey;
  code: number | null;
  services: Seen[];
  stdout: string;
  stderr: string;
  ms: number;
}

/** One tick: every host that is powered ran autoheal-once once, at the same time, as cron does. */
export interface Tick {
  n: number;
  runs: HostRun[];
  /** Milliseconds from the power cut to the end of this tick. */
  sinceCutMs: number;
}

/** A start recorded by drill-start.mjs: what the service's dependency answered at that moment. */
export interface StartRecord {
  service: string;
  at: number;
  needs: { target: string; ready: boolean; reason: string }[];
  pid: number;
}

/** Runs a fixture probe inside a host's namespace. */
async function probeIn(fleet: Fleet, host: HostKey, args: string[]): Promise<Record<string, unknown>> {
  const run = await runIn(fleet.hosts[host].ns, process.execPath, [fixture('bin', 'drill-probe.mjs'), ...args], GUARD_MS);
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`drill-probe ${args.join(' ')} in ${host} printed ${JSON.stringify(run.stdout)}, stderr ${JSON.stringify(run.stderr)}`);
  }
}

/** Whether a service's port answers, probed from its own host. */
export async function isReady(fleet: Fleet, service: FleetService): Promise<boolean> {
  const result = await probeIn(fleet, service.host, ['tcp', service.ready.host, String(service.ready.port)]);
  return result.ready === true;
}

/** What the front answers, through nginx on C, the app on B and the database on A. */
export async function endToEnd(fleet: Fleet): Promise<{ status: number; body?: string; reason?: string }> {
  return (await probeIn(fleet, 'C', ['http', 'http://127.0.0.1:80/'])) as { status: number; body?: string; reason?: string };
}

/** Waits until a service's port answers. */
export async function waitReady(fleet: Fleet, service: FleetService, timeoutMs = GUARD_MS): Promise<void> {
  await waitFor(() => isReady(fleet, service), `${service.name} on ${service.host} to answer on port ${service.ready.port}`, timeoutMs, 100);
}

/** "init": starts services itself, in the order given, without waiting for one before the next. */
export async function initStart(fleet: Fleet, names: readonly FleetService['name'][]): Promise<void> {
  for (const name of names) {
    const service = services.find((s) => s.name === name)!;
    const host = fleet.hosts[service.host];
    // Output to a file, as autoheal-once does: a daemon left holding a pipe would keep this run open.
    const script = `${startScript(fleet, service, host.initLog)} >>${join(host.dir, 'init-output.log')} 2>&1`;
    const run = await runIn(host.ns, '/bin/sh', ['-c', script], GUARD_MS);
    if (run.code !== 0) throw new Error(`init could not start ${name}: exit ${run.code}: ${run.stderr}`);
  }
}

/** Starts the fleet in order, each once its dependency answers, and checks it works end to end. */
export async function bootInOrder(fleet: Fleet): Promise<void> {
  for (const service of services) {
    await initStart(fleet, [service.name]);
    await waitReady(fleet, service);
  }
  await waitFor(async () => (await endToEnd(fleet)).status === 200, 'the booted fleet to answer 200 end to end', GUARD_MS, 100);
}

/** The power cut: every process on the given hosts killed at once, pid files left where they are. */
export async function cutPower(fleet: Fleet, keys: readonly HostKey[] = hostKeys): Promise<void> {
  await Promise.all(keys.map((k) => killAllIn(fleet.hosts[k].ns)));
}

/** One run of autoheal-once on one host, as cron runs it (its JSON report read back). */
export async function runOnce(fleet: Fleet, key: HostKey, extraArgs: readonly string[] = []): Promise<HostRun> {
  const host = fleet.hosts[key];
  const run = await runIn(host.ns, fleet.binary, ['--config', host.config, '--state-dir', host.stateDir, '--json', ...extraArgs], GUARD_MS * 3);
  let seen: Seen[] | undefined;
  try {
    seen = (JSON.parse(run.stdout) as { services?: Seen[] }).services;
  } catch {
    seen = undefined;
  }
  if (!seen) {
    throw new Error(`autoheal-once on ${key} exited ${run.code} without a JSON report: ${run.stdout}${run.stderr}`);
  }
  return { host: key, code: run.code, services: seen, stdout: run.stdout, stderr: run.stderr, ms: run.ms };
}

/**
 * One tick on the powered hosts, all at once. Then, standing for the rest of the cron minute, it waits (with a
 * deadline) until each service restarted in this tick answers on its port, so the count of ticks does not depend
 * on how loaded the machine is.
 */
export async function tick(
  fleet: Fleet,
  n: number,
  cutAt: number,
  keys: readonly HostKey[] = hostKeys,
  extraArgs: readonly string[] = [],
): Promise<Tick> {
  const runs = await Promise.all(keys.map((k) => runOnce(fleet, k, extraArgs)));
  const restarted = runs.flatMap((r) => r.services.filter((s) => s.state === 'restarted').map((s) => s.name));
  for (const service of services.filter((s) => restarted.includes(s.name))) {
    await waitReady(fleet, service).catch(() => undefined);
  }
  return { n, runs, sinceCutMs: Date.now() - cutAt };
}

/** The starts recorded in a log (restart scripts' or init's), oldest first. */
export function readStarts(path: string): StartRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StartRecord);
}

/** Every start that autoheal-once made on the fleet, by service name. */
export function startsByService(fleet: Fleet): Map<string, StartRecord[]> {
  const all = hostKeys.flatMap((k) => readStarts(fleet.hosts[k].startLog));
  const by = new Map<string, StartRecord[]>();
  for (const record of all) by.set(record.service, [...(by.get(record.service) ?? []), record]);
  return by;
}

/** The audit events of one host (`restart_started`, `gave_up`, ...), oldest first. */
export function auditEvents(fleet: Fleet, key: HostKey): { event: string; service: string }[] {
  const path = join(fleet.hosts[key].stateDir, 'audit.log');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; service: string });
}

/** The restarts the state file counts against each service's budget. */
export function restartsCounted(fleet: Fleet, key: HostKey): Record<string, number> {
  const path = join(fleet.hosts[key].stateDir, stateFileFor(fleet.hosts[key].config));
  if (!existsSync(path)) return {};
  const state = JSON.parse(readFileSync(path, 'utf8')) as { services: Record<string, { restarts: unknown[] }> };
  return Object.fromEntries(Object.entries(state.services).map(([name, h]) => [name, h.restarts.length]));
}

/** A line per tick, for the test's diagnostics: what each host's run did. */
export function describeTick(t: Tick): string {
  const runs = t.runs.map((r) => `${r.host}:${r.code} ${r.services.map((s) => `${s.name}=${s.state}`).join(',')}`).join('  ');
  return `tick ${t.n} (+${(t.sinceCutMs / 1000).toFixed(1)} s): ${runs}`;
}
