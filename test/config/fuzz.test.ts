// Seeded mutation fuzzing of parseConfig: every mutated config loads or yields located, terminal-safe issues,
// quickly and without a throw. Replay a failure with AUTOHEAL_FUZZ_SEED=<seed>; AUTOHEAL_FUZZ_CASES runs more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fixture } from '../helpers/util.js';
import { makeCase, type Source } from './fuzz/cases.js';
import type { FuzzJob, FuzzReport } from './fuzz/worker.js';

const DEFAULT_SEED = 20_240_401;
const DEFAULT_CASES = 10_000;
/**
 * A hang detector, not a benchmark: a valid config parses in well under a millisecond, and the slowest of the
 * 10,000 default cases (68 KB of aliases) in about 0.8 s on an idle 2-core machine. Ten times that and more.
 */
const MAX_CASE_MS = 15_000;
/** A worker whose case has not changed for this long is stuck in a parse that may never return. */
const STUCK_MS = 60_000;
const WORKERS = 2;

function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  assert.ok(Number.isSafeInteger(n) && n >= 0, `${name} must be a non-negative integer, got ${raw}`);
  return n;
}

/** The configs in fixtures/config/ (valid and not) and the packaged example: the seeds every mutation starts from. */
function readSources(): Source[] {
  const dir = fixture('config');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f));
  files.push(join(dir, '..', '..', 'packaging', 'conf.example.yaml'));
  return files.map((path) => ({ name: path.slice(path.lastIndexOf('/') + 1), text: readFileSync(path, 'utf8') }));
}

/** Runs one worker to its report; a stuck or crashed worker is reported at the case it was on. */
function runWorker(job: FuzzJob): Promise<FuzzReport> {
  const progress = new Int32Array(job.progress);
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./fuzz/worker.js', import.meta.url), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    let last = -1;
    let since = Date.now();
    const done = (report: FuzzReport): void => {
      clearInterval(watchdog);
      void worker.terminate();
      resolve(report);
    };
    const watchdog = setInterval(() => {
      const now = Atomics.load(progress, job.slot);
      if (now !== last) [last, since] = [now, Date.now()];
      else if (Date.now() - since > STUCK_MS) done({ ok: false, index: now, error: `no answer within ${STUCK_MS} ms` });
    }, 200);
    worker.once('message', done);
    worker.once('error', (error) => done({ ok: false, index: Atomics.load(progress, job.slot), error: `worker died: ${error.message}` }));
  });
}

function describeCase(seed: number, index: number, sources: readonly Source[]): string {
  const c = makeCase(seed, index, sources);
  const shown = JSON.stringify(c.text.length > 2000 ? `${c.text.slice(0, 2000)}...` : c.text);
  return `case ${index} of AUTOHEAL_FUZZ_SEED=${seed} (from ${c.source}; ${c.steps.join(', ') || 'unchanged'}; ${c.text.length} chars): ${shown}`;
}

test('mutated configs: parseConfig answers every one quickly, with a config or located, terminal-safe issues', async (t) => {
  const seed = envInteger('AUTOHEAL_FUZZ_SEED', DEFAULT_SEED);
  const cases = envInteger('AUTOHEAL_FUZZ_CASES', DEFAULT_CASES);
  const sources = readSources();
  const progress = new SharedArrayBuffer(4 * WORKERS);
  const started = performance.now();
  const per = Math.ceil(cases / WORKERS);
  const reports = await Promise.all(
    Array.from({ length: WORKERS }, (_, slot) =>
      runWorker({ seed, from: slot * per, to: Math.min(cases, (slot + 1) * per), sources, progress, slot }),
    ),
  );
  const wallMs = performance.now() - started;
  for (const r of reports) if (!r.ok) assert.fail(`${r.error}\n${describeCase(seed, r.index, sources)}`);
  const ok = reports.filter((r): r is Extract<FuzzReport, { ok: true }> => r.ok);
  const total = ok.reduce((n, r) => n + r.cases, 0);
  const loaded = ok.reduce((n, r) => n + r.loaded, 0);
  const parseMs = ok.reduce((n, r) => n + r.totalMs, 0);
  const slowest = ok.map((r) => r.slowest).reduce((a, b) => (b.ms > a.ms ? b : a));
  t.diagnostic(`seed ${seed}: ${total} cases in ${Math.round(wallMs)} ms (${Math.round(parseMs)} ms in parseConfig), ${loaded} loaded`);
  t.diagnostic(`slowest ${slowest.ms.toFixed(1)} ms: ${describeCase(seed, slowest.index, sources).slice(0, 300)}`);
  assert.equal(total, cases);
  assert.ok(slowest.ms < MAX_CASE_MS, `parseConfig took ${Math.round(slowest.ms)} ms on ${describeCase(seed, slowest.index, sources)}`);
  // The mutations must both break configs and leave some loadable, or the run proves little.
  if (cases >= 1000) assert.ok(loaded > cases / 100 && loaded < cases / 2, `${loaded} of ${cases} loaded`);
});
