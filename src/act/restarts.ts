// Runs several independent restarts at once, bounded, results in input order (I/O through runRestart).
import { runRestart } from './restart.js';
import type { RestartRequest, RestartResult } from './types.js';

/** Runs `requests` with at most `limit` in flight (default: all at once); result i belongs to request i. */
export async function runRestarts(requests: readonly RestartRequest[], limit = requests.length): Promise<RestartResult[]> {
  return mapWithLimit(requests, Math.max(1, Math.floor(limit) || 1), runRestart);
}

/** Maps with at most `limit` calls pending; workers take the next index, so order is kept by position. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
