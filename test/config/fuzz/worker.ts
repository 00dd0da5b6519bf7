// Runs fuzz cases [from, to) in a worker thread, so the test can stop a parse that never returns.
import { parentPort, workerData } from 'node:worker_threads';
import { makeCase, type Source } from './cases.js';
import { checkParse } from './check.js';

/** What the test hands each worker; `progress[slot]` is the case being parsed, for the watchdog. */
export interface FuzzJob {
  seed: number;
  from: number;
  to: number;
  sources: Source[];
  progress: SharedArrayBuffer;
  slot: number;
}

/** What a worker sends back once: its figures, or the first case that broke a promise. */
export type FuzzReport =
  | { ok: true; cases: number; loaded: number; totalMs: number; slowest: { index: number; ms: number } }
  | { ok: false; index: number; error: string };

function run(job: FuzzJob): FuzzReport {
  const progress = new Int32Array(job.progress);
  let loaded = 0;
  let totalMs = 0;
  let slowest = { index: -1, ms: -1 };
  for (let index = job.from; index < job.to; index++) {
    Atomics.store(progress, job.slot, index);
    const { text } = makeCase(job.seed, index, job.sources);
    try {
      const checked = checkParse(text);
      if (checked.loaded) loaded++;
      totalMs += checked.ms;
      if (checked.ms > slowest.ms) slowest = { index, ms: checked.ms };
    } catch (error) {
      return { ok: false, index, error: error instanceof Error ? error.message : String(error) };
    }
  }
  return { ok: true, cases: job.to - job.from, loaded, totalMs, slowest };
}

// Why the guard: `node --test` also loads every file under test/ as a test file, outside any worker.
if (parentPort) parentPort.postMessage(run(workerData as FuzzJob));
