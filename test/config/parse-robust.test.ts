// parseConfig on hostile text: it answers, with a config or located issues, and never throws. Each time bound is a
// hang detector, at least ten times what its case takes on an idle 2-core machine; none of them is a benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/parse.js';
import type { ConfigIssue } from '../../src/errors.js';
import { mulberry32 } from '../helpers/prng.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Parses, checks the result is well formed and terminal-safe, and returns it with the time taken. */
function parseTimed(text: string): { issues: ConfigIssue[]; loaded: boolean; ms: number } {
  const start = performance.now();
  const { config, issues } = parseConfig(text);
  const ms = performance.now() - start;
  assert.equal(config === undefined, issues.length > 0, 'a config exactly when there are no issues');
  for (const i of issues) {
    assert.ok(Number.isInteger(i.line) && i.line >= 1 && Number.isInteger(i.col) && i.col >= 1, `position ${i.line}:${i.col}`);
    assert.doesNotMatch(i.message + i.path, CONTROL);
  }
  assert.ok(issues.length <= 201, 'issues are capped');
  return { issues, loaded: config !== undefined, ms };
}

test('10 MB of YAML is refused at once, before parsing', () => {
  const { issues, ms } = parseTimed('a: b\n'.repeat(2_000_000));
  assert.deepEqual(issues, [{ line: 1, col: 1, path: '', message: 'expected a config of at most 1024 KiB, found 9766 KiB' }]);
  assert.ok(ms < 500, `${ms} ms`);
});

test('a config just under the size limit loads, thousands of services', () => {
  let text = '';
  for (let i = 0; text.length < 1000 * 1024; i++) {
    text += `svc${i}:\n  pname: svc${i}\n  script: /usr/bin/restart svc${i}\n  dep:\n    - name: svc${i + 1}\n      port: 80\n`;
  }
  const { loaded, ms } = parseTimed(text);
  assert.ok(loaded);
  assert.ok(ms < 120_000, `${ms} ms`);
});

test('10,000 levels of nesting, flow or block, yield one located issue quickly', () => {
  const cases: [string, string][] = [
    ['['.repeat(10_000) + ']'.repeat(10_000), '1:65'],
    ['a: ' + '{b: '.repeat(10_000) + '1' + '}'.repeat(10_000), '1:260'],
    ['- '.repeat(10_000) + 'x', '1:257'],
    ['? '.repeat(10_000) + 'x', '1:257'],
    [Array.from({ length: 1000 }, (_, i) => ' '.repeat(i % 300) + 'k:').join('\n'), '258:258'],
    [Array.from({ length: 300 }, (_, i) => ' '.repeat(i) + '- ').join('\n'), '257:257'],
    ['['.repeat(1024 * 1024), '1:65'],
  ];
  for (const [text, at] of cases) {
    const { issues, ms } = parseTimed(text);
    assert.equal(issues.length, 1, text.slice(0, 20));
    assert.equal(`${issues[0]!.line}:${issues[0]!.col}`, at, text.slice(0, 20));
    assert.match(issues[0]!.message, /^expected (at most 64 nested|block structure indented at most 256 columns)/);
    assert.ok(ms < 1000, `${ms} ms`);
  }
});

test('nesting the config needs, and a bit more, is fine', () => {
  assert.ok(parseTimed('a: {pname: x, script: y, dep: [{name: b, url: "http://h/[[[{{{"}]}\nb: {pname: b, script: "[[[[[[[["}').loaded);
  const { issues } = parseTimed('a: ' + '['.repeat(64) + ']'.repeat(64));
  assert.match(issues[0]!.message, /^expected a mapping of service settings/);
});

test('binary garbage yields issues without throwing, quickly', () => {
  const next = mulberry32(1);
  for (let round = 0; round < 20; round++) {
    const size = round === 0 ? 1000 * 1024 : 20_000;
    let text = '';
    for (let i = 0; i < size; i++) text += String.fromCharCode(Math.floor(next() * 256));
    const { loaded, ms } = parseTimed(text);
    assert.equal(loaded, false);
    assert.ok(ms < 30_000, `${ms} ms`);
  }
});

test('random soups of YAML tokens never throw and always answer with a config or located issues', () => {
  const parts = [
    '[',
    ']',
    '{',
    '}',
    '- ',
    ': ',
    ', ',
    '? ',
    '&a ',
    '*a',
    '&b ',
    '*b',
    '<<: ',
    '\n',
    '  ',
    '    ',
    '"',
    "'",
    '# c',
    '!!binary ',
    '!x ',
    '---\n',
    '...\n',
    'pname',
    'script',
    'dep',
    'name',
    'port',
    'url',
    'defaults',
    'x',
    '80',
    '\t',
    '|\n',
    '>-\n',
    '\x1b[2J',
    '\u0085',
    '\ud800',
    'http://h/',
    '%YAML 1.1\n',
  ];
  const next = mulberry32(7);
  for (let round = 0; round < 400; round++) {
    let text = '';
    const n = 1 + Math.floor(next() * 200);
    for (let i = 0; i < n; i++) text += parts[Math.floor(next() * parts.length)];
    const { ms } = parseTimed(text);
    assert.ok(ms < 2000, `${ms} ms for ${JSON.stringify(text)}`);
  }
});

test('the billion laughs cost nothing: lists are never expanded', () => {
  let text = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let k = 1; k < 10; k++) {
    const prev = String.fromCharCode(96 + k);
    text += `${String.fromCharCode(97 + k)}: &${String.fromCharCode(97 + k)} [${Array(9)
      .fill('*' + prev)
      .join(', ')}]\n`;
  }
  const { issues, ms } = parseTimed(text);
  assert.equal(issues.length, 10);
  assert.ok(ms < 1000, `${ms} ms`);
});

test('a merge-key bomb stops at the alias budget with one issue', () => {
  let text = 'm0: &m0 {pname: p, script: s}\n';
  for (let k = 1; k < 20; k++)
    text += `m${k}: &m${k} {<<: [${Array(10)
      .fill(`*m${k - 1}`)
      .join(', ')}]}\n`;
  const { issues, ms } = parseTimed(text);
  const bomb = issues.filter((i) => i.message.includes('an alias bomb?'));
  assert.equal(bomb.length, 1);
  assert.match(bomb[0]!.message, /^expected aliases and merge keys to expand to at most 100000 entries, found more/);
  assert.ok(ms < 2000, `${ms} ms`);
});

test('a long chain of merges stops at the alias budget too, with nothing after it', () => {
  let text = 'm0: &m0 {pname: p, script: s}\n';
  for (let k = 1; k < 3000; k++) text += `m${k}: &m${k} {<<: *m${k - 1}}\n`;
  const { issues } = parseTimed(text);
  assert.equal(issues.length, 1);
  assert.match(issues[0]!.message, /an alias bomb\?/);
});

test('many services sharing one anchor stay within the alias budget', () => {
  const text = 'base: &base {pname: p, script: s, probe_timeout: 2s}\n' + Array.from({ length: 2000 }, (_, i) => `s${i}: {<<: *base}`).join('\n');
  assert.ok(parseTimed(text).loaded);
});

test('raw control characters and escape sequences in the text are either refused or escaped', () => {
  for (const text of ['\x1b[2J: {pname: x, script: y}', 'a\x07b: {pname: x, script: y}', 'a: {pname: "\x1b[31m", script: 1}', '\x00\x01\x02']) {
    const { loaded } = parseTimed(text);
    assert.equal(loaded, false, JSON.stringify(text));
  }
});

test('issues past the cap are summed up in one last line', () => {
  const text = Array.from({ length: 300 }, (_, i) => `s${i}: {pname: x}`).join('\n');
  const { issues } = parseTimed(text);
  assert.equal(issues.length, 201);
  assert.deepEqual(issues[200], { line: 201, col: 1, path: '', message: '100 more problems not listed' });
});
