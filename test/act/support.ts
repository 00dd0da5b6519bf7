// Helpers shared by the act tests: requests in temp dirs, /proc group scans, a stand-in autoheal process.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fixture, isAlive, killPid, procStat, readPidFile, shellQuote, tempDir, waitFor } from '../helpers/util.js';
import type { RestartRequest, RestartResult } from '../../src/act/types.js';

/** The compiled act module, for fixtures that load it in a separate node process. */
export const actModuleUrl = new URL('../../src/act/restart.js', import.meta.url).href;

/**
 * A temp dir removed after the test, after first killing (by pid) every process whose pid file was handed to
 * `killAtEnd`: one hook, so the pid files are read before the dir goes.
 */
export function ownTempDir(t: TestContext): {
  dir: string;
  killAtEnd: (pidFile: string) => void;
  /** Also kill, by pid, whatever is left in this process group (a script the code under test failed to stop). */
  killGroupAtEnd: (pgid: number | undefined) => void;
} {
  const { dir, cleanup } = tempDir();
  const pidFiles: string[] = [];
  const groups: number[] = [];
  t.after(async () => {
    const pids = pidFiles.map(readPidFile).concat(groups.flatMap(scanGroup));
    for (const pid of pids) if (pid !== undefined && isAlive(pid)) await killPid(pid);
    cleanup();
  });
  return {
    dir,
    killAtEnd: (file) => pidFiles.push(file),
    killGroupAtEnd: (pgid) => {
      if (pgid !== undefined && pgid > 1) groups.push(pgid);
    },
  };
}

/** `sh <fixture> args...` quoted for /bin/sh -c. */
export function fixtureScript(name: string, ...args: string[]): string {
  return ['sh', fixture('bin', name), ...args].map(shellQuote).join(' ');
}

/** A request logging into `dir/logs`, with node reachable as $NODE. */
export function makeRequest(dir: string, script: string, extra: Partial<RestartRequest> = {}): RestartRequest {
  return {
    service: 'svc',
    script,
    reason: 'process not found',
    timeoutMs: 10_000,
    logDir: join(dir, 'logs'),
    baseEnv: { ...process.env, NODE: process.execPath },
    ...extra,
  };
}

/** Live (non-zombie) pids whose process group is `pgid`, read straight from /proc. */
export function scanGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    const stat = procStat(Number(entry)); // undefined: the process ended while we looked
    if (stat?.pgrp === pgid && stat.state !== 'Z') found.push(Number(entry));
  }
  return found;
}

/** Runs one restart in a separate node process; returns what that process printed and the result. */
export async function runInSeparateNode(
  request: RestartRequest,
  resultFile: string,
): Promise<{ code: number | null; stdout: string; stderr: string; result: RestartResult; ms: number }> {
  const { baseEnv, ...rest } = request;
  const started = Date.now();
  const child = spawn(process.execPath, [fixture('bin', 'run-restart.mjs'), actModuleUrl, JSON.stringify(rest), resultFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: Object.fromEntries(Object.entries(baseEnv).filter((e): e is [string, string] => e[1] !== undefined)),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  let code: number | null | undefined;
  let closed = false;
  child.on('exit', (c) => (code = c));
  // 'close' also waits for both pipes: it would never come if the restarted daemon had inherited them.
  child.on('close', () => (closed = true));
  try {
    await waitFor(() => code !== undefined, 'the stand-in autoheal process to exit', 30_000);
  } finally {
    if (code === undefined && child.pid !== undefined) await killPid(child.pid);
  }
  const ms = Date.now() - started;
  await waitFor(() => closed, "the stand-in's stdout and stderr to close (a restarted process holds them?)", 10_000);
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as RestartResult;
  return { code: code ?? null, stdout, stderr, result, ms };
}
