// Network namespaces for the drill: made with `ip netns`, linked with veth pairs, every process inside them found
// by its namespace and stopped by pid, and all of it deleted at the end.
import { spawnSync } from 'node:child_process';
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { runToEnd, type ToolRun } from '../helpers/tools.js';
import { isAlive, waitFor } from '../helpers/util.js';

export type CommandRun = ToolRun;

/** Runs `ip ARGS` and throws with its stderr when it fails. */
export function ip(...args: string[]): void {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  if (run.error) throw new Error(`ip ${args.join(' ')}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`ip ${args.join(' ')} exited ${run.status}: ${run.stderr.trim()}`);
}

/** Why this machine cannot make network namespaces (not root, no `ip`, the kernel refuses), or undefined. */
export function namespaceRefusal(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const name = `ahprobe${process.pid}`;
  const run = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (run.error) return `cannot run ip (iproute2): ${run.error.message}`;
  if (run.status !== 0) return `the kernel refuses network namespaces: ${run.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', name]);
  return undefined;
}

/** Adds a namespace with its loopback up. */
export function addNamespace(name: string): void {
  ip('netns', 'add', name);
  ip('-n', name, 'link', 'set', 'lo', 'up');
}

/** A veth pair between two namespaces, each end with its address (CIDR) and up. */
export function link(a: { ns: string; dev: string; cidr: string }, b: { ns: string; dev: string; cidr: string }): void {
  ip('-n', a.ns, 'link', 'add', a.dev, 'type', 'veth', 'peer', 'name', b.dev, 'netns', b.ns);
  for (const end of [a, b]) {
    ip('-n', end.ns, 'addr', 'add', end.cidr, 'dev', end.dev);
    ip('-n', end.ns, 'link', 'set', end.dev, 'up');
  }
}

/** The inode that identifies a namespace made by `ip netns add`, or undefined when it is gone. */
function namespaceInode(name: string): number | undefined {
  try {
    return statSync(`/run/netns/${name}`).ino;
  } catch {
    return undefined;
  }
}

/** Every process whose network namespace is `name` (the pid namespace is shared, so /proc shows them all). */
export function pidsIn(name: string): number[] {
  const inode = namespaceInode(name);
  if (inode === undefined) return [];
  const wanted = `net:[${inode}]`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/net`) === wanted) pids.push(Number(entry));
    } catch {
      // gone, or a kernel thread
    }
  }
  return pids;
}

/** SIGKILLs every process in the namespace, by pid, until none is left: the power cut of one host. */
export async function killAllIn(name: string): Promise<void> {
  await waitFor(
    () => {
      const pids = pidsIn(name).filter(isAlive);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      return pids.length === 0;
    },
    `every process in namespace ${name} to be gone`,
    20_000,
    50,
  );
}

/** Stops everything in the namespaces and deletes them; never throws, so a cleanup runs whole. */
export async function removeNamespaces(names: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const name of names) {
    try {
      await killAllIn(name);
    } catch (e) {
      problems.push((e as Error).message);
    }
    if (namespaceInode(name) === undefined) continue;
    const run = spawnSync('ip', ['netns', 'del', name], { encoding: 'utf8' });
    if (run.status !== 0) problems.push(`ip netns del ${name}: ${run.stderr.trim()}`);
  }
  return problems;
}

/** Runs a command inside a namespace to its end; a generous guard kills it (and fails the run) if it hangs. */
export function runIn(ns: string, command: string, args: readonly string[], timeoutMs = 120_000): Promise<CommandRun> {
  return runToEnd('ip', ['netns', 'exec', ns, command, ...args], { timeoutMs, what: `${command} ${args.join(' ')} in ${ns}` });
}
