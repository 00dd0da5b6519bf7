// The name of the per-state-directory lock, and finding its socket in /proc/net/unix (pure).

// sizeof(sun_path) is 108: a leading NUL and 107 bytes. Node 20's libuv binds abstract names padded with NULs to
// the full length, later ones bind the exact length; a name that fills sun_path is the same address for both, so
// passes run by binaries built on different Node versions still exclude each other.
const NAME_BYTES = 107;

/**
 * A Linux abstract unix socket name (leading NUL: no file, gone when the last fd closes) derived from the
 * canonical state directory, so every pass on that directory contends for the same name and others do not.
 */
export function buildLockName(canonicalStateDir: string): string {
  return `\0${`autoheal-once:${hash128(canonicalStateDir)}:`.padEnd(NAME_BYTES, '.')}`;
}

// Four 32-bit FNV-1a hashes with different offsets: 32 hex digits. Only state directories of one host compete,
// so no cryptographic strength is needed, and node:crypto would cost every pass a few ms to load.
function hash128(text: string): string {
  let out = '';
  for (const offset of [0x811c9dc5, 0x01000193, 0x050c5d1f, 0x2e3f0b6d]) {
    let h = offset;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/** The inode of the socket bound to `name` (with its leading NUL) in the text of /proc/net/unix, if listed. */
export function findSocketInode(procNetUnix: string, name: string): number | undefined {
  // Columns: Num RefCount Protocol Flags Type St Inode Path; an abstract path is shown with `@` for each NUL.
  const shown = name.replace(/\0/g, '@');
  for (const line of procNetUnix.split('\n')) {
    const columns = line.trim().split(/\s+/);
    if (columns.length >= 8 && columns.slice(7).join(' ') === shown) return Number(columns[6]);
  }
  return undefined;
}
