// Bounding an async operation by a timeout, and measuring elapsed time.
import { monotonicMs } from '../util/clock.js';

/** The value, or `timedOut` when the promise did not settle in time. Rejections pass through. */
export type Bounded<T> = { timedOut: false; value: T } | { timedOut: true };

/**
 * Races a promise against a timer. The operation itself is not cancelled (a read stuck in the kernel
 * cannot be), but the caller stops waiting for it.
 */
export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number): Promise<Bounded<T>> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Bounded<T>>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), timeoutMs);
  });
  try {
    return await Promise.race([promise.then((value): Bounded<T> => ({ timedOut: false, value })), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A stopwatch: call the result to get whole milliseconds since it was started. */
export function startStopwatch(): () => number {
  const started = monotonicMs();
  return () => Math.round(monotonicMs() - started);
}
