// Describes the machine and the versions of everything measured, for the report's header.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

const run = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}`.trim() || 'unknown';
  }
};

/** The 1, 5 and 15 minute load averages: other work on the machine while the bench ran. */
export const loadNow = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** The report header's facts; loadEnd and minutes are filled in when the run ends. */
export interface Machine {
  date: string;
  cpus: string;
  memory: string;
  os: string;
  kernel: string;
  node: string;
  monit: string;
  nc: string;
  curl: string;
  procps: string;
  commit: string;
  processes: string;
  load: string;
  loadEnd?: string;
  minutes?: string;
}

export function describeMachine(): Machine {
  const os = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown';
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpus: `${run('nproc', [])} (nproc) × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os,
    kernel: run('uname', ['-r']),
    node: process.version,
    monit: run('monit', ['-V']).split('\n')[0] ?? 'unknown',
    nc: run('dpkg-query', ['-W', '-f=${Package} ${Version}', 'netcat-openbsd']),
    curl: (run('curl', ['--version']).split('\n')[0] ?? '').split(' ').slice(0, 2).join(' '),
    procps: run('pgrep', ['-V']).split('\n')[0] ?? 'unknown',
    commit: run('git', ['-C', import.meta.dirname, 'rev-parse', '--short', 'HEAD']),
    processes: run('sh', ['-c', 'ls -d /proc/[0-9]* | wc -l']),
    load: loadNow(),
  };
}
