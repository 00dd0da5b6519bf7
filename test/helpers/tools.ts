// Outside tools a test runs (promtool, dot, socat...): found on PATH, or the test skips and says why.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** The tool's path on PATH (plus the sbin directories), or undefined. */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why a test that needs `name` cannot run here, or undefined when it can. */
export function missingTool(name: string, debianPackage: string): string | undefined {
  return findTool(name) ? undefined : `${name} is not installed (Debian package ${debianPackage}, listed in .ci/apt-packages)`;
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  /** Written to its stdin, which is then closed; without it, stdin is /dev/null. */
  input?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** A hang guard: past it the process is killed and the run fails, saying `what` did not finish. */
  timeoutMs?: number;
  what?: string;
}

/** Runs a command to its end (its exit, and both pipes closed) and collects what it printed. */
export function runToEnd(command: string, args: readonly string[], opts: RunOptions = {}): Promise<ToolRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${opts.what ?? `${command} ${args.join(' ')}`} did not finish within ${opts.timeoutMs} ms`));
          }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
  });
}

/** Runs an outside tool to completion, `input` on its stdin. */
export function runTool(command: string, args: readonly string[], input = '', opts: { cwd?: string } = {}): Promise<ToolRun> {
  return runToEnd(command, args, { input, ...opts });
}
