// Writes the pass's Prometheus textfile (I/O); a failure is a warning, never a reason to fail the pass.
import { renderMetrics, type MetricsInput } from '../report/metrics.js';
import { writeTextfileAtomically } from './textfile.js';

/** Writes the metrics to `path`; returns a warning when that failed. */
export function publishMetrics(path: string, input: MetricsInput): string | undefined {
  try {
    writeTextfileAtomically(path, renderMetrics(input));
    return undefined;
  } catch (error) {
    return `cannot write metrics file ${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
