// One measured start of a command: wall and CPU time to the millisecond (bash's `time`), or peak RSS (GNU time %M).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

export const GNU_TIME = '/usr/bin/time';

// bash's `time` reads getrusage(RUSAGE_CHILDREN) to the microsecond; GNU time prints CPU in 10 ms steps, too coarse
// for a 40 ms process. The command's output goes to /dev/null: it must not be on the clock.
const TIMED = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" </dev/null >/dev/null 2>&1; } 2>&1; echo "exit $?"';

function run(argv, timeoutMs) {
  return new Promise((resolve, reject) => {
    // Async, so the bench's own 127.0.0.1 servers keep answering the probes of the command under test.
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Wall and user+sys CPU in ms, and the exit status, of one run of argv. */
export async function timeRun(argv, timeoutMs = 60_000) {
  const { out } = await run(['/bin/bash', '-c', TIMED, 'startup-bench', ...argv], timeoutMs);
  const m = /^(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\nexit (\d+)\s*$/.exec(out);
  if (!m) throw new Error(`cannot read bash's time output for ${argv.join(' ')}: ${JSON.stringify(out)}`);
  return { wallMs: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000, exit: Number(m[4]) };
}

/** Peak RSS in KiB (the largest the process got, GNU time's %M) and the exit status of one run of argv. */
export async function peakRssRun(argv, scratchFile, timeoutMs = 60_000) {
  await run([GNU_TIME, '-q', '-f', '%M %x', '-o', scratchFile, '--', ...argv], timeoutMs);
  const [kib, exit] = readFileSync(scratchFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  rmSync(scratchFile, { force: true });
  return { rssKiB: kib, exit };
}

/** Installs GNU time with apt-get when it is missing and this is root; throws when it still is not there. */
export function ensureGnuTime(log) {
  if (existsSync(GNU_TIME)) return;
  if (process.getuid?.() !== 0) throw new Error(`${GNU_TIME} is missing: apt-get install time (as root), then run again`);
  log('startup-bench: installing GNU time (apt-get install time)');
  const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt(['install', '-y', '--no-install-recommends', 'time']).status !== 0) apt(['update']);
  if (!existsSync(GNU_TIME)) apt(['install', '-y', '--no-install-recommends', 'time']);
  if (!existsSync(GNU_TIME)) throw new Error('apt-get could not install time');
}
