// Makes sure the commands the bench runs exist, installing the missing Debian packages with apt-get when root.
import { execFileSync, spawnSync } from 'node:child_process';

const NEEDED = [
  { cmd: 'monit', pkg: 'monit' },
  { cmd: 'nc', pkg: 'netcat-openbsd' },
  { cmd: 'curl', pkg: 'curl' },
  { cmd: 'pgrep', pkg: 'procps' },
  { cmd: '/usr/bin/time', pkg: 'time' },
];

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Installs what is missing (non-interactively) or throws saying what to install. */
export function ensureDeps(log) {
  const missing = NEEDED.filter((n) => !has(n.cmd)).map((n) => n.pkg);
  if (!missing.length) return;
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    throw new Error(`missing commands; install the Debian packages: ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = NEEDED.filter((n) => !has(n.cmd)).map((n) => n.cmd);
  if (still.length) throw new Error(`still missing after apt-get: ${still.join(' ')}`);
}
