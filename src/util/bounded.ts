// Running async tasks with a bound on how many are in flight at once.

/**
 * Runs the tasks, at most `limit` at a time, and returns their results in input order. With a limit at least
 * the number of tasks, the whole run lasts as long as the slowest task, not the sum. The first rejection
 * rejects the run and no further task is started.
 */
export async function runBounded<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`Expected \`limit\` to be a positive integer, got \`${String(limit)}\` (${typeof limit})`);
  }
  const results = new Array<T>(tasks.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < tasks.length) {
      const i = next++;
      try {
        results[i] = await tasks[i]!();
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
