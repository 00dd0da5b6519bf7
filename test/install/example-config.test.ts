// The example config installs as a config of no services, and documents the seed's format in comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { packaging, uncommentExample } from './installer.js';

const text = readFileSync(packaging('conf.example.yaml'), 'utf8');

test('the example follows a line "# Example" and is all comments', () => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('# Example'));
  assert.ok(start > 0);
  assert.deepEqual(
    lines.slice(start).filter((l) => l !== '' && !l.startsWith('#')),
    [],
  );
});

test('the only active line is an empty mapping, so a fresh install declares no services', () => {
  const active = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  assert.deepEqual(active, ['{}']);
  assert.deepEqual(parse(text), {});
});

test('uncommented, the example is the seed format: services with pname or pid_file, dep and script', () => {
  const example = uncommentExample(text);
  const services = parse(example) as Record<string, { pname?: string; pid_file?: string; script: string; dep?: Array<Record<string, unknown>> }>;
  assert.deepEqual(Object.keys(services), ['nginx', 'web_service']);
  assert.equal(services.nginx!.pname, 'nginx');
  assert.deepEqual(
    services.web_service!.dep!.map((d) => d.name),
    ['nginx', 'middleware'],
  );
  for (const service of Object.values(services)) assert.equal(typeof service.script, 'string');
  assert.match(JSON.stringify(services.web_service!.dep), /\.invalid\//, 'the external dependency cannot resolve by accident');
});
