// Dependency timeouts as the config writes them, in seconds, read by the project's own duration parser.
import { parseDuration } from '../../src/config/duration.js';

/** Seconds for a config timeout value (5, 0.5, "500ms", "2s", "1.5m", "1h"); `fallback` when absent. */
export function timeoutSeconds(value: unknown, fallback = 2): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms === undefined) throw new Error(`bad timeout ${JSON.stringify(value)}`);
  return ms / 1000;
}
