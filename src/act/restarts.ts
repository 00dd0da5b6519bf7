// Runs several independent restarts at once, bounded, results in input order (I/O through runRestart).
import { runBounded } from '../util/bounded.js';
import { runRestart } from './restart.js';
import type { RestartRequest, RestartResult } from './types.js';

/** Runs `requests` with at most `limit` in flight (default: all at once); result i belongs to request i. */
export async function runRestarts(requests: readonly RestartRequest[], limit = requests.length): Promise<RestartResult[]> {
  if (requests.length === 0) return [];
  return runBounded(requests.map((r) => () => runRestart(r)), Math.max(1, Math.floor(limit) || 1));
}
