// The name of the per-state-directory lock (pure).
import { createHash } from 'node:crypto';

/**
 * A Linux abstract unix socket name (leading NUL: no file, gone when the last fd closes) derived from the
 * canonical state directory, so every pass on that directory contends for the same name and others do not.
 */
export function buildLockName(canonicalStateDir: string): string {
  const hash = createHash('sha256').update(canonicalStateDir).digest('hex').slice(0, 32);
  return `\0autoheal-once:${hash}`;
}
