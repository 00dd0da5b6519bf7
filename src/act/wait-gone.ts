// Waiting for a process or a process group to go, by looking at /proc again and again (I/O through `gone`).
import { monotonicMs } from '../util/clock.js';

/** How long to sleep between two looks. */
const POLL_MS = 25;

/**
 * Resolves true as soon as `gone()` says so, false once `timeoutMs` has passed without it. Looks at once and
 * again every POLL_MS until the deadline (at least once, even with no time left). The deadline is on the monotonic
 * clock: a clock step during the wait neither ends it early nor stretches it.
 */
export async function waitUntilGone(gone: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = monotonicMs() + timeoutMs;
  for (;;) {
    if (gone()) return true;
    if (monotonicMs() >= deadline) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
