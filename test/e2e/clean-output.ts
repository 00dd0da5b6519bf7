// What every run of the CLI must show, whatever the config: bounded, no stack trace, nothing a terminal would obey.
import assert from 'node:assert/strict';
import type { CliRun } from '../helpers/cli.js';

/**
 * A hang detector: a refusal costs one node start and at most a megabyte of parsing, the slowest (100,000 aliases)
 * about 3.5 s on an idle 2-core machine with its twin beside it, 20 s at a load average of 20.
 */
export const MAX_RUN_MS = 120_000;

/** Problems are capped at 200, each with its quoted text cut: a refusal is short whatever the config holds. */
export const MAX_OUTPUT_CHARS = 256 * 1024;

/** Raw C0 controls except newline (ESC, CR, BEL among them), DEL and C1 controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

export function assertClean(run: CliRun, what: string): void {
  assert.ok(run.ms < MAX_RUN_MS, `${what}: ${run.ms} ms`);
  for (const out of [run.stdout, run.stderr]) assert.ok(out.length < MAX_OUTPUT_CHARS, `${what}: ${out.length} characters of output`);
  assert.doesNotMatch(run.stderr, /\n\s+at /, `${what}: a stack trace on stderr`);
  for (const [name, out] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr],
  ] as const) {
    const bad = RAW_CONTROL.exec(out);
    if (bad)
      assert.fail(
        `${what}: raw ${hex(bad[0])} on ${name}: ${out.slice(Math.max(0, bad.index - 200), bad.index + 200).replace(/[^\x20-\x7e\n]/g, hex)}`,
      );
  }
}

function hex(c: string): string {
  return `<U+${c.charCodeAt(0).toString(16).padStart(4, '0')}>`;
}
