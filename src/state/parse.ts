// The state file's text -> State, checked field by field (pure). A half-valid state is a corrupt one.
import type { RestartRecord, ServiceHistory, State } from '../plan/history.js';

type Fail = { error: string };
type Obj = Record<string, unknown>;

/** Parses and validates state.json; every field must have its exact type, unknown keys are refused. */
export function parseState(text: string): State | Fail {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  if (!isObject(data)) return fail('', 'an object', data);
  const extra = unknownKey(data, ['version', 'services'], '');
  if (extra) return { error: extra };
  if (data.version !== 1) return fail('version', '1', data.version);
  if (!isObject(data.services)) return fail('services', 'an object', data.services);
  // A null prototype: a service named `__proto__` is then an ordinary key, not the object's prototype.
  const services: Record<string, ServiceHistory> = Object.create(null);
  for (const [name, value] of Object.entries(data.services)) {
    const history = parseHistory(value, name);
    if ('error' in history) return history;
    services[name] = history;
  }
  return { version: 1, services };
}

const HISTORY_KEYS = ['restarts', 'downSince', 'healthySince', 'backoffUntil', 'backoffLevel', 'unhealthyPasses', 'dependencyDown', 'cpuSample'];
// Written by earlier versions and never read: accepted, checked and dropped, so an upgrade keeps its history.
const RETIRED_KEYS = ['consecutiveFailures'];
const KNOWN_KEYS = [...HISTORY_KEYS, ...RETIRED_KEYS];
const OPTIONAL_TIMES = ['downSince', 'healthySince', 'backoffUntil'] as const;

// The path of a service's history in messages; built only for a message, not for each of a thousand good ones.
function parseHistory(value: unknown, name: string): ServiceHistory | Fail {
  return isGoodHistory(value) ? goodHistory(value) : parseHistoryOrFail(value, `services[${JSON.stringify(name)}]`);
}

type GoodHistory = Obj & { restarts: { at: number; ok: boolean }[]; backoffLevel: number };

// The keys the fast path reads; a history with any other (health counters, for one) takes the full parse.
const FAST_KEYS = ['restarts', 'downSince', 'healthySince', 'backoffUntil', 'backoffLevel', ...RETIRED_KEYS];

// The common case checked without building a message: known keys only, well-typed fields, well-formed restarts.
function isGoodHistory(value: unknown): value is GoodHistory {
  if (!isObject(value) || !Array.isArray(value.restarts) || !isCount(value.backoffLevel)) return false;
  for (const key in value) if (!FAST_KEYS.includes(key)) return false;
  if (Object.hasOwn(value, 'consecutiveFailures') && !isCount(value.consecutiveFailures)) return false;
  for (const key of OPTIONAL_TIMES) if (Object.hasOwn(value, key) && !isTime(value[key])) return false;
  for (const r of value.restarts as unknown[]) {
    if (!isObject(r) || !isTime(r.at) || typeof r.ok !== 'boolean') return false;
    for (const key in r) if (key !== 'at' && key !== 'ok') return false;
  }
  return true;
}

function goodHistory(value: GoodHistory): ServiceHistory {
  const history: ServiceHistory = { restarts: value.restarts.map((r) => ({ at: r.at, ok: r.ok })), backoffLevel: value.backoffLevel };
  for (const key of OPTIONAL_TIMES) if (Object.hasOwn(value, key)) history[key] = value[key] as number;
  return history;
}

function parseHistoryOrFail(value: unknown, path: string): ServiceHistory | Fail {
  if (!isObject(value)) return fail(path, 'an object', value);
  const extra = unknownKey(value, KNOWN_KEYS, path);
  if (extra) return { error: extra };
  if (!Array.isArray(value.restarts)) return fail(`${path}.restarts`, 'an array', value.restarts);
  const restarts: RestartRecord[] = [];
  for (const [i, item] of value.restarts.entries()) {
    const record = parseRecord(item, `${path}.restarts[${i}]`);
    if ('error' in record) return record;
    restarts.push(record);
  }
  if (!isCount(value.backoffLevel)) return fail(`${path}.backoffLevel`, 'an integer >= 0', value.backoffLevel);
  if (Object.hasOwn(value, 'consecutiveFailures') && !isCount(value.consecutiveFailures)) {
    return fail(`${path}.consecutiveFailures`, 'an integer >= 0', value.consecutiveFailures);
  }
  const history: ServiceHistory = { restarts, backoffLevel: value.backoffLevel };
  for (const key of OPTIONAL_TIMES) {
    if (!Object.hasOwn(value, key)) continue;
    if (!isTime(value[key])) return fail(`${path}.${key}`, 'a time in epoch milliseconds', value[key]);
    history[key] = value[key] as number;
  }
  return parseHealthCounters(value, path, history);
}

/** The health keys of a history (all optional): failures in a row, a dependency seen down, the last CPU sample. */
function parseHealthCounters(value: Obj, path: string, history: ServiceHistory): ServiceHistory | Fail {
  if (Object.hasOwn(value, 'unhealthyPasses')) {
    if (!isCount(value.unhealthyPasses)) return fail(`${path}.unhealthyPasses`, 'an integer >= 0', value.unhealthyPasses);
    history.unhealthyPasses = value.unhealthyPasses;
  }
  if (Object.hasOwn(value, 'dependencyDown')) {
    if (typeof value.dependencyDown !== 'string') return fail(`${path}.dependencyDown`, 'a string', value.dependencyDown);
    history.dependencyDown = value.dependencyDown;
  }
  if (Object.hasOwn(value, 'cpuSample')) {
    const c = value.cpuSample;
    const where = `${path}.cpuSample`;
    if (!isObject(c)) return fail(where, 'an object', c);
    const extra = unknownKey(c, ['pid', 'cpuTimeMs', 'at'], where);
    if (extra) return { error: extra };
    if (!isCount(c.pid) || !isCount(c.cpuTimeMs) || !isTime(c.at)) return fail(where, 'a pid, a CPU time and a time', c);
    history.cpuSample = { pid: c.pid, cpuTimeMs: c.cpuTimeMs, at: c.at };
  }
  return history;
}

function parseRecord(value: unknown, path: string): RestartRecord | Fail {
  if (!isObject(value)) return fail(path, 'an object', value);
  const extra = unknownKey(value, ['at', 'ok'], path);
  if (extra) return { error: extra };
  if (!isTime(value.at)) return fail(`${path}.at`, 'a time in epoch milliseconds', value.at);
  if (typeof value.ok !== 'boolean') return fail(`${path}.ok`, 'a boolean', value.ok);
  return { at: value.at, ok: value.ok };
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// JSON cannot hold NaN or Infinity, but a hand-edited 1e999 parses to Infinity.
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function unknownKey(value: Obj, known: readonly string[], path: string): string | undefined {
  const key = Object.keys(value).find((k) => !known.includes(k));
  return key === undefined ? undefined : `${path ? `${path}: ` : ''}unknown key ${JSON.stringify(key)}`;
}

function fail(path: string, expected: string, found: unknown): Fail {
  return { error: `${path ? `${path}: ` : ''}expected ${expected}, found ${describe(found)}` };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return `${text.length > 40 ? `${text.slice(0, 40)}…` : text} (${typeof value})`;
}
