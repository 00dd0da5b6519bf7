// One dependency of a service: the rules that tie its keys together, and its probe (pure).
import type { Dependency } from './types.js';
import type { WalkContext } from './context.js';
import { ticked } from './found.js';
import type { DEP_KEYS } from './keys.js';
import { buildProbe, namesProbe } from './probe.js';
import { suggestKey } from './suggest.js';
import type { Item } from './table.js';

/** Past this many services a did-you-mean over service names would cost too much per dependency. */
const MAX_NAMES_TO_SUGGEST = 200;
/** Dependencies that get a did-you-mean: thousands of misspelt names would each cost a pass over every service name. */
const MAX_SUGGESTIONS = 20;

/**
 * The dependency an item of `dep` describes, or undefined (with issues) when it cannot be probed. A name that is a
 * service of this config makes it internal (an edge) whatever its probe; with no probe keys it is probed
 * as that service. `port` alone means host 127.0.0.1.
 */
export function buildDependency(item: Item<typeof DEP_KEYS>, serviceTimeoutMs: number, ctx: WalkContext): Dependency | undefined {
  const { values: v, entries: e } = item;
  let ok = true;
  if (e.name === undefined) {
    ctx.report(item.node, item.path, 'expected a `name`, found none');
    ok = false;
  }
  const before = ctx.issues.length;
  const probe = buildProbe(v, e, item.path, ctx);
  ok &&= ctx.issues.length === before;
  const name = v.name;
  const internal = name !== undefined && ctx.serviceNames.has(name);
  if (name !== undefined && !namesProbe(e) && !internal) {
    ctx.report(e.name!.at, `${item.path}.name`, notAService(name, ctx));
    ok = false;
  }
  const invalid = (Object.keys(e) as (keyof typeof e)[]).some((k) => v[k] === undefined);
  if (!ok || invalid || name === undefined) return undefined;
  return { name, probe: probe ?? { kind: 'service' }, timeoutMs: v.timeout ?? serviceTimeoutMs, internal, at: ctx.position(item.node) };
}

function notAService(name: string, ctx: WalkContext): string {
  const message = `${ticked(name)} is not a service of this config, so it needs host+port, url, socket or command`;
  if (ctx.serviceNames.size > MAX_NAMES_TO_SUGGEST || ctx.suggestions++ >= MAX_SUGGESTIONS) return message;
  const near = suggestKey(name, [...ctx.serviceNames]);
  return near === undefined ? message : `${message} (or did you mean ${ticked(near)}?)`;
}
