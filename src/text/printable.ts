// Text that is safe to echo to a terminal or a log line, whatever bytes a config or a process handed us.

/**
 * Code points escaped besides C0/C1 controls, DEL and lone surrogates: line and paragraph separators (some
 * terminals break lines on them) and every format character (Cf): the bidirectional controls that can reorder
 * what the reader sees, and the invisible ones (soft hyphen, zero-width space, BOM) that make `d\u00adb` look
 * like `db`.
 */
export const INVISIBLE = /[\p{Cf}\u2028\u2029]/u;

const SHORT: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '\\': '\\\\' };

/**
 * Escapes what could move the cursor, clear the screen or fake a new line, the way JSON does (`\n`, `\u001b`),
 * plus DEL, C1 controls, lone surrogates and bidi controls; ordinary Unicode is kept. A backslash is doubled so
 * the escaped text cannot be mistaken for an escape that was really there.
 */
export function printable(s: string): string {
  let out = '';
  let plain = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let escaped: string | undefined;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      escaped = hex(c);
    } else if (c < 0x20 || c === 0x5c || (c >= 0x7f && c <= 0x9f) || (c >= 0xad && INVISIBLE.test(s[i]!))) {
      escaped = SHORT[s[i]!] ?? hex(c);
    }
    if (escaped === undefined) continue;
    out += s.slice(plain, i) + escaped;
    plain = i + 1;
  }
  return plain === 0 ? s : out + s.slice(plain);
}

function hex(c: number): string {
  return `\\u${c.toString(16).padStart(4, '0')}`;
}
