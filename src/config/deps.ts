// One dependency of a service: the rules that tie its keys together, and its probe (pure).
import type { Dependency, Probe } from './types.js';
import type { WalkContext } from './context.js';
import { ticked } from './found.js';
import { DEP_KEYS } from './keys.js';
import { suggestKey } from './suggest.js';
import type { Item } from './table.js';

/** Past this many services a did-you-mean over service names would cost too much per dependency. */
const MAX_NAMES_TO_SUGGEST = 200;
/** Dependencies that get a did-you-mean: thousands of misspelt names would each cost a pass over every service name. */
const MAX_SUGGESTIONS = 20;

/**
 * The dependency an item of `dep` describes, or undefined (with issues) when it cannot be probed. A name that is a
 * service of this config makes it internal (an edge) whatever its probe; with no host/port/url it is probed
 * as that service. `port` alone means host 127.0.0.1.
 */
export function buildDependency(item: Item<typeof DEP_KEYS>, serviceTimeoutMs: number, ctx: WalkContext): Dependency | undefined {
  const { values: v, entries: e } = item;
  let ok = true;
  const fail = (where: Parameters<WalkContext['report']>[0], key: string, message: string): void => {
    ctx.report(where, key === '' ? item.path : `${item.path}.${key}`, message);
    ok = false;
  };
  if (e.name === undefined) fail(item.node, '', 'expected a `name`, found none');
  if (e.url !== undefined && (e.host !== undefined || e.port !== undefined)) {
    fail(e.url.keyNode, 'url', 'expected either `url` or `host`+`port`, found both');
  } else if (e.host !== undefined && e.port === undefined) {
    fail(e.host.keyNode, 'host', 'expected a `port` with `host`, found none');
  }
  const name = v.name;
  const internal = name !== undefined && ctx.serviceNames.has(name);
  const probeless = e.url === undefined && e.host === undefined && e.port === undefined;
  if (name !== undefined && probeless && !internal) fail(e.name!.at, 'name', notAService(name, ctx));
  const invalid = (Object.keys(e) as (keyof typeof e)[]).some((k) => v[k] === undefined);
  if (!ok || invalid || name === undefined) return undefined;
  return { name, probe: probeOf(v), timeoutMs: v.timeout ?? serviceTimeoutMs, internal };
}

function probeOf(v: Item<typeof DEP_KEYS>['values']): Probe {
  if (v.url !== undefined) return { kind: 'http', url: v.url };
  if (v.port !== undefined) return { kind: 'tcp', host: v.host ?? DEP_KEYS.host.check.accept(DEP_KEYS.host.default)!, port: v.port };
  return { kind: 'service' };
}

function notAService(name: string, ctx: WalkContext): string {
  const message = `${ticked(name)} is not a service of this config, so it needs host+port or url`;
  if (ctx.serviceNames.size > MAX_NAMES_TO_SUGGEST || ctx.suggestions++ >= MAX_SUGGESTIONS) return message;
  const near = suggestKey(name, [...ctx.serviceNames]);
  return near === undefined ? message : `${message} (or did you mean ${ticked(near)}?)`;
}
