// A test's config and state: a temp dir holding conf.yaml, written from plain objects, and a state dir beside it.
// Tests about the YAML itself (anchors, escapes, positions, hostile bytes) write their exact text with writeText.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { tempDir } from './util.js';

export type YamlValue = string | number | boolean | readonly YamlValue[] | YamlMap;
export interface YamlMap {
  readonly [key: string]: YamlValue | undefined;
}
/** One service's keys as the README names them (`pid_file`, `script`, `dep: [{ name, port }]`, ...). */
export type ServiceSpec = YamlMap;

/**
 * The YAML text of a config: block mappings and lists in key order, every string double-quoted as JSON writes it
 * (YAML reads JSON strings as they are), numbers and booleans plain. Keys left undefined are left out.
 */
export function configYaml(services: Readonly<Record<string, ServiceSpec>>, defaults?: ServiceSpec): string {
  const doc: YamlMap = defaults ? { defaults, ...services } : services;
  return `${emitMap(doc, 0).join('\n')}\n`;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const key = (k: string): string => (PLAIN_KEY.test(k) ? k : JSON.stringify(k));
const isList = (v: YamlValue): v is readonly YamlValue[] => Array.isArray(v);
const isMap = (v: YamlValue): v is YamlMap => typeof v === 'object' && !Array.isArray(v);

function scalar(v: string | number | boolean): string {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`configYaml: ${v} has no YAML form here`);
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function emitMap(map: YamlMap, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    if (v === undefined) continue;
    if (isList(v) && v.length > 0) lines.push(`${pad}${key(k)}:`, ...emitList(v, indent + 2));
    else if (isMap(v) && Object.values(v).some((x) => x !== undefined)) lines.push(`${pad}${key(k)}:`, ...emitMap(v, indent + 2));
    else lines.push(`${pad}${key(k)}: ${isList(v) ? '[]' : isMap(v) ? '{}' : scalar(v)}`);
  }
  return lines;
}

function emitList(list: readonly YamlValue[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  return list.flatMap((item) => {
    if (isMap(item) && Object.values(item).some((x) => x !== undefined)) {
      const [first, ...rest] = emitMap(item, indent + 2);
      return [`${pad}- ${first!.trimStart()}`, ...rest];
    }
    if (isList(item) || isMap(item)) throw new Error('configYaml: lists of lists and empty mappings are not needed by any config');
    return [`${pad}- ${scalar(item)}`];
  });
}

export interface ConfigFixture {
  /** The temp dir: config, state, pid files and markers all live here, and all go with it. */
  dir: string;
  /** `<dir>/state`, passed with --state-dir; not created (a pass creates it). */
  state: string;
  /** `<dir>/conf.yaml`, passed with --config once written. */
  config: string;
  /** A path inside the temp dir. */
  path: (...parts: string[]) => string;
  /** Writes conf.yaml (mode 0600, as root requires) from the services, and returns its path. */
  write: (services: Readonly<Record<string, ServiceSpec>>, defaults?: ServiceSpec) => string;
  /**
   * Writes `text` exactly as given (mode 0600) to conf.yaml, or to `name` in the dir, and returns its path: for
   * tests of the YAML itself, whose positions, escapes or bytes matter, and for a second config beside the first.
   */
  writeText: (text: string | Uint8Array, name?: string) => string;
  /** `--config <config> --state-dir <state>`, then `extra`. */
  args: (...extra: string[]) => string[];
  /** Runs `fn` after the test, before the temp dir goes (last deferred first): kill what the test started here. */
  defer: (fn: () => unknown) => void;
  /** Removes the temp dir; with a TestContext it runs by itself after the deferred steps. */
  cleanup: () => void;
}

export interface ConfigFixtureOptions {
  /** Mode 0755 instead of 0700: another user (the attacker of the security tests) may enter the dir. */
  shared?: boolean;
}

/**
 * A fresh temp dir for one test's config and state. With `t`, after the test the deferred steps run (last first),
 * then the dir is removed, even when a step fails; without, the caller runs cleanup().
 */
export function configFixture(t?: TestContext, options: ConfigFixtureOptions = {}): ConfigFixture {
  const { dir, cleanup } = tempDir();
  if (options.shared) chmodSync(dir, 0o755);
  const deferred: (() => unknown)[] = [];
  t?.after(async () => {
    try {
      for (const fn of deferred.reverse()) await fn();
    } finally {
      cleanup();
    }
  });
  const config = join(dir, 'conf.yaml');
  const state = join(dir, 'state');
  const writeText = (text: string | Uint8Array, name = 'conf.yaml'): string => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  return {
    dir,
    state,
    config,
    path: (...parts) => join(dir, ...parts),
    write: (services, defaults) => writeText(configYaml(services, defaults)),
    writeText,
    args: (...extra) => ['--config', config, '--state-dir', state, ...extra],
    defer: (fn) => {
      if (!t) throw new Error('configFixture: defer needs the TestContext');
      deferred.push(fn);
    },
    cleanup,
  };
}
