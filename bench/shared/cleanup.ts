// Stops every process the bench started, by pid: tracked children, then anything whose argv lies in the bench dir.
import { processesUnder, isAlive } from './procs.js';

const tracked = new Map<number, boolean>();
let benchDir: string | null = null;
let stopRequested: string | null = null;

/** Throws once Ctrl-C or SIGTERM arrived, so the runner starts nothing new and unwinds to its cleanup. */
export function checkStop(): void {
  if (stopRequested) throw Object.assign(new Error(`stopped by ${stopRequested}`), { interrupted: true });
}

/** Remembers a pid to stop at exit; group: it leads its own process group, stop the whole group. */
export const track = (pid: number, { group = false } = {}): void => void tracked.set(pid, group);
export const untrack = (pid: number): void => void tracked.delete(pid);
/** Processes whose argv mentions this dir are the bench's own (services, restarted services, hub, links). */
export const setBenchDir = (dir: string): void => void (benchDir = dir);

const kill = (pid: number, group: boolean): void => {
  try {
    process.kill(group ? -pid : pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

/** Kills by pid every live process whose argv mentions `dir`; waits (bounded) until none is left alive. */
export async function sweep(dir: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const alive = processesUnder(dir).filter((p) => isAlive(p.pid));
    if (!alive.length || Date.now() > deadline) return alive.length;
    for (const p of alive) kill(p.pid, false);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kills by pid everything the bench started, and waits (bounded) until none of it is alive. */
export async function stopAll(): Promise<number> {
  for (const [pid, group] of tracked) kill(pid, group);
  tracked.clear();
  return benchDir ? sweep(benchDir) : 0;
}

/**
 * On Ctrl-C or SIGTERM: ask the runner to stop (checkStop), kill the tool runs in flight, and let main's cleanup stop
 * everything else. If the runner has not unwound within 20 s, stop everything here and exit.
 */
export function installSignalHandlers(onForcedExit?: () => unknown): void {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\nbench: ${sig}, stopping every process it started\n`);
      stopRequested = sig;
      for (const [pid, group] of tracked) if (group) kill(pid, group);
      setTimeout(async () => {
        await stopAll();
        await onForcedExit?.();
        process.exit(130);
      }, 20_000).unref();
    });
  }
}
