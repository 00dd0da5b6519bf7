// The JSON Schemas of schema/, compiled once by a real validator (ajv, draft-07) for the tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { repoRoot } from './util.js';

export type SchemaName = 'autoheal' | 'report' | 'status';

// Strict, except that `anyOf: [{required: [pname]}, {required: [pid_file]}]` is how "one of them" is said.
// `type: [string, number, boolean]` (an env value) is a union type, which strict mode wants allowed by name.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
// The config schema's `url` is `format: uri`; WHATWG URL parsing is what the probes use.
ajv.addFormat('uri', (s: string) => URL.canParse(s));
const compiled = new Map<SchemaName, ValidateFunction>();

/** schema/<name>.schema.json, parsed. */
export function readSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(repoRoot, 'schema', `${name}.schema.json`), 'utf8')) as Record<string, unknown>;
}

function validator(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(readSchema(name));
    compiled.set(name, validate);
  }
  return validate;
}

/** The validator's errors for `doc`, one line each; empty when it is valid. */
export function schemaErrors(name: SchemaName, doc: unknown): string[] {
  const validate = validator(name);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** Fails the test when `doc` is not valid against schema/<name>.schema.json. */
export function assertSchemaValid(name: SchemaName, doc: unknown, what = 'document'): void {
  const errors = schemaErrors(name, doc);
  assert.deepEqual(
    errors,
    [],
    `${what} does not match schema/${name}.schema.json:\n${errors.join('\n')}\n${JSON.stringify(doc, null, 2).slice(0, 4000)}`,
  );
}
