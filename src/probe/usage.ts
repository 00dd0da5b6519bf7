// What a healthy service's process uses, for --json and --verbose only (pidusage, loaded on demand).
import { runBounded } from '../util/bounded.js';

/** Resident memory, CPU time used since the process started, and its age. */
export interface Usage {
  rssBytes: number;
  cpuTimeMs: number;
  uptimeMs: number;
}

/** Usage of each pid that still exists; a pid gone meanwhile is simply absent. */
export async function readUsage(pids: readonly number[], limit: number): Promise<Map<number, Usage>> {
  const usage = new Map<number, Usage>();
  if (pids.length === 0) return usage;
  // Loaded here: a plain pass (cron's) never needs it.
  const { default: pidusage } = await import('pidusage');
  try {
    await runBounded(
      pids.map((pid) => async () => {
        try {
          const s = await pidusage(pid);
          usage.set(pid, { rssBytes: s.memory, cpuTimeMs: Math.round(s.ctime), uptimeMs: Math.round(s.elapsed) });
        } catch {
          // The process exited since it was probed.
        }
      }),
      limit,
    );
  } finally {
    // pidusage keeps open files and a timer per pid for later calls; a pass makes none. (Its maxage: 0 loops.)
    pidusage.clear();
  }
  return usage;
}
