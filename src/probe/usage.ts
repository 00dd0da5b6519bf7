// What a healthy service's process uses, for --json and --verbose only (pidusage, loaded on demand).

/** Resident memory, CPU time used since the process started, and its age. */
export interface Usage {
  rssBytes: number;
  cpuTimeMs: number;
  uptimeMs: number;
}

// pidusage runs `getconf` twice before its first answer and opens one file per pid at once: asking for a batch
// at a time pays the getconf once and keeps open files bounded.
const BATCH = 64;

/** Usage of each pid that still exists; a pid gone meanwhile is simply absent. */
export async function readUsage(pids: readonly number[]): Promise<Map<number, Usage>> {
  const usage = new Map<number, Usage>();
  const unique = [...new Set(pids)];
  if (unique.length === 0) return usage;
  // Loaded here: a plain pass (cron's) never needs it.
  const { default: pidusage } = await import('pidusage');
  try {
    for (let i = 0; i < unique.length; i += BATCH) {
      const batch = unique.slice(i, i + BATCH);
      // With several pids, one that exited is left out instead of failing the batch; with one, it throws.
      const stats = await pidusage(batch).catch(() => ({}) as Record<string, undefined>);
      for (const pid of batch) {
        const s = (stats as Record<string, { memory: number; ctime: number; elapsed: number } | undefined>)[pid];
        if (s) usage.set(pid, { rssBytes: s.memory, cpuTimeMs: Math.round(s.ctime), uptimeMs: Math.round(s.elapsed) });
      }
    }
  } finally {
    // pidusage keeps open files and a timer per pid for later calls; a pass makes none. (Its maxage: 0 loops.)
    pidusage.clear();
  }
  return usage;
}
