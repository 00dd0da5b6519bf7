// The report's JSON Schema: valid draft-07 for a real validator, its state list the code's one list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICE_STATES } from '../../src/report/model.js';
import { renderJson } from '../../src/report/json.js';
import type { PassReport } from '../../src/report/model.js';
import { assertSchemaValid, readSchema, schemaErrors } from '../helpers/schema.js';
import { probeResult } from '../helpers/services.js';

const definitions = (name: 'report' | 'status'): Record<string, Record<string, unknown>> =>
  readSchema(name)['definitions'] as Record<string, Record<string, unknown>>;

test('the report and status schemas list exactly the states of SERVICE_STATES, in order', () => {
  assert.deepEqual(definitions('report')['state']!['enum'], [...SERVICE_STATES]);
  assert.deepEqual(definitions('status')['state']!['enum'], [...SERVICE_STATES]);
});

test('a report of every state validates; a state or key the schema does not know does not', () => {
  const down = probeResult('down', 'no pid file');
  const report: PassReport = {
    startedAt: 0,
    dryRun: false,
    durationMs: 12.5,
    services: SERVICE_STATES.map((state) => ({
      name: state,
      state,
      reason: 'r',
      liveness: down,
      deps: [{ name: 'db', target: 'tcp 127.0.0.1:5432' }],
    })),
  };
  const doc = JSON.parse(renderJson(report, '1.2.3')) as { services: Record<string, unknown>[] };
  assertSchemaValid('report', doc, 'every state');
  doc.services[0]!['state'] = 'exploded';
  assert.ok(schemaErrors('report', doc).some((e) => e.includes('/services/0/state')));
  doc.services[0]!['state'] = 'healthy';
  doc.services[0]!['surprise'] = 1;
  assert.notDeepEqual(schemaErrors('report', doc), []);
});
