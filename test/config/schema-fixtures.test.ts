// Every fixture config and the shipped example, through a real JSON Schema validator: the schema accepts what
// the parser accepts, and refuses what the parser refuses for a reason a schema can see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/parse.js';
import { fixture, repoRoot } from '../helpers/util.js';
import { schemaErrors } from '../helpers/schema.js';

// What only the parser can see: YAML-level problems (no JSON document to validate) and rules across services.
const PARSER_ONLY: Record<string, string> = {
  'syntax-error.yaml': 'not YAML',
  'duplicate-key.yaml': 'a duplicate key is gone once parsed',
  'two-docs.yaml': 'two documents',
  'cycle.yaml': 'a cycle spans services',
};

const configs = [
  ...readdirSync(fixture('config'))
    .filter((n) => n.endsWith('.yaml'))
    .map((n) => fixture('config', n)),
  join(repoRoot, 'packaging', 'conf.example.yaml'),
];

for (const file of configs) {
  const name = file.slice(file.lastIndexOf('/') + 1);
  test(`schema and parser agree on ${name}`, () => {
    const text = readFileSync(file, 'utf8');
    const accepted = parseConfig(text).config !== undefined;
    if (Object.hasOwn(PARSER_ONLY, name)) {
      assert.equal(accepted, false, `${name} is refused by the parser (${PARSER_ONLY[name]})`);
      return;
    }
    const doc = parse(text, { merge: true, maxAliasCount: -1 }) as unknown;
    const errors = schemaErrors('autoheal', doc);
    if (accepted) assert.deepEqual(errors, [], `${name}: the parser accepts it, so must the schema`);
    else assert.notDeepEqual(errors, [], `${name}: the parser refuses it, so must the schema`);
  });
}
