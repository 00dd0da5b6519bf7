// Liveness of one service: by process name, by pid file, or both.
import type { Service } from '../config/types.js';
import type { ProbeResult } from './types.js';
import { probePidFile, type PidFileObservation, type PidLookup } from './pid-file.js';
import { carriesName, findProcesses, type NameMatches, type ProcessTable } from './proc.js';
import { startStopwatch } from './deadline.js';
import { processStartMs } from './proc.js';

/** A liveness probe: the result, plus what was observed (more fields may be added). */
export interface LivenessObservation {
  result: ProbeResult;
  /** Set when the service has a pid file. */
  pidFile?: PidFileObservation;
  /** Set when the service was looked up by name in the process table. */
  byName?: NameMatches;
}

/** What a liveness probe needs besides the service and the table. */
export interface LivenessOptions {
  /** Pids that never count as the service: autoheal-once itself and what it started. */
  exclude?: ReadonlySet<number>;
  procRoot?: string;
  /** Boot time (epoch ms), to date the pid file's process; without it no recycled-pid check is made. */
  bootTimeMs?: number;
}

// "Well after": a daemon writes its pid file after it started, so a start later than the file is a recycled
// pid. The slack absorbs the second-granular btime and small clock adjustments.
const RECYCLED_SLACK_MS = 60_000;

/** True when some service is looked up by name, so the pass must scan /proc (pid files alone need no scan). */
export function needsProcessScan(services: readonly Pick<Service, 'pname'>[]): boolean {
  return services.some((s) => s.pname !== undefined);
}

/**
 * Probes one service. pname only: a table lookup. pid_file only: the pid file. Both: the pid file's process
 * must also carry pname, otherwise the pid file is stale. `table` is undefined when the scan failed.
 */
export async function probeLiveness(
  service: Pick<Service, 'pname' | 'pidFile' | 'probeTimeoutMs'>,
  table: ProcessTable | undefined,
  opts: LivenessOptions = {},
): Promise<LivenessObservation> {
  const { pname, pidFile } = service;
  if (pidFile !== undefined) {
    const lookup: PidLookup = {};
    if (opts.procRoot !== undefined) lookup.procRoot = opts.procRoot;
    if (table) lookup.scanned = table.byPid;
    if (pname !== undefined) lookup.pname = pname;
    const obs = await probePidFile(pidFile, service.probeTimeoutMs, lookup);
    const byName = judgePidFileAgainstName(obs, pname);
    // A matching pname already vouches for the process; the dates decide only when there is no name to check.
    const result = pname === undefined ? judgePidFileAge({ ...obs, result: byName }, opts.bootTimeMs) : byName;
    const found = result.status === 'up' && obs.process ? { ...result, startTicks: obs.process.startTicks } : result;
    return { result: found, pidFile: obs };
  }
  return probeByName(service, table, opts);
}

/** The liveness of a service without a pid file: a lookup in the table, no I/O, so no promise either. */
export function probeByName(service: Pick<Service, 'pname'>, table: ProcessTable | undefined, opts: LivenessOptions = {}): LivenessObservation {
  const elapsed = startStopwatch();
  const { pname } = service;
  if (pname === undefined) return { result: { status: 'unknown', reason: 'neither pname nor pid_file is set', ms: elapsed() } };
  if (!table) return { result: { status: 'unknown', reason: `no process table to look up \`${pname}\``, ms: elapsed() } };
  const byName = findProcesses(table, pname, opts.exclude);
  const first = byName.alive[0];
  const judged = judgeByName(pname, byName, table.unreadable.length);
  return { result: { ...judged, ...(first ? { startTicks: first.startTicks } : {}), ms: elapsed() }, byName };
}

/** Up when a live process carries pname; zombies are named in the reason; unreadable entries make it unknown. */
export function judgeByName(pname: string, found: NameMatches, unreadable: number): Omit<ProbeResult, 'ms'> {
  const first = found.alive[0];
  if (first) {
    const pids = found.alive.map((p) => p.pid).join(', ');
    return { status: 'up', reason: `\`${pname}\` is running (pid ${pids})`, pid: first.pid, startTicks: first.startTicks };
  }
  const zombies = found.zombies.length ? ` (only zombies: pid ${found.zombies.map((p) => p.pid).join(', ')})` : '';
  // A process we could not read might be the one: do not call the service dead on a partial view.
  if (unreadable > 0) {
    return { status: 'unknown', reason: `no readable process named \`${pname}\`${zombies}; ${unreadable} unreadable in /proc` };
  }
  return { status: 'down', reason: `no process named \`${pname}\`${zombies}` };
}

/** The pid file's result, turned down when its process started well after the file was written (a recycled pid). */
export function judgePidFileAge(obs: PidFileObservation, bootTimeMs: number | undefined): ProbeResult {
  const proc = obs.process;
  if (obs.result.status !== 'up' || !proc || bootTimeMs === undefined || obs.fileMtimeMs === undefined) return obs.result;
  const late = processStartMs(proc.startTicks, bootTimeMs) - obs.fileMtimeMs;
  if (late <= RECYCLED_SLACK_MS) return obs.result;
  return {
    ...obs.result,
    status: 'down',
    reason: `pid ${proc.pid} from ${obs.path} belongs to \`${proc.comm}\`, started ${formatLate(late)} after the pid file was written (recycled pid, stale pid file)`,
  };
}

function formatLate(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

/** The pid file's result, turned down when its live process does not carry pname (a stale pid file). */
export function judgePidFileAgainstName(obs: PidFileObservation, pname: string | undefined): ProbeResult {
  const proc = obs.process;
  if (pname === undefined || obs.result.status !== 'up' || !proc || carriesName(proc, pname)) return obs.result;
  const shown = proc.argv0 && proc.argv0 !== proc.comm ? `\`${proc.comm}\` (${proc.argv0})` : `\`${proc.comm}\``;
  return {
    ...obs.result,
    status: 'down',
    reason: `pid ${proc.pid} from ${obs.path} is ${shown}, not \`${pname}\` (stale pid file)`,
  };
}
