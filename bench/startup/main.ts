// `npm run bench:startup`: what one cron pass costs to start, side by side with bare `node -e 0`, in one run.
// Usage: npm run bench:startup -- [--rounds 41] [--binary dist/autoheal-once] [--bundle dist/autoheal-once.cjs]
// Every round runs each command twice (timed; under GNU time for peak RSS) in a fresh random order; medians win.
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCommands, GNU_TIME_PKG } from '../shared/deps.js';
import { BINARY, BUNDLE } from '../shared/paths.js';
import { shuffle } from '../shared/stats.js';
import { peakRssRun, timeRun } from '../shared/timed-run.js';
import { renderTable, summarize, type Samples } from './report.js';
import { installBinary, startDependencies, writeWorkload } from './workload.js';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '41' },
    binary: { type: 'string', default: BINARY },
    bundle: { type: 'string', default: BUNDLE },
  },
});
const rounds = Number(opts.rounds);
const binary = opts.binary ?? BINARY;
const bundleFile = opts.bundle ?? BUNDLE;
const log = (line: string): void => void process.stderr.write(`${line}\n`);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${opts.rounds}`);
if (!existsSync(binary)) throw new Error(`no binary at ${binary}: run npm run build first`);
ensureCommands(log, [GNU_TIME_PKG]);

/** One command of the table; `before` runs ahead of each of its runs. */
interface Variant {
  id: string;
  label: string;
  argv: string[];
  exit: number;
  silent?: boolean;
  before?: () => void;
}

const dir = mkdtempSync(join(tmpdir(), 'autoheal-startup-'));
const deps = await startDependencies();
process.once('SIGINT', () => void deps.close().finally(() => (rmSync(dir, { recursive: true, force: true }), process.exit(130))));
try {
  // Copies taken now: a rebuild while the bench runs cannot change what is measured.
  const bin = installBinary(binary, dir);
  // Every healthy service's pid file holds the pid of this bench, alive for the whole run.
  const work = (name: string, n: number, alive: boolean) => writeWorkload(dir, name, { n, alive, pid: process.pid, ports: deps.ports });
  const pass = (w: { config: string; stateDir: string }) => ['--config', w.config, '--state-dir', w.stateDir];
  const h10 = work('healthy-10', 10, true);
  const h10miss = work('healthy-10-miss', 10, true);
  let edits = 0;
  const variants: Variant[] = [
    { id: 'node', label: '`node -e 0`', argv: [process.execPath, '-e', '0'], exit: 0 },
    { id: 'version', label: 'binary `--version`', argv: [bin, '--version'], exit: 0 },
    { id: 'h10', label: 'binary, healthy pass, 10 services', argv: [bin, ...pass(h10)], exit: 0, silent: true },
    // The same 10 services, the config's text changed before every run: a config-cache miss, so yaml parses it.
    {
      id: 'h10miss',
      label: 'binary, healthy pass, 10 services, config edited before each run',
      argv: [bin, ...pass(h10miss)],
      exit: 0,
      silent: true,
      before: () => appendFileSync(h10miss.config, `# run ${++edits}\n`),
    },
    { id: 'h100', label: 'binary, healthy pass, 100 services', argv: [bin, ...pass(work('healthy-100', 100, true))], exit: 0, silent: true },
    {
      id: 'd10',
      label: 'binary, 10 services down, 11 deps probed (`--dry-run`)',
      argv: [bin, ...pass(work('down-10', 10, false)), '--dry-run'],
      exit: 2,
    },
  ];
  if (existsSync(bundleFile)) {
    const bundle = join(dir, 'autoheal-once.cjs');
    copyFileSync(bundleFile, bundle);
    variants.push({
      id: 'bundle',
      label: '`node autoheal-once.cjs`, healthy pass, 10 services',
      argv: [process.execPath, bundle, ...pass(h10)],
      exit: 0,
      silent: true,
    });
  }

  for (const v of variants) await check(v);
  const loadBefore = loadavg();
  const samples = new Map<string, Samples>(variants.map((v) => [v.id, { wall: [], cpu: [], rss: [] }]));
  for (let r = 1; r <= rounds; r++) {
    for (const [v, kind] of shuffle(variants.flatMap((v) => [[v, 'time'] as const, [v, 'rss'] as const]))) {
      v.before?.();
      const s = samples.get(v.id)!;
      if (kind === 'time') {
        const got = await timeRun(v.argv);
        if (got.exit !== v.exit) throw new Error(`${v.label}: exit ${got.exit}, expected ${v.exit}`);
        s.wall.push(got.wallMs), s.cpu.push(got.cpuMs);
      } else {
        const got = await peakRssRun(v.argv, join(dir, 'time.out'));
        if (got.exit !== v.exit) throw new Error(`${v.label}: exit ${got.exit}, expected ${v.exit}`);
        s.rss.push(got.rssKiB);
      }
    }
    if (r % 10 === 0 || r === rounds) log(`startup-bench: round ${r}/${rounds}`);
  }
  const fmt = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  const mib = (statSync(bin).size / 2 ** 20).toFixed(1);
  const osName = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown OS';
  console.log(
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ${osName}, Linux ${release()}`,
  );
  console.log(
    `node ${process.version}; binary ${mib} MiB (an installed copy); ${rounds} rounds; load average ${fmt(loadBefore)} before, ${fmt(loadavg())} after`,
  );
  console.log('');
  console.log(renderTable(summarize(variants, samples)));
} finally {
  await deps.close();
  rmSync(dir, { recursive: true, force: true });
}

/** One untimed run of each command that must end as expected (and, for a healthy pass, print nothing). */
async function check(v: Variant): Promise<void> {
  v.before?.();
  const child = spawn(v.argv[0]!, v.argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  const code = await new Promise<number | null>((res, rej) => child.on('error', rej).on('close', res));
  if (code !== v.exit || (v.silent && out !== '')) throw new Error(`${v.label}: exit ${code}, expected ${v.exit}; output: ${out}`);
  if (v.id === 'd10' && /blocked/.test(out)) throw new Error(`${v.label}: a dependency was not ready: ${out}`);
}
