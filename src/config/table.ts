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
  /** A mapping of environment variable names to values (`env`). */
  mapping?: true;
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

/** Names a script's environment may take: shell variable names, and not autoheal-once's own AUTOHEAL_*. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A mapping NAME: value of environment variables; values are strings, numbers or booleans, kept as written. */
export function envKey(doc: string): KeySpec<Record<string, string>> {
  return {
    doc,
    mapping: true,
    read(entry, path, ctx) {
      const map = entry.value;
      if (entry.unresolved) return undefined;
      if (isScalar(map) && map.value === null && !map.source) return {};
      if (!isMap(map)) {
        ctx.report(entry.at, path, `expected a mapping of environment variables (NAME: value), found ${describeFound(map)}`);
        return undefined;
      }
      const env: Record<string, string> = {};
      let ok = true;
      for (const item of readEntries(map, path, ctx)) {
        const itemPath = childPath(path, item.key);
        const value = item.value;
        if (item.unresolved) {
          ok = false;
        } else if (!ENV_NAME.test(item.key) || item.key.startsWith('AUTOHEAL_')) {
          ctx.report(
            item.keyNode,
            itemPath,
            `expected a variable name (letters, digits and _, not starting with a digit; AUTOHEAL_* is autoheal-once's own), found ${describeFound(item.keyNode)}`,
          );
          ok = false;
        } else if (isScalar(value) && ['string', 'number', 'boolean'].includes(typeof value.value) && !String(value.value).includes('\0')) {
          env[item.key] = typeof value.value === 'string' ? value.value : (value.source ?? String(value.value));
        } else {
          ctx.report(item.at, itemPath, `expected a string, number or boolean, found ${describeFound(value)}`);
          ok = false;
        }
      }
      return ok ? env : undefined;
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
