import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_KEYS, DEFAULTS_KEYS, DEFAULTS_SECTION, DEP_KEYS, SERVICE_KEYS } from '../../src/config/keys.js';
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
    if (spec.check?.type === 'duration' || spec.check?.type === 'duration_or_zero' || spec.check?.type === 'umask' || spec.check?.type === 'size') {
      assert.deepEqual(prop['allOf'], [{ $ref: `#/definitions/${spec.check.type}` }], `${section}.${key}`);
    } else if (spec.mapping) assert.deepEqual(prop['allOf'], [{ $ref: '#/definitions/env' }], `${section}.${key}: a mapping of variables`);
    else if (spec.check) assert.equal(prop['type'], spec.check.type, `${section}.${key}: type`);
    else if (spec.fields) assert.deepEqual(prop['allOf'], [{ $ref: '#/definitions/check' }], `${section}.${key}: a check`);
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
  assertSameKeys('check', definition('check'), CHECK_KEYS);
  assert.equal(SERVICE_KEYS.dep.items, DEP_KEYS);
  assert.equal(SERVICE_KEYS.check.fields, CHECK_KEYS);
});

test("the schema's rules between keys match the parser's", () => {
  assert.deepEqual(definition('service')['required'], ['script']);
  assert.deepEqual(definition('service')['anyOf'], [{ required: ['pname'] }, { required: ['pid_file'] }]);
  assert.deepEqual(definition('dependency')['required'], ['name']);
  const probeRules = { host: ['port'], ca_file: ['url'], tls_verify: ['url'] };
  assert.deepEqual(definition('dependency')['dependencies'], probeRules);
  assert.deepEqual(definition('check')['dependencies'], probeRules);
  // At most one probe kind in either; a check needs one.
  const kinds = ['url', 'port', 'socket', 'command'];
  for (const d of ['dependency', 'check']) {
    const pairs = (definition(d)['not'] as { anyOf: { required: string[] }[] }).anyOf.map((a) => a.required.join('+'));
    for (const [i, a] of kinds.entries())
      for (const b of kinds.slice(i + 1))
        assert.ok(pairs.includes(`${a}+${b}`) || pairs.includes(`${b}+${a}`) || (a === 'url' && pairs.includes('url+host')), `${d}: ${a} with ${b}`);
  }
  assert.deepEqual(definition('check')['anyOf'], [
    { required: ['port'] },
    { required: ['url'] },
    { required: ['socket'] },
    { required: ['command'] },
  ]);
});

test("the schema's size pattern accepts and refuses what parseSize does", async () => {
  const { parseSize } = await import('../../src/config/size.js');
  const pattern = new RegExp(definition('size')['pattern'] as string);
  for (const s of ['512MiB', '2GiB', '1.5 GiB', '.5TiB', '64KiB', '512MB', '2G', '512', '512 mib', 'GiB', '-1GiB']) {
    assert.equal(pattern.test(s), parseSize(s) !== undefined, s);
  }
});

test("the schema's duration pattern accepts and refuses what parseDuration does", async () => {
  const { parseDuration } = await import('../../src/config/duration.js');
  const oneOf = definition('duration')['oneOf'] as { type: string; pattern?: string }[];
  const pattern = new RegExp(oneOf.find((o) => o.type === 'string')!.pattern!);
  for (const s of ['500ms', '5s', '2m', '1h', '1.5s', '.5m', '5', '5 s', '5d', '-1s', 's']) {
    assert.equal(pattern.test(s), parseDuration(s) !== undefined, s);
  }
});

test("the schema's umask and variable-name patterns accept and refuse what the parser does", async () => {
  const { umask } = await import('../../src/config/checks.js');
  const oneOf = definition('umask')['oneOf'] as { type: string; pattern?: string; maximum?: number }[];
  const pattern = new RegExp(oneOf.find((o) => o.type === 'string')!.pattern!);
  for (const s of ['022', '0027', '0o077', '7', '0777', '0800', '1777', 'abc', '']) {
    assert.equal(pattern.test(s) && parseInt(s.replace(/^0o/, ''), 8) <= 0o777, umask.accept(s) !== undefined, s);
  }
  assert.equal(umask.accept(27), 0o27);
  assert.equal(umask.accept(78), undefined);
  const names = new RegExp((definition('env')['propertyNames'] as { pattern: string }).pattern);
  for (const [name, ok] of [
    ['JAVA_HOME', true],
    ['_x1', true],
    ['1X', false],
    ['A-B', false],
    ['AUTOHEAL_SERVICE', false],
  ] as const)
    assert.equal(names.test(name), ok, name);
});
