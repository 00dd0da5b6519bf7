// Puts a workload's services in the wanted state (alive or dead, by pid) and observes what a tool did to them.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { isAlive, procState, processesUnder } from '../shared/procs.js';
import { checkStop } from '../shared/cleanup.js';
import type { BenchService, Workload } from './workload.js';

const SLEEP = '/bin/sleep';

/** Creates the workload's dirs and, per service, a link to sleep named after it (what `pgrep -x` sees). */
export function layOut(w: Workload): void {
  for (const sub of ['bin', 'run', 'state']) mkdirSync(join(w.dir, sub), { recursive: true });
  for (const s of w.services) if (s.bin && !existsSync(s.bin)) symlinkSync(SLEEP, s.bin);
  writeFileSync(join(w.dir, 'restarts.log'), '');
  writeFileSync(join(w.dir, 'links.log'), '');
}

const readPid = (file: string | undefined): number | null => {
  if (file === undefined) return null;
  try {
    return Number(readFileSync(file, 'utf8').trim()) || null;
  } catch {
    return null;
  }
};

/** Live processes of the workload, grouped by the service they belong to (argv[0] for sleepers, argv[2] for links). */
export function scan(w: Workload): Map<string, number[]> {
  const byService = new Map<string, number[]>(w.services.map((s) => [s.name, []]));
  const byKey = new Map(w.services.map((s) => [s.bin ?? s.name, s.name]));
  for (const p of processesUnder(w.dir)) {
    if (p.state === 'Z') continue;
    const owner = byKey.get(p.argv[0] ?? '') ?? (p.argv[1]?.endsWith('link.js') ? byKey.get(p.argv[2] ?? '') : undefined);
    if (owner) byService.get(owner)!.push(p.pid);
  }
  return byService;
}

/** Up: a live (non-zombie) process of the service exists and, when it has a pid file, the file names it. */
export function isUp(svc: BenchService, pids: readonly number[] | undefined): boolean {
  if (!pids?.length) return false;
  if (!svc.pidFile) return true;
  const pid = readPid(svc.pidFile);
  return pid !== null && pids.includes(pid) && isAlive(pid);
}

const kill = (pid: number | null | undefined): void => {
  if (pid == null) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

/**
 * Makes every service of `w.dead` dead and every other one up with exactly one process, then waits until the killed
 * pids are gone for good: not even a zombie, which `kill -0` would still count as alive. Returns pids still zombies.
 */
export async function resetServices(w: Workload, { children }: { children: Set<number | undefined> }): Promise<number[]> {
  writeFileSync(join(w.dir, 'restarts.log'), '');
  writeFileSync(join(w.dir, 'links.log'), '');
  const killed: number[] = [];
  const procs = scan(w);
  for (const svc of w.services) {
    const pids = procs.get(svc.name) ?? [];
    if (w.dead.has(svc.name)) {
      for (const pid of pids) kill(pid), killed.push(pid);
      continue;
    }
    const fromFile = readPid(svc.pidFile);
    const keep = fromFile !== null && pids.includes(fromFile) ? fromFile : pids[0];
    for (const pid of pids) if (pid !== keep) kill(pid), killed.push(pid);
    if (keep === undefined) {
      checkStop();
      const child = spawn(svc.bin!, ['7200'], { stdio: 'ignore', detached: true });
      children.add(child.pid);
      child.on('exit', () => children.delete(child.pid));
      if (svc.pidFile) writeFileSync(svc.pidFile, `${child.pid}\n`);
    } else if (svc.pidFile) {
      writeFileSync(svc.pidFile, `${keep}\n`);
    }
  }
  if (w.kind === 'chain') for (const svc of w.services) if (svc.pidFile) rmSync(svc.pidFile, { force: true });
  for (const p of processesUnder(w.dir)) if (p.argv[0] === holderBin(w)) kill(p.pid), killed.push(p.pid);
  const deadline = Date.now() + 15_000;
  let left = killed;
  while ((left = left.filter((pid) => procState(pid) !== null)).length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
  }
  if (w.zombies) for (const svc of w.services) if (w.dead.has(svc.name)) await makeZombie(w, svc, children);
  return left;
}

const holderBin = (w: Workload): string => join(w.dir, 'bin', 'zholder');

/**
 * Leaves the service's process a zombie: its parent (a `sleep` that replaced the shell that started it) never
 * reaps it, as a container's PID 1 may not. `kill -0` and `pgrep -x` still see it; it is dead all the same.
 */
async function makeZombie(w: Workload, svc: BenchService, children: Set<number | undefined>): Promise<void> {
  if (!existsSync(holderBin(w))) symlinkSync(SLEEP, holderBin(w));
  const pidOut = svc.pidFile ?? join(w.dir, 'run', `${svc.name}.zombie`);
  rmSync(pidOut, { force: true });
  const sh = `${svc.bin!} 7200 </dev/null >/dev/null 2>&1 & echo $! > ${pidOut}; exec ${holderBin(w)} 7200`;
  const holder = spawn('/bin/sh', ['-c', sh], { stdio: 'ignore', detached: true });
  children.add(holder.pid);
  holder.on('exit', () => children.delete(holder.pid));
  const deadline = Date.now() + 5000;
  let pid: number | null = null;
  while (!(pid = readPid(pidOut)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  kill(pid);
  while (pid !== null && procState(pid) !== 'Z' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  if (pid === null || procState(pid) !== 'Z') throw new Error(`could not leave ${svc.name} (pid ${pid}) a zombie`);
}

/** Names written to restarts.log by the restart scripts, with how often each ran. */
export function restartCounts(w: Workload): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(join(w.dir, 'restarts.log'), 'utf8').split('\n')) {
    if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return counts;
}

/** Lines of the chain links' log: "NAME MS dep-ready|dep-NOT-ready". */
export const linkLog = (w: Workload): string[][] =>
  readFileSync(join(w.dir, 'links.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));

/** Resolves true once 127.0.0.1:port accepts a connection. */
export const portOpen = (port: number | undefined): Promise<boolean> =>
  new Promise((resolve) => {
    if (port === undefined) return resolve(false);
    const s = connect({ host: '127.0.0.1', port });
    s.setTimeout(500, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
