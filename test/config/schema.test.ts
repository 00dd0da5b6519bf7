import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS_KEYS, DEFAULTS_SECTION, DEP_KEYS, SERVICE_KEYS } from '../../src/config/keys.js';
import type { KeyTable } from '../../src/config/table.js';
import { repoRoot } from '../helpers/util.js';

interface SchemaNode {
  [key: string]: unknown;
  properties?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'autoheal.schema.json'), 'utf8')) as SchemaNode;
const definition = (name: string): SchemaNode => schema.definitions![name]!;

/** The schema of one key, checked against the parser's table entry: description, default and type. */
function assertSameKeys(section: string, node: SchemaNode, table: KeyTable): void {
  assert.deepEqual(Object.keys(node.properties ?? {}).sort(), Object.keys(table).sort(), `${section}: the same keys`);
  assert.equal(node['additionalProperties'], false, `${section}: unknown keys are refused, as the parser does`);
  for (const [key, spec] of Object.entries(table)) {
    const prop = node.properties![key]!;
    assert.equal(prop['description'], spec.doc, `${section}.${key}: description`);
    assert.equal(prop['default'], spec.default, `${section}.${key}: default`);
    if (spec.check?.type === 'duration' || spec.check?.type === 'size') assert.deepEqual(prop['allOf'], [{ $ref: `#/definitions/${spec.check.type}` }], `${section}.${key}`);
    else if (spec.check) assert.equal(prop['type'], spec.check.type, `${section}.${key}: type`);
    else assert.deepEqual(prop['items'], { $ref: '#/definitions/dependency' }, `${section}.${key}: list of dependencies`);
  }
}

test('the schema is draft-07 and every top-level key but `defaults` is a service', () => {
  assert.equal(schema['$schema'], 'http://json-schema.org/draft-07/schema#');
  assert.deepEqual(Object.keys(schema.properties!), [DEFAULTS_SECTION]);
  assert.deepEqual(schema['additionalProperties'], { $ref: '#/definitions/service' });
});

test("the schema's keys, descriptions, defaults and types are the parser's key tables", () => {
  assertSameKeys('defaults', definition('defaults'), DEFAULTS_KEYS);
  assertSameKeys('service', definition('service'), SERVICE_KEYS);
  assertSameKeys('dependency', definition('dependency'), DEP_KEYS);
  assert.equal(SERVICE_KEYS.dep.items, DEP_KEYS);
});

test("the schema's rules between keys match the parser's", () => {
  assert.deepEqual(definition('service')['required'], ['script']);
  assert.deepEqual(definition('service')['anyOf'], [{ required: ['pname'] }, { required: ['pid_file'] }]);
  assert.deepEqual(definition('dependency')['required'], ['name']);
  assert.deepEqual(definition('dependency')['dependencies'], { host: ['port'] });
});

test("the schema's duration pattern accepts and refuses what parseDuration does", async () => {
  const { parseDuration } = await import('../../src/config/duration.js');
  const oneOf = definition('duration')['oneOf'] as { type: string; pattern?: string }[];
  const pattern = new RegExp(oneOf.find((o) => o.type === 'string')!.pattern!);
  for (const s of ['500ms', '5s', '2m', '1h', '1.5s', '.5m', '5', '5 s', '5d', '-1s', 's']) {
    assert.equal(pattern.test(s), parseDuration(s) !== undefined, s);
  }
});
