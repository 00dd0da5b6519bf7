// The three tools under test: how each is prepared for a config and how one pass of it is run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BINARY, BUNDLE } from '../shared/paths.js';
import { generateSeedScript } from './seed-script.js';
import { generateMonitRc } from './monit-rc.js';
import type { ConfigDoc } from './config-yaml.js';
import type { Workload } from './workload.js';

/** The files a scenario writes once per workload. */
export interface ToolFiles {
  config: string;
  seed: string;
  monitrc: string;
  monitLogDir: string;
}

/** One tool under test. */
export interface Tool {
  id: string;
  kind?: 'autoheal';
  label: string;
  prepare(w: Workload, files: ToolFiles, config: ConfigDoc): void;
  /** The argv of one pass; a fresh stateDir means a first pass with no history. */
  pass(w: Workload, files: ToolFiles, stateDir: string): string[];
}

/** A build of autoheal-once, copied aside so a rebuild during the run cannot change what is measured. */
export interface AutohealCommand {
  id: string;
  file: string;
  label: string;
  argv: string[];
  version: string;
}

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

type Variant = { id: string; file: string; label: string };

const VARIANTS: Record<'binary' | 'bundle', () => Variant | null> = {
  binary: () => (executable(BINARY) ? { id: 'autoheal', file: BINARY, label: 'dist/autoheal-once' } : null),
  bundle: () => (existsSync(BUNDLE) ? { id: 'autoheal', file: BUNDLE, label: 'node dist/autoheal-once.cjs' } : null),
};

/**
 * Copies a build into `dir` and checks the copy answers --version, so that a rebuild of dist/ during the run (which
 * empties it first) cannot change or remove what is measured. Retries a copy taken mid-write, a few times.
 */
export function snapshot(variant: Variant, dir: string): AutohealCommand | null {
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, basename(variant.file));
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      copyFileSync(variant.file, copy);
      chmodSync(copy, 0o755);
      const argv = variant.file.endsWith('.cjs') ? [process.execPath, copy] : [copy];
      const r = spawnSync(argv[0]!, [...argv.slice(1), '--version'], { encoding: 'utf8', timeout: 10_000 });
      if (r.status === 0) return { ...variant, argv, version: r.stdout.trim() };
    } catch {
      // dist/ changed under us: try again
    }
    spawnSync('sleep', ['2']);
  }
  return null;
}

/**
 * Which autoheal-once builds to run: 'binary', 'bundle', 'both', or 'auto' (the binary when it exists, else the
 * bundle). The first one found is the one compared with the peers (id 'autoheal'); a second one is an extra row.
 */
export function autohealCommands(choice: string, snapshotDir: string): AutohealCommand[] {
  const choices: Record<string, ('binary' | 'bundle')[]> = {
    binary: ['binary'],
    bundle: ['bundle'],
    both: ['binary', 'bundle'],
    auto: [executable(BINARY) ? 'binary' : 'bundle'],
  };
  const wanted = choices[choice];
  if (!wanted) throw new Error(`--autoheal must be auto, binary, bundle or both, got ${JSON.stringify(choice)}`);
  const found = wanted
    .map((v) => VARIANTS[v]())
    .filter((v): v is Variant => v !== null)
    .map((v) => snapshot(v, join(snapshotDir, v.file === BUNDLE ? 'bundle' : 'binary')))
    .filter((c): c is AutohealCommand => c !== null);
  return found.map((c, i) => (i === 0 ? c : { ...c, id: 'autoheal-bundle' }));
}

/**
 * Each tool: prepare(w, files) writes what it needs once per workload; pass(w, files, stateDir) gives the argv of one
 * pass. A fresh stateDir means a first pass with no history; S4 keeps one across its passes.
 */
export function makeTools({ autoheal }: { autoheal: readonly AutohealCommand[] }): Tool[] {
  const tools: Tool[] = [];
  for (const a of autoheal) {
    tools.push({
      id: a.id,
      kind: 'autoheal',
      label: `autoheal-once (${a.label})`,
      prepare() {},
      // As cron runs it: no --json (which also samples every healthy process's usage) and no --verbose.
      pass: (_w, f, stateDir) => [...a.argv, '--config', f.config, '--state-dir', stateDir],
    });
  }
  tools.push({
    id: 'seed',
    label: 'seed sh script (kill -0/pgrep, nc, curl)',
    prepare(_w, f, config) {
      writeFileSync(f.seed, generateSeedScript(config, f.config), { mode: 0o755 });
    },
    pass: (_w, f) => ['/bin/sh', f.seed],
  });
  tools.push({
    id: 'monit',
    label: 'monit validate (one cycle)',
    prepare(_w, f, config) {
      writeFileSync(f.monitrc, generateMonitRc(config, f.monitLogDir), { mode: 0o600 });
      chmodSync(f.monitrc, 0o600);
    },
    pass(_w, f, stateDir) {
      mkdirSync(stateDir, { recursive: true });
      const pidFile = join(stateDir, 'monit.pid');
      rmSync(pidFile, { force: true }); // with a live pid in it, monit would only wake that daemon
      return ['monit', '-c', f.monitrc, '-s', join(stateDir, 'monit.state'), '-p', pidFile, 'validate'];
    },
  });
  return tools;
}
