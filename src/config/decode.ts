// Config bytes -> text, refusing what is not UTF-8 text and saying where (pure).
import type { ConfigIssue } from '../errors.js';

/** The text of a config file (a UTF-8 BOM is dropped), or the issue locating its first NUL or invalid byte. */
export function decodeConfigBytes(bytes: Uint8Array): { text: string } | { issue: ConfigIssue } {
  const nul = bytes.indexOf(0);
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  const bad = text === undefined ? findInvalidUtf8(bytes) : -1;
  if (bad !== -1 && (nul === -1 || bad < nul)) {
    const hex = `0x${bytes[bad]!.toString(16).padStart(2, '0')}`;
    return { issue: { ...locate(bytes, bad), path: '', message: `expected UTF-8 text, found an invalid byte sequence starting with ${hex}` } };
  }
  if (nul !== -1) return { issue: { ...locate(bytes, nul), path: '', message: 'expected text, found a NUL byte (a binary file?)' } };
  return { text: text ?? '' };
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms, surrogates and
 * code points past U+10FFFF included), or -1.
 */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (c === undefined || c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column of a byte offset; the column counts UTF-16 units, as yaml positions do. */
function locate(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let nl = bytes.indexOf(0x0a); nl !== -1 && nl < offset; nl = bytes.indexOf(0x0a, nl + 1)) {
    line++;
    start = nl + 1;
  }
  return { line, col: new TextDecoder().decode(bytes.subarray(start, offset)).length + 1 };
}
