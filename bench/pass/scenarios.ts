// The scenarios and their repetition counts, full and --quick: what each builds and what each tool must do.
import { join } from 'node:path';
import { chainWorkload, hungWorkload, sleepersWorkload, zombieWorkload, type HubPorts, type Workload } from './workload.js';
import { scaleScenario, type ScaleScenario } from './scale.js';

const linkScript = join(import.meta.dirname, 'link.js');

/** A scenario of one pass (S1–S3, S5) or of a chain of passes (S4), run for every tool. */
export interface PassScenario {
  kind: 'pass';
  id: string;
  short: string;
  title: string;
  note: string;
  /** Repetitions per tool id or kind. */
  reps: Record<string, number>;
  timeoutMs: number;
  /** How many hub ports that never answer it needs. */
  hang?: number;
  chain?: boolean;
  maxPasses?: number;
  maxPacedPasses?: number;
  maxMs?: number;
  build(dir: string, hub: HubPorts, ports: number[] | null): Workload;
  expected?(w: Workload): ReadonlySet<string>;
  exitCode?: number;
}

export type Scenario = PassScenario | ScaleScenario;

/** reps per tool: autoheal-once is cheap to repeat; the peers take seconds to tens of seconds per pass at scale. */
export function scenarios({ quick }: { quick: boolean }): Scenario[] {
  const S1 = (n: number, reps: Record<string, number>): PassScenario => ({
    kind: 'pass',
    id: `S1-${n}`,
    short: `healthy N=${n}`,
    title: `healthy, N = ${n}`,
    note: `${n} services, all up, each with 0–2 deps (hub TCP ports, hub HTTP urls, or an earlier service by name). Check: no restart script ran, every service still up${''}; autoheal-once exits 0.`,
    reps,
    timeoutMs: 240_000,
    build: (dir, hub) => sleepersWorkload({ dir, n, hub }),
    expected: () => new Set(),
    exitCode: 0,
  });
  const S2 = (n: number, dead: number, reps: Record<string, number>): PassScenario => ({
    kind: 'pass',
    id: 'S2',
    short: `${dead} of ${n} dead`,
    title: `${dead} of ${n} services dead, their dependencies ready`,
    note: `Check: exactly those ${dead} restart scripts ran, once each, and all ${n} services are up after the pass; autoheal-once exits 1. The dead processes are killed and reaped (not left as zombies) before every repetition.`,
    reps,
    timeoutMs: 240_000,
    build: (dir, hub) => sleepersWorkload({ dir, n, hub, deadCount: dead, seed: 7 }),
    expected: (w) => w.dead,
    exitCode: 1,
  });
  const S3 = (count: number, reps: Record<string, number>): PassScenario => ({
    kind: 'pass',
    id: 'S3',
    short: `${count} hung deps`,
    title: `${count} dead services whose HTTP dependency accepts and never answers (timeout 2 s)`,
    note: `Each of the ${count} services has its own hub port that accepts the connection and never answers. Check: no restart script ran; autoheal-once exits 2. Ideal: about one timeout, whatever the count.`,
    reps,
    timeoutMs: 240_000,
    hang: count,
    build: (dir, hub) => hungWorkload({ dir, count, hub }),
    expected: () => new Set(),
    exitCode: 2,
  });
  const S4 = (reps: Record<string, number>): PassScenario => ({
    kind: 'pass',
    id: 'S4',
    short: 'chain of 5',
    title: 'a chain five deep, all dead, each link opening its port 300 ms after it starts',
    note: 'c1 ← c2 ← … ← c5, each depending on the previous link’s TCP port. Back to back: passes run one after the other until all five links run, then the bench waits for the last port; time = first pass start to all five ports open. Paced: before each next pass the bench lets every started link open its port, as a cron minute would, so the count is cron minutes to converge. Check (both): every link started once, and only after its dependency’s port answered. One state dir across the passes of a run.',
    reps,
    chain: true,
    maxPasses: 400,
    maxPacedPasses: 12,
    maxMs: 60_000,
    timeoutMs: 30_000,
    build: (dir, _hub, ports) => chainWorkload({ dir, length: 5, ports: ports!, linkScript }),
  });
  const S5 = (n: number, dead: number, reps: Record<string, number>): PassScenario => ({
    kind: 'pass',
    id: 'S5',
    short: `${dead} zombies of ${n}`,
    title: `${dead} of ${n} services dead but left as zombies (their parent never reaps them)`,
    note: `A dead daemon whose parent has not reaped it yet (a container’s PID 1 may be slow to) is still in /proc with state Z: \`kill -0\` succeeds on it and \`pgrep -x\` lists it. Check: exactly those ${dead} restart scripts ran and all ${n} services have a live process after the pass; autoheal-once exits 1.`,
    reps,
    timeoutMs: 120_000,
    build: (dir, hub) => zombieWorkload({ dir, n, hub, deadCount: dead, seed: 11 }),
    expected: (w) => w.dead,
    exitCode: 1,
  });
  if (quick) {
    return [
      S1(10, { autoheal: 3, seed: 3, monit: 3 }),
      S1(100, { autoheal: 3, seed: 2, monit: 2 }),
      S2(50, 10, { autoheal: 2, seed: 1, monit: 1 }),
      S3(5, { autoheal: 1, seed: 1, monit: 1 }),
      S4({ autoheal: 1, seed: 1, monit: 1 }),
      S5(20, 5, { autoheal: 1, seed: 1, monit: 1 }),
      scaleScenario({ quick }),
    ];
  }
  return [
    S1(10, { autoheal: 10, seed: 10, monit: 10 }),
    S1(100, { autoheal: 10, seed: 5, monit: 5 }),
    S1(1000, { autoheal: 10, seed: 4, monit: 4 }),
    S2(100, 20, { autoheal: 10, seed: 5, monit: 5 }),
    S3(20, { autoheal: 5, seed: 3, monit: 3 }),
    S4({ autoheal: 5, seed: 5, monit: 5 }),
    S5(20, 5, { autoheal: 5, seed: 3, monit: 3 }),
    scaleScenario({ quick }),
  ];
}
