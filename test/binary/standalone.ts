// Runs the built single executable the way an operator's host does: alone in a directory, with cron's bare environment.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { configFixture, type ConfigFixture } from '../helpers/config-fixture.js';
import { killPid } from '../helpers/util.js';
import { builtBinary } from '../helpers/command.js';

/** The single executable that `npm run build` writes. */
export { builtBinary };

/**
 * A skip reason for node:test when the run asked for no binary (`npm run test:unit` sets AUTOHEAL_TEST_NO_BINARY=1
 * and does not pack it), else false. Without that variable a missing binary fails the tests: `npm test`, which CI
 * runs, must test the executable it ships, never skip it quietly.
 */
export const skipWithoutBinary: string | false =
  process.env['AUTOHEAL_TEST_NO_BINARY'] === '1' && 'AUTOHEAL_TEST_NO_BINARY=1 (npm run test:unit): the single executable is not packed in this run';

export interface Standalone {
  /** An empty directory holding only the binary: no node_modules, no source tree. */
  dir: string;
  binary: string;
  /** The config fixture of that directory: conf.yaml and the state dir live there, and it goes after the test. */
  fx: ConfigFixture;
}

export interface StandaloneRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  /** YAML text: written to <dir>/conf.yaml and passed with --config, with --state-dir <dir>/state. */
  config?: string;
  /** The whole environment (as `env -i` would set it); defaults to PATH=/usr/bin:/bin. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Copies only the built binary into a fresh empty temp dir, removed after the test. */
export function stageStandalone(t: TestContext): Standalone {
  if (!existsSync(builtBinary)) {
    throw new Error(`${builtBinary} is not built: run npm run build (npm test does), or set AUTOHEAL_TEST_NO_BINARY=1 to skip the binary tests`);
  }
  const fx = configFixture(t);
  const binary = fx.path('autoheal-once');
  copyFileSync(builtBinary, binary);
  return { dir: fx.dir, binary, fx };
}

/** Runs the staged binary with args in its own dir, stdin from /dev/null; kills it by pid if it outlives the timeout. */
export function runStandalone(stage: Standalone, args: string[], options: RunOptions = {}): Promise<StandaloneRun> {
  const argv = [...args];
  if (options.config !== undefined) {
    stage.fx.writeText(options.config);
    mkdirSync(stage.fx.state, { recursive: true });
    argv.push(...stage.fx.args());
  }
  const timeoutMs = options.timeoutMs ?? 20_000;
  const started = Date.now();
  const child = spawn(stage.binary, argv, { cwd: stage.dir, env: options.env ?? { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void killPid(child.pid!).then(() => reject(new Error(`${stage.binary} ${argv.join(' ')} ran over ${timeoutMs} ms; killed`)));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
