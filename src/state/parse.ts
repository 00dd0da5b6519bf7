// The state file's text -> State, checked field by field (pure). A half-valid state is a corrupt one.
import type { Pause, Reported, RestartRecord, ServiceHistory, State } from '../plan/history.js';

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
  if (!isObject(data)) return failure(bad('', 'an object', data), '');
  const extra = unknownKey(data, ['version', 'services']);
  if (extra) return failure(extra, '');
  if (data.version !== 1) return failure(bad('', '1', data.version), 'version');
  if (!isObject(data.services)) return failure(bad('', 'an object', data.services), 'services');
  // A null prototype: a service named `__proto__` is then an ordinary key, not the object's prototype.
  const services: Record<string, ServiceHistory> = Object.create(null);
  for (const [name, value] of Object.entries(data.services)) {
    const history = parseHistory(value);
    // The path is built only for a message, not for each of a thousand good histories.
    if (history instanceof Bad) return failure(history, `services[${JSON.stringify(name)}]`);
    services[name] = history;
  }
  return { version: 1, services };
}

/** What went wrong, where: `path` is relative to the value being parsed ('', '.by', '[2].at'). */
class Bad {
  constructor(
    readonly path: string,
    readonly message: string,
  ) {}
  within(key: string): Bad {
    return new Bad(`${key}${this.path}`, this.message);
  }
}

type Parse<T> = (value: unknown) => T | Bad;

/**
 * Every field of a history and how it is read: the one list of the state file's keys. The type makes a field
 * added to ServiceHistory fail to compile until it is named here, so no field can be written and not read back.
 */
const HISTORY_FIELDS: { readonly [K in keyof ServiceHistory]-?: Parse<Exclude<ServiceHistory[K], undefined>> } = {
  restarts: parseRestarts,
  downSince: parseTime,
  healthySince: parseTime,
  backoffUntil: parseTime,
  backoffLevel: parseCount,
  pause: parsePause,
  restartsTotal: parseCount,
  failuresTotal: parseCount,
  reported: parseReported,
  unhealthyPasses: parseCount,
  dependencyDown: parseString,
  cpuSample: parseCpuSample,
};
const REQUIRED_FIELDS = ['restarts', 'backoffLevel'] as const satisfies readonly (keyof ServiceHistory)[];
// Written by earlier versions and never read: accepted, checked and dropped, so an upgrade keeps its history.
const RETIRED_FIELDS: Readonly<Record<string, Parse<unknown>>> = { consecutiveFailures: parseCount };

/** The keys a history may hold in the state file, retired ones included (for tests and messages). */
export const HISTORY_KEYS: readonly string[] = [...Object.keys(HISTORY_FIELDS), ...Object.keys(RETIRED_FIELDS)];

function parseHistory(value: unknown): ServiceHistory | Bad {
  if (!isObject(value)) return bad('', 'an object', value);
  const extra = unknownKey(value, HISTORY_KEYS);
  if (extra) return extra;
  // A missing required field is worded as its parser words an absent value ("expected an array, found nothing").
  for (const key of REQUIRED_FIELDS) if (!Object.hasOwn(value, key)) return (HISTORY_FIELDS[key](undefined) as Bad).within(`.${key}`);
  const history: Partial<Record<keyof ServiceHistory, unknown>> = {};
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(RETIRED_FIELDS, key)) {
      const checked = RETIRED_FIELDS[key]!(value[key]);
      if (checked instanceof Bad) return checked.within(`.${key}`);
      continue;
    }
    const field = key as keyof ServiceHistory;
    const parsed = HISTORY_FIELDS[field](value[key]);
    if (parsed instanceof Bad) return parsed.within(`.${key}`);
    history[field] = parsed;
  }
  return history as ServiceHistory;
}

function parseRestarts(value: unknown): RestartRecord[] | Bad {
  if (!Array.isArray(value)) return bad('', 'an array', value);
  const restarts: RestartRecord[] = [];
  for (const [i, item] of value.entries()) {
    const record = parseRecord(item);
    if (record instanceof Bad) return record.within(`[${i}]`);
    restarts.push(record);
  }
  return restarts;
}

function parseRecord(value: unknown): RestartRecord | Bad {
  if (!isObject(value)) return bad('', 'an object', value);
  const extra = unknownKey(value, ['at', 'ok']);
  if (extra) return extra;
  if (!isTime(value.at)) return bad('.at', 'a time in epoch milliseconds', value.at);
  if (typeof value.ok !== 'boolean') return bad('.ok', 'a boolean', value.ok);
  return { at: value.at, ok: value.ok };
}

function parsePause(value: unknown): Pause | Bad {
  if (!isObject(value)) return bad('', 'an object', value);
  const extra = unknownKey(value, ['by', 'since', 'until', 'reason']);
  if (extra) return extra;
  if (typeof value.by !== 'string') return bad('.by', 'a string', value.by);
  if (!isTime(value.since)) return bad('.since', 'a time in epoch milliseconds', value.since);
  const pause: Pause = { by: value.by, since: value.since };
  if (Object.hasOwn(value, 'until')) {
    if (!isTime(value.until)) return bad('.until', 'a time in epoch milliseconds', value.until);
    pause.until = value.until;
  }
  if (Object.hasOwn(value, 'reason')) {
    if (typeof value.reason !== 'string') return bad('.reason', 'a string', value.reason);
    pause.reason = value.reason;
  }
  return pause;
}

function parseReported(value: unknown): Reported | Bad {
  if (!isObject(value)) return bad('', 'an object', value);
  const extra = unknownKey(value, ['state', 'since', 'at']);
  if (extra) return extra;
  if (typeof value.state !== 'string') return bad('.state', 'a string', value.state);
  if (!isTime(value.since)) return bad('.since', 'a time in epoch milliseconds', value.since);
  if (!isTime(value.at)) return bad('.at', 'a time in epoch milliseconds', value.at);
  return { state: value.state, since: value.since, at: value.at };
}

// The last CPU sample of the service's process, for max_cpu.
function parseCpuSample(value: unknown): NonNullable<ServiceHistory['cpuSample']> | Bad {
  if (!isObject(value)) return bad('', 'an object', value);
  const extra = unknownKey(value, ['pid', 'cpuTimeMs', 'at']);
  if (extra) return extra;
  if (!isCount(value.pid) || !isCount(value.cpuTimeMs) || !isTime(value.at)) return bad('', 'a pid, a CPU time and a time', value);
  return { pid: value.pid, cpuTimeMs: value.cpuTimeMs, at: value.at };
}

function parseTime(value: unknown): number | Bad {
  return isTime(value) ? value : bad('', 'a time in epoch milliseconds', value);
}

function parseCount(value: unknown): number | Bad {
  return isCount(value) ? value : bad('', 'an integer >= 0', value);
}

function parseString(value: unknown): string | Bad {
  return typeof value === 'string' ? value : bad('', 'a string', value);
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

function unknownKey(value: Obj, known: readonly string[]): Bad | undefined {
  for (const key in value) if (!known.includes(key)) return new Bad('', `unknown key ${JSON.stringify(key)}`);
  return undefined;
}

function bad(path: string, expected: string, found: unknown): Bad {
  return new Bad(path, `expected ${expected}, found ${describe(found)}`);
}

// The message of a Bad found inside the value at `prefix`.
function failure(b: Bad, prefix: string): Fail {
  const path = `${prefix}${b.path}`.replace(/^\./, '');
  return { error: `${path ? `${path}: ` : ''}${b.message}` };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return `${text.length > 40 ? `${text.slice(0, 40)}…` : text} (${typeof value})`;
}
