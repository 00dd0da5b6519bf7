// A tangle of cycles must cost a bounded time to report, like every other hostile config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/parse.js';

/** Services in one ring, each also depending on the first four: thousands of cycles, each thousands of names long. */
function tangle(services: number): string {
  let text = '';
  for (let i = 0; i < services; i++) {
    const deps = [(i + 1) % services, 0, 1, 2, 3].map((d) => `{name: s${d}}`).join(', ');
    text += `s${i}: {pname: p, script: s, dep: [${deps}]}\n`;
  }
  return text;
}

// A hang detector, not a benchmark: about 1.5 s on an idle 2-core machine and 10 s at a load average of 20, most
// of it parsing the YAML. A search that walked every cycle would not finish at all.
test('a 290 KB tangle of dependency cycles is refused in bounded time', () => {
  const text = tangle(3000);
  const started = performance.now();
  const { issues } = parseConfig(text);
  const ms = performance.now() - started;
  assert.match(issues[0]!.message, /^expected no dependency cycle, found s0 -> /);
  assert.ok(ms < 60_000, `${Math.round(ms)} ms`);
});
