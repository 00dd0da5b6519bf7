// Key tables: each config section is a table of key -> check, default and doc, read the same way (pure).
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Check } from './checks.js';
import type { WalkContext } from './context.js';
import { describeFound, ticked } from './found.js';
import { childPath, readEntries, type Entry } from './mapping.js';
import { suggestKey } from './suggest.js';

/** One key: how its value is read, its default as written in YAML (if any) and one line of documentation. */
export interface KeySpec<T> {
  doc: string;
  default?: string | number | boolean;
  /** Scalar keys: the check, also applied to `default` to get the value used when the key is absent. */
  check?: Check<T>;
  /** Sections nested under this key (a list of mappings). */
  items?: KeyTable;
  /** The section this key holds (one mapping). */
  fields?: KeyTable;
  read(entry: Entry, path: string, ctx: WalkContext): T | undefined;
}

export type KeyTable = Readonly<Record<string, KeySpec<unknown>>>;

/** What reading a table gives: each key's checked value (absent when missing or invalid), and its entry. */
export interface Section<T extends KeyTable> {
  values: { [K in keyof T]?: T[K] extends KeySpec<infer V> ? V : never };
  entries: { [K in keyof T]?: Entry };
}

/** A key whose value is one scalar accepted by `check`. */
export function scalarKey<T>(check: Check<T>, doc: string, dflt?: string | number | boolean): KeySpec<T> & { check: Check<T> } {
  return {
    doc,
    check,
    ...(dflt === undefined ? {} : { default: dflt }),
    read(entry, path, ctx) {
      if (entry.unresolved) return undefined;
      const value = isScalar(entry.value) ? check.accept(entry.value.value) : undefined;
      if (value === undefined) ctx.report(entry.at, path, `expected ${check.expected}, found ${describeFound(entry.value)}`);
      return value;
    },
  };
}

/** One mapping of a list, read against its table. */
export interface Item<T extends KeyTable> extends Section<T> {
  node: Node;
  path: string;
}

/** A key whose value is a list of mappings, each read against `table`; left empty (`dep:`) it is an empty list. */
export function listKey<T extends KeyTable>(table: T, what: string, doc: string): KeySpec<Item<T>[]> {
  return {
    doc,
    items: table,
    read(entry, path, ctx) {
      const list = entry.value;
      if (entry.unresolved) return undefined;
      if (isScalar(list) && list.value === null && !list.source) return [];
      if (!isSeq(list)) {
        ctx.report(entry.at, path, `expected a list of ${what}, found ${describeFound(list)}`);
        return undefined;
      }
      const items: Item<T>[] = [];
      list.items.forEach((raw, i) => {
        const itemPath = `${path}[${i}]`;
        const node = ctx.resolve(raw, itemPath);
        if (ctx.halted || (isAlias(raw) && node === null)) return;
        if (isMap(node)) items.push({ node, path: itemPath, ...readSection(readEntries(node, itemPath, ctx), table, itemPath, ctx) });
        else ctx.report(node ?? (raw as Node), itemPath, `expected a mapping (one of the ${what}), found ${describeFound(node)}`);
      });
      return items;
    },
  };
}

/** A key whose value is one mapping, read against `table`. */
export function mapKey<T extends KeyTable>(table: T, what: string, doc: string): KeySpec<Item<T>> {
  return {
    doc,
    fields: table,
    read(entry, path, ctx) {
      if (entry.unresolved) return undefined;
      const node = entry.value;
      if (!isMap(node)) {
        ctx.report(entry.at, path, `expected a mapping (${what}), found ${describeFound(node)}`);
        return undefined;
      }
      return { node, path, ...readSection(readEntries(node, path, ctx), table, path, ctx) };
    },
  };
}

/**
 * Reads entries against a table; an unknown key is reported with the closest known one, or with the
 * section where it belongs (`elsewhere`: key -> section name) when it is valid only there.
 */
export function readSection<T extends KeyTable>(
  entries: readonly Entry[],
  table: T,
  path: string,
  ctx: WalkContext,
  elsewhere: Readonly<Record<string, string>> = {},
): Section<T> {
  const values: Record<string, unknown> = {};
  const found: Record<string, Entry> = {};
  for (const entry of entries) {
    const spec = Object.hasOwn(table, entry.key) ? table[entry.key] : undefined;
    const keyPath = childPath(path, entry.key);
    if (spec === undefined) {
      ctx.report(entry.keyNode, keyPath, unknownKey(entry.key, Object.keys(table), elsewhere));
      continue;
    }
    found[entry.key] = entry;
    const value = spec.read(entry, keyPath, ctx);
    if (value !== undefined) values[entry.key] = value;
  }
  return { values, entries: found } as Section<T>;
}

function unknownKey(key: string, known: string[], elsewhere: Readonly<Record<string, string>>): string {
  const home = Object.hasOwn(elsewhere, key) ? elsewhere[key] : undefined;
  if (home !== undefined) return `unknown key ${ticked(key)} here: it belongs under ${ticked(home)}`;
  const near = suggestKey(key, known);
  if (near !== undefined) return `unknown key ${ticked(key)}: did you mean ${ticked(near)}?`;
  return `unknown key ${ticked(key)}: expected one of ${known.join(', ')}`;
}
