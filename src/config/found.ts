// How a value found in the config is shown in "expected X, found Y": short, typed and terminal-safe (pure).
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { printable } from '../text/printable.js';
import { MAX_ECHO_CHARS } from './limits.js';

/** `"eighty" (string)`, `80.5 (number)`, `nothing (null)`, `a list`, `a mapping`. */
export function describeFound(node: Node | null | undefined): string {
  if (node == null) return 'nothing';
  if (isMap(node)) return node.items.length === 0 ? 'an empty mapping' : 'a mapping';
  if (isSeq(node)) return node.items.length === 0 ? 'an empty list' : 'a list';
  if (!isScalar(node)) return 'an alias';
  const v = node.value;
  if (v === null || v === undefined) return node.source ? `${echo(node.source)} (null)` : 'nothing (null)';
  if (typeof v === 'string') return `${quoted(v)} (string${v.length > MAX_ECHO_CHARS ? ` of ${v.length} characters` : ''})`;
  if (typeof v === 'number') return `${echo(node.source ?? String(v))} (${Number.isInteger(v) ? 'integer' : 'number'})`;
  if (typeof v === 'boolean') return `${echo(node.source ?? String(v))} (boolean)`;
  if (v instanceof Uint8Array) return 'binary data';
  return `a value tagged ${echo(node.tag ?? 'unknown')}`;
}

/** A string in double quotes, escaped and cut to a readable length. */
export function quoted(s: string): string {
  return `"${echo(s).replaceAll('"', '\\"')}"`;
}

/** A name in backticks, as messages show keys and service names. */
export function ticked(s: string): string {
  return `\`${echo(s)}\``;
}

/** Text from the config as messages repeat it: escaped, and cut to MAX_ECHO_CHARS. */
export function echo(s: string): string {
  return s.length <= MAX_ECHO_CHARS ? printable(s) : `${printable(s.slice(0, MAX_ECHO_CHARS))}...`;
}
