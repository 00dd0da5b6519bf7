// The entries of one YAML mapping as the config sees them: aliases followed, merge keys expanded,
// duplicate and unusable keys reported (pure).
import { isAlias, isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { WalkContext } from './context.js';
import { describeFound, echo, ticked } from './found.js';

/** One key of a mapping with its value. */
export interface Entry {
  key: string;
  keyNode: Node;
  /** The value with aliases followed; null when absent or unresolvable. */
  value: Node | null;
  /** Where an issue about the value points: the value, or the key when the value is empty (`key:`). */
  at: Node;
  /** The value is an alias that could not be followed; that is reported already, so readers stay quiet. */
  unresolved: boolean;
}

/** `parent.key`, or `key` at the top; a long key is cut, as every problem under it repeats the path. */
export function childPath(parent: string, key: string): string {
  return parent === '' ? echo(key) : `${parent}.${echo(key)}`;
}

/**
 * Entries in file order, then those brought in by `<<` merge keys (YAML 1.1 merge, as docker-compose and
 * most tools read it): a key written in the mapping wins over a merged one, and earlier merged mappings win
 * over later ones. Why here: the config is read from the AST, so merges are expanded here, under the alias budget.
 */
export function readEntries(map: YAMLMap, path: string, ctx: WalkContext): Entry[] {
  const entries: Entry[] = [];
  const seen = new Map<string, Node>();
  const stack = addPairs(map, path, ctx, entries, seen, true).reverse();
  while (stack.length > 0 && !ctx.halted) {
    const { node, at, inList } = stack.pop()!;
    const source = ctx.resolve(node, path);
    if (isAlias(node) && source === null) continue;
    if (isSeq(source) && !inList) {
      for (let i = source.items.length - 1; i >= 0; i--) {
        const item = source.items[i] as Node | null;
        stack.push({ node: item, at: item ?? at, inList: true });
      }
      continue;
    }
    if (!isMap(source)) {
      ctx.report(at, childPath(path, '<<'), `expected \`<<\` to merge a mapping or a list of mappings, found ${describeFound(source)}`);
      continue;
    }
    if (!ctx.spend(source.items.length, at, path)) break;
    stack.push(...addPairs(source, path, ctx, entries, seen, false).reverse());
  }
  return entries;
}

/** A `<<` value still to merge, and where to report about it. */
interface Merge {
  node: Node | null;
  at: Node;
  inList: boolean;
}

/** Adds the pairs of one mapping whose keys are not seen yet; returns its `<<` values in order. */
function addPairs(map: YAMLMap, path: string, ctx: WalkContext, entries: Entry[], seen: Map<string, Node>, own: boolean): Merge[] {
  const merges: Merge[] = [];
  for (const pair of map.items) {
    if (ctx.halted) break;
    const keyNode = pair.key as Node | null;
    if (isScalar(keyNode) && keyNode.value === '<<' && keyNode.type === 'PLAIN') {
      const value = pair.value as Node | null;
      const empty = value === null || (isScalar(value) && value.value === null && !value.source);
      merges.push({ node: value, at: empty ? keyNode : value, inList: false });
      continue;
    }
    const key = readKey(keyNode, map, path, ctx);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first !== undefined) {
      if (own) {
        ctx.report(keyNode, childPath(path, key), `expected each key once, found ${ticked(key)} again (first at ${ctx.lineCol(first)})`);
      }
      continue;
    }
    seen.set(key, keyNode!);
    const value = ctx.resolve(pair.value, childPath(path, key));
    const empty = isScalar(value) && value.value === null && !value.source;
    const unresolved = isAlias(pair.value) && value === null;
    entries.push({ key, keyNode: keyNode!, value, at: empty || value === null ? keyNode! : value, unresolved });
  }
  return merges;
}

/** A key's text: strings as they are, plain numbers and booleans as written (`8080:` names `8080`). */
function readKey(node: Node | null, map: YAMLMap, path: string, ctx: WalkContext): string | undefined {
  const key = ctx.resolve(node, path);
  if (isScalar(key)) {
    if (typeof key.value === 'string') return key.value;
    if ((typeof key.value === 'number' || typeof key.value === 'boolean') && key.source) return key.source;
  }
  ctx.report(node ?? map, path, `expected a key name, found ${describeFound(key)}`);
  return undefined;
}
