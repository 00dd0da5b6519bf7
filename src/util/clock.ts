// A monotonic clock in milliseconds, for durations and deadlines: what performance.now() gives, without loading
// node:perf_hooks (about 0.7 MiB and its compile at every start of a pass).
const origin = process.hrtime.bigint();

/** Milliseconds since this module loaded, with sub-millisecond precision; never goes back. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() - origin) / 1e6;
}
