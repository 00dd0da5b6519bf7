// The process table of one pass and name matching against it (pure).
import type { ProcessInfo } from './types.js';
import { isDeadState } from './proc-parse.js';

/** Every process seen by one /proc scan, indexed once so each name lookup is a Map get. */
export interface ProcessTable {
  readonly processes: readonly ProcessInfo[];
  /** comm and argv0 → the processes carrying that name (each process once per name). */
  readonly byName: ReadonlyMap<string, readonly ProcessInfo[]>;
  /** pid → its process: the pid of a pid file is looked up here before /proc is read again. */
  readonly byPid: ReadonlyMap<number, ProcessInfo>;
  /** Pids whose /proc entry existed but could not be read: a lookup that finds nothing cannot be sure. */
  readonly unreadable: readonly number[];
}

/** What a name lookup found: live processes, and zombies that carry the name but do not count. */
export interface NameMatches {
  alive: ProcessInfo[];
  zombies: ProcessInfo[];
}

const NO_PIDS: ReadonlySet<number> = new Set();

/** Builds the table and its name index from a list of processes. */
export function indexProcesses(processes: readonly ProcessInfo[], unreadable: readonly number[] = []): ProcessTable {
  const byName = new Map<string, ProcessInfo[]>();
  const byPid = new Map<number, ProcessInfo>();
  const add = (name: string, p: ProcessInfo): void => {
    if (name === '') return;
    const list = byName.get(name);
    if (list) list.push(p);
    else byName.set(name, [p]);
  };
  for (const p of processes) {
    byPid.set(p.pid, p);
    add(p.comm, p);
    if (p.argv0 !== undefined && p.argv0 !== p.comm) add(p.argv0, p);
  }
  return { processes, byName, byPid, unreadable };
}

/**
 * True when the process carries pname — comm equal to it (what `pgrep -x` compares), or the basename of
 * argv[0] equal to it, since the kernel cuts comm at 15 characters. Zombies never count as alive; neither do
 * the excluded pids (autoheal-once itself and what it started).
 */
export function matchProcessName(p: ProcessInfo, pname: string, exclude: ReadonlySet<number> = NO_PIDS): boolean {
  return carriesName(p, pname) && !isDeadState(p.state) && !exclude.has(p.pid);
}

/** True when comm or basename(argv0) equals pname, whatever the process state. */
export function carriesName(p: ProcessInfo, pname: string): boolean {
  return pname !== '' && (p.comm === pname || p.argv0 === pname);
}

/** The processes of the table that carry pname, split into live ones and zombies, pids ascending. */
export function findProcesses(table: ProcessTable, pname: string, exclude: ReadonlySet<number> = NO_PIDS): NameMatches {
  const found = (table.byName.get(pname) ?? []).filter((p) => !exclude.has(p.pid));
  const byPid = (a: ProcessInfo, b: ProcessInfo): number => a.pid - b.pid;
  return {
    alive: found.filter((p) => matchProcessName(p, pname, exclude)).sort(byPid),
    zombies: found.filter((p) => isDeadState(p.state)).sort(byPid),
  };
}
