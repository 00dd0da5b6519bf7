// One measured start of a command: wall and CPU time to the millisecond (bash's `time`), or peak RSS (GNU time %M).
import { spawn } from 'node:child_process';
import { readGnuTime, underGnuTime } from './gnu-time.js';

// bash's `time` reads getrusage(RUSAGE_CHILDREN) to the microsecond; GNU time prints CPU in 10 ms steps, too coarse
// for a 40 ms process. The command's output goes to a file ($BENCH_OUT, /dev/null by default): not on the clock.
const TIMED = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" </dev/null >"${BENCH_OUT:-/dev/null}" 2>&1; } 2>&1; echo "exit $?"';

function run(argv: readonly string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    // Async, so the bench's own 127.0.0.1 servers keep answering the probes of the command under test.
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Wall and user+sys CPU in ms, and the exit status, of one run of argv; its output goes to outFile when given. */
export async function timeRun(
  argv: readonly string[],
  timeoutMs = 60_000,
  outFile?: string,
): Promise<{ wallMs: number; cpuMs: number; exit: number }> {
  const { out } = await run(['/bin/bash', '-c', TIMED, 'bench-time', ...argv], timeoutMs, outFile ? { BENCH_OUT: outFile } : undefined);
  const m = /^(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\nexit (\d+)\s*$/.exec(out);
  if (!m) throw new Error(`cannot read bash's time output for ${argv.join(' ')}: ${JSON.stringify(out)}`);
  return { wallMs: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000, exit: Number(m[4]) };
}

/** Peak RSS in KiB (the largest the process got, GNU time's %M) and the exit status of one run of argv. */
export async function peakRssRun(
  argv: readonly string[],
  scratchFile: string,
  timeoutMs = 60_000,
): Promise<{ rssKiB: number; exit: number; out: string }> {
  const { out } = await run(underGnuTime(argv, scratchFile, '%M %x'), timeoutMs);
  const fields = readGnuTime(scratchFile);
  if (!fields || fields.length < 2) throw new Error(`GNU time wrote nothing for ${argv.join(' ')}`);
  return { rssKiB: fields[0]!, exit: fields[1]!, out };
}
