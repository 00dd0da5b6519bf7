// The attacker of the security tests: an unprivileged user created for the test and deleted after it, files it
// owns, commands it runs, and the mounts some attacks need (tmpfs, bind mounts), all undone after the test.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { configFixture, type ConfigFixture } from '../helpers/config-fixture.js';

/** Why the security tests cannot run here, or false when they can (root with useradd/userdel and perl). */
export const needsRoot: string | false = (() => {
  if (process.getuid?.() !== 0) return 'needs root: each attack is played by an unprivileged user the test creates with useradd';
  for (const tool of ['/usr/sbin/useradd', '/usr/sbin/userdel', '/usr/bin/perl']) {
    if (!existsSync(tool)) return `needs ${tool} to play the attacker`;
  }
  return false;
})();

/** An unprivileged user that exists for one test. */
export interface Attacker {
  name: string;
  uid: number;
  gid: number;
  /** Runs `sh -c script` as this user; throws with its stderr when it fails. */
  sh(script: string, env?: NodeJS.ProcessEnv): string;
  remove(): void;
}

// useradd and userdel lock /etc/passwd: parallel test files may collide, and they say so with exit 10 (or 1).
function runLocked(command: string, args: string[]): void {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = spawnSync(command, args, { encoding: 'utf8' });
    if (r.status === 0) return;
    if (Date.now() > deadline || !/lock|try again/i.test(r.stderr)) throw new Error(`${command} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    spawnSync('sleep', ['0.05']);
  }
}

/** Creates a system user with its own group, no home and no login shell. */
export function createAttacker(): Attacker {
  const name = `ahsec${randomBytes(4).toString('hex')}`;
  runLocked('/usr/sbin/useradd', [
    '--system',
    '--user-group',
    '--no-create-home',
    '--home-dir',
    '/nonexistent',
    '--shell',
    '/usr/sbin/nologin',
    name,
  ]);
  const id = (flag: string): number => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!(uid > 0) || !(gid > 0)) throw new Error(`cannot find the uid of ${name}`);
  return {
    name,
    uid,
    gid,
    sh(script, env = { PATH: '/usr/bin:/bin' }) {
      const r = spawnSync('/bin/sh', ['-c', script], { uid, gid, env, encoding: 'utf8', cwd: '/' });
      if (r.status !== 0) throw new Error(`as ${name}: ${script}: exit ${r.status}: ${r.stderr}`);
      return r.stdout;
    },
    remove() {
      runLocked('/usr/sbin/userdel', [name]);
      spawnSync('/usr/sbin/groupdel', [name]);
    },
  };
}

/**
 * The scene of one attack: a config fixture in a dir the attacker may traverse (0755, root's), and the attacker.
 * After the test, the steps deferred on `fx` run (last first), then the user is deleted, then the dir removed.
 */
export function attackScene(t: TestContext): { fx: ConfigFixture; dir: string; user: Attacker } {
  const fx = configFixture(t, { shared: true });
  const user = createAttacker();
  fx.defer(() => user.remove());
  return { fx, dir: fx.dir, user };
}

/** A directory owned by the attacker (mode 0755), as a service's run directory often is. */
export function attackerDir(parent: string, name: string, who: Attacker): string {
  const path = join(parent, name);
  mkdirSync(path, { mode: 0o755 });
  chownSync(path, who.uid, who.gid);
  return path;
}

/** A root-only directory holding files that must stay as they are; snapshot() reads them all back. */
export function victimDir(parent: string, files: Record<string, string>): { dir: string; snapshot: () => Record<string, string> } {
  const dir = join(parent, 'victim');
  mkdirSync(dir, { mode: 0o700 });
  for (const [name, text] of Object.entries(files)) spawnSync('/bin/sh', ['-c', 'umask 077; cat > "$1"', 'sh', join(dir, name)], { input: text });
  const snapshot = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const name of readdirSync(dir).sort())
      out[name] = `${(statSync(join(dir, name)).mode & 0o7777).toString(8)} ${readFileSync(join(dir, name), 'utf8')}`;
    return out;
  };
  return { dir, snapshot };
}

/** Every text a pass can leave behind under `root`: logs, audit, state (for leak checks). */
export function readTree(root: string): string {
  if (!existsSync(root)) return '';
  let out = '';
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    out += `--- ${path}\n${readFileSync(path, 'utf8')}\n`;
  }
  return out;
}

/** Runs mount(8); returns why it could not when mounting is not allowed here (a container without the right). */
export function mount(args: string[]): string | undefined {
  const r = spawnSync('mount', args, { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  if (/permission denied|not permitted|only root/i.test(r.stderr)) return `mount is not allowed here: ${r.stderr.trim()}`;
  throw new Error(`mount ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
}

/** Unmounts, lazily when still busy, so a failed test never leaves a mount behind. */
export function unmount(path: string): void {
  if (spawnSync('umount', [path]).status !== 0) spawnSync('umount', ['-l', path]);
}
