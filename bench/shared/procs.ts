// Process facts read from /proc: zombie-aware liveness, the processes a bench dir owns, a process tree's RSS.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const PAGE_KIB = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })) / 1024;

/** The /proc/PID/stat state letter ('R', 'S', 'Z', ...), or null when the pid does not exist. */
export function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return null;
  }
}

/** True when the pid exists and is not a zombie (a dead process its parent has not reaped yet). */
export const isAlive = (pid: number): boolean => {
  const s = procState(pid);
  return s !== null && s !== 'Z' && s !== 'X';
};

/** The argv of a pid, [] when it is gone or a zombie. */
export function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Every process whose argv mentions a path under `dir`: the processes a bench run started (services, links, tools). */
/** A process found in /proc, with its argv and state letter. */
export interface BenchProcess {
  pid: number;
  argv: string[];
  state: string | null;
}

export function processesUnder(dir: string): BenchProcess[] {
  const out: BenchProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const argv = argvOf(pid);
    if (argv.some((a) => a.includes(`${dir}/`))) out.push({ pid, argv, state: procState(pid) });
  }
  return out;
}

/** Direct children of a pid, over all its threads. */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return kids;
  }
  for (const tid of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) {
        if (c.trim()) kids.push(Number(c));
      }
    } catch {
      // thread ended meanwhile
    }
  }
  return kids;
}

/** Sum of resident memory (KiB) of a pid's descendants (and of the pid itself unless skipRoot) right now. */
export function treeRssKiB(rootPid: number, { skipRoot = false } = {}): { kib: number; count: number } {
  let kib = 0;
  let count = 0;
  const todo = skipRoot ? childrenOf(rootPid) : [rootPid];
  while (todo.length) {
    const pid = todo.pop()!;
    try {
      kib += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_KIB;
      count += 1;
    } catch {
      continue;
    }
    todo.push(...childrenOf(pid));
  }
  return { kib, count };
}
