// The config at the edge: where it is, and reading it from disk into a validated Config (I/O).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ConfigError } from '../errors.js';
import { describeErrno } from '../text/errno.js';
import { printable } from '../text/printable.js';
import type { Config } from './types.js';
import { decodeConfigBytes } from './decode.js';
import { MAX_CONFIG_BYTES } from './limits.js';
import { judgeConfigTrust } from './trust.js';

/** Where the config is read from when neither --config nor $AUTOHEAL_CONFIG says. */
export const DEFAULT_CONFIG_PATH = '/etc/autoheal/conf.yaml';

/** --config, else $AUTOHEAL_CONFIG, else /etc/autoheal/conf.yaml; an empty value counts as unset (pure). */
export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return flag || env['AUTOHEAL_CONFIG'] || DEFAULT_CONFIG_PATH;
}

/**
 * Reads, decodes and validates the config; throws ConfigError with every problem. Issues that have no place in
 * the file (missing, unreadable, not a regular file, too big) are at line 0, col 0.
 */
export async function readConfig(path: string, options: ReadOptions = {}): Promise<Config> {
  return parseConfigText(await readConfigText(path, options), path);
}

/** The config file as text: read, checked (trust, size, kind) and decoded; throws ConfigError. */
export async function readConfigText(path: string, options: ReadOptions = {}): Promise<string> {
  return decodeConfigText(await readConfigBytes(path, options), path);
}

/** The config file's bytes, checked (trust, size, kind) but not decoded; throws ConfigError. */
export async function readConfigBytes(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
  return readBytes(path, options);
}

/** The config's bytes as text; throws ConfigError locating a NUL or an invalid byte (pure). */
export function decodeConfigText(bytes: Uint8Array, path: string): string {
  const decoded = decodeConfigBytes(bytes);
  if ('issue' in decoded) throw new ConfigError(printable(path), [decoded.issue]);
  return decoded.text;
}

/**
 * Validates config text, and each `user` and `group` against this host's accounts; throws ConfigError with every
 * problem. The parser (and yaml) load on first use.
 */
export async function parseConfigText(text: string, path: string): Promise<Config> {
  const { parseConfig } = await import('./parse.js');
  const { config, issues, accounts = [] } = parseConfig(text);
  if (config === undefined || issues.length > 0) throw new ConfigError(printable(path), issues);
  if (accounts.length > 0) {
    const { findAccountIssues, readAccountBook } = await import('./accounts.js');
    const unknown = findAccountIssues(accounts, readAccountBook());
    if (unknown.length > 0) throw new ConfigError(printable(path), unknown);
  }
  return config;
}

export interface ReadOptions {
  /** Running as root: refuse a file not owned by root or writable by group or others (checked on the open file). */
  requireRootOwned?: boolean;
}

/**
 * The file's bytes. O_NONBLOCK so that a FIFO given by mistake is refused instead of waited on forever. Read
 * synchronously: nothing else runs yet, and the thread pool's round trips (open, fstat, read, read, close) cost a
 * pass that finds its config cached more than the read itself.
 */
function readBytes(path: string, options: ReadOptions): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fileError(path, `cannot open the config: ${describeErrno(error)}`, error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw fileError(path, `expected a regular file, found ${kindOf(stats)}`);
    const distrust = options.requireRootOwned ? judgeConfigTrust(stats, path) : undefined;
    if (distrust) throw fileError(path, distrust);
    if (stats.size > MAX_CONFIG_BYTES) throw tooBig(path, stats.size);
    const bytes = readUpTo(fd, MAX_CONFIG_BYTES + 1, stats.size);
    if (bytes.length > MAX_CONFIG_BYTES) throw tooBig(path, bytes.length);
    return bytes;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw fileError(path, `cannot read the config: ${describeErrno(error)}`, error);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing more to read from it
    }
  }
}

/**
 * Reads until end of file or `limit` bytes, whichever comes first (the file may grow while we read). The buffer
 * starts at the size fstat gave, plus one byte to see the end, and grows only for a file that grew.
 */
export function readUpTo(fd: number, limit: number, size: number): Uint8Array {
  let buffer = Buffer.allocUnsafe(Math.min(limit, size + 1));
  let filled = 0;
  for (;;) {
    if (filled === buffer.length) {
      if (filled === limit) break;
      const bigger = Buffer.allocUnsafe(Math.min(limit, filled * 2));
      buffer.copy(bigger, 0, 0, filled);
      buffer = bigger;
    }
    const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'something else';
}

function tooBig(path: string, size: number): ConfigError {
  return fileError(path, `expected a config of at most ${MAX_CONFIG_BYTES / 1024} KiB, found ${Math.ceil(size / 1024)} KiB`);
}

function fileError(path: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError(printable(path), [{ line: 0, col: 0, path: '', message }], cause === undefined ? undefined : { cause });
}
