// Makes sure the commands a bench runs exist, installing the missing Debian packages with apt-get when root.
import { execFileSync, spawnSync } from 'node:child_process';
import { GNU_TIME } from './gnu-time.js';

/** A command and the Debian package that provides it. */
export interface Needed {
  cmd: string;
  pkg: string;
}

export const GNU_TIME_PKG: Needed = { cmd: GNU_TIME, pkg: 'time' };

/** What `npm run bench` runs besides autoheal-once: the peers' tools and GNU time. */
export const PASS_BENCH_COMMANDS: readonly Needed[] = [
  { cmd: 'monit', pkg: 'monit' },
  { cmd: 'nc', pkg: 'netcat-openbsd' },
  { cmd: 'curl', pkg: 'curl' },
  { cmd: 'pgrep', pkg: 'procps' },
  GNU_TIME_PKG,
];

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Installs what is missing (non-interactively) or throws saying what to install. */
export function ensureCommands(log: (line: string) => void, needed: readonly Needed[]): void {
  const missing = needed.filter((n) => !has(n.cmd)).map((n) => n.pkg);
  if (!missing.length) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    throw new Error(`missing commands; install the Debian packages: ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = needed.filter((n) => !has(n.cmd)).map((n) => n.cmd);
  if (still.length) throw new Error(`still missing after apt-get: ${still.join(' ')}`);
}
