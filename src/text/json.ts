// JSON that is safe to print: the same value, with what JSON.stringify leaves raw escaped as well.
import { INVISIBLE } from './printable.js';

// JSON.stringify escapes C0 and lone surrogates but leaves DEL, C1 (U+009B is a one-byte CSI to some
// terminals) and format characters raw; `\uXXXX` is valid JSON for the same string.
const RAW = new RegExp(`[\\u007f-\\u009f]|${INVISIBLE.source}`, 'gu');

/** JSON.stringify with two-space indent, terminal-safe, newline-terminated. */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}
