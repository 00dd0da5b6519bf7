// The validated config kept in the state directory, so a pass over an unchanged file skips yaml entirely:
// parsing is most of what a healthy pass costs. Keyed by the exact bytes of the file, its path and the build.
// The file is one line of JSON (build, path, config) then the config's bytes as they were: a hit compares bytes
// (no text is decoded, no hash module loaded) and a stale cache is told before its JSON is parsed.
import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './types.js';
import { judgeConfigTrust } from './trust.js';

export const CONFIG_CACHE_FILE = 'config-cache.json';

const NEWLINE = 0x0a;

/** What a cached config was made from; all three must match for it to be used. */
export interface CacheKey {
  build: string;
  path: string;
  bytes: Uint8Array;
}

/** The cache file's content: the JSON line (JSON.stringify never writes a raw newline), then the config's bytes. */
export function formatConfigCache(key: CacheKey, config: Config): Buffer {
  const head = Buffer.from(`${JSON.stringify({ build: key.build, path: key.path, config })}\n`, 'utf8');
  return Buffer.concat([head, key.bytes]);
}

/** The cached config when the file was written by this build from these very bytes at this path, else undefined (pure). */
export function matchConfigCache(file: Uint8Array, key: CacheKey): Config | undefined {
  const end = file.indexOf(NEWLINE);
  if (end === -1 || !Buffer.from(file.buffer, file.byteOffset + end + 1, file.length - end - 1).equals(key.bytes)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(file.buffer, file.byteOffset, end).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || doc['build'] !== key.build || doc['path'] !== key.path) return undefined;
  const config = doc['config'];
  if (!isRecord(config) || !Array.isArray(config['services']) || !isRecord(config['defaults'])) return undefined;
  return config as unknown as Config;
}

/**
 * Reads the cache; any problem (missing, unreadable, foreign, stale) is a miss, never an error. As root, a cache
 * file that someone else could have written is ignored, as the config itself would be refused.
 */
export function readConfigCache(stateDir: string, key: CacheKey, requireRootOwned: boolean): Config | undefined {
  let fd: number;
  try {
    fd = openSync(join(stateDir, CONFIG_CACHE_FILE), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || (requireRootOwned && judgeConfigTrust(stats, '') !== undefined)) return undefined;
    return matchConfigCache(readFileSync(fd), key);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Replaces the cache atomically (temp file, rename); a failure only costs the next pass a parse. */
export function writeConfigCache(stateDir: string, key: CacheKey, config: Config): void {
  const path = join(stateDir, CONFIG_CACHE_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    // 'wx' (O_CREAT|O_EXCL): never through a symlink or over a file someone planted at the temp name.
    writeFileSync(tmp, formatConfigCache(key, config), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
  } catch (error) {
    // Remove only a temp file this call created, never one that was there before it.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
