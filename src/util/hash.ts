// A short, stable name for a text (pure): four 32-bit FNV-1a hashes with different offsets, 32 hex digits.
// Not cryptographic, and need not be: it only keeps names apart; node:crypto would cost every pass its load time.

/** 32 lowercase hex digits derived from `text`. */
export function hash128(text: string): string {
  let out = '';
  for (const offset of [0x811c9dc5, 0x01000193, 0x050c5d1f, 0x2e3f0b6d]) {
    let h = offset;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
