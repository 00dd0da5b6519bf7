// The pass as Prometheus metrics (pure): the text exposition format that node_exporter's textfile collector reads.
import type { ExitCode } from '../errors.js';
import { SERVICE_STATES, type ServiceReport } from './model.js';

/** Restarts counted since the state directory was created, per service. */
export interface ServiceTotals {
  restarts: number;
  failures: number;
}

export interface MetricsInput {
  exitCode: ExitCode;
  /** When the pass ended, epoch ms. */
  at: number;
  durationMs: number;
  /** Absent when the pass could not judge at all (a bad config): only the pass metrics are written. */
  services?: readonly ServiceReport[];
  totals?: ReadonlyMap<string, ServiceTotals>;
}

type Labels = Readonly<Record<string, string>>;
type Sample = readonly [Labels, number];

interface Family {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  samples: Sample[];
}

/** The whole textfile: each family with its HELP and TYPE, newline-terminated. */
export function renderMetrics(input: MetricsInput): string {
  const families: Family[] = [];
  if (input.services) families.push(...serviceFamilies(input.services, input.totals ?? new Map()));
  families.push(
    { name: 'autoheal_pass_duration_seconds', type: 'gauge', help: 'How long the last pass took.', samples: [[{}, input.durationMs / 1000]] },
    {
      name: 'autoheal_last_pass_timestamp_seconds',
      type: 'gauge',
      help: 'When the last pass ended, in seconds since the epoch.',
      samples: [[{}, input.at / 1000]],
    },
    {
      name: 'autoheal_pass_exit_code',
      type: 'gauge',
      help: 'Exit code of the last pass: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.',
      samples: [[{}, input.exitCode]],
    },
  );
  return families.map(renderFamily).join('');
}

function serviceFamilies(services: readonly ServiceReport[], totals: ReadonlyMap<string, ServiceTotals>): Family[] {
  const up: Sample[] = [];
  const state: Sample[] = [];
  const blocked: Sample[] = [];
  const restarts: Sample[] = [];
  const failures: Sample[] = [];
  for (const s of services) {
    const service = { service: s.name };
    up.push([service, s.liveness.status === 'up' ? 1 : 0]);
    for (const st of SERVICE_STATES) state.push([{ ...service, state: st }, st === s.state ? 1 : 0]);
    // One series per dependency, 1 for the one that blocks: an alert can name it, and the series never vanish.
    const blocking = s.blockedBy ? s.deps.find((d) => d.name === s.blockedBy!.name) : undefined;
    for (const d of s.deps) blocked.push([{ ...service, dependency: d.name, target: publicTarget(d.target) }, d === blocking ? 1 : 0]);
    const total = totals.get(s.name);
    restarts.push([service, total?.restarts ?? 0]);
    failures.push([service, total?.failures ?? 0]);
  }
  return [
    { name: 'autoheal_service_up', type: 'gauge', help: 'Whether the liveness probe found the service running (1) or not (0).', samples: up },
    { name: 'autoheal_service_state', type: 'gauge', help: 'The state of the service after the last pass: 1 for the current one.', samples: state },
    {
      name: 'autoheal_service_blocked',
      type: 'gauge',
      help: 'Whether this dependency kept the dead service from being restarted in the last pass.',
      samples: blocked,
    },
    { name: 'autoheal_restarts_total', type: 'counter', help: 'Restart scripts run for the service.', samples: restarts },
    {
      name: 'autoheal_restart_failures_total',
      type: 'counter',
      help: 'Restarts that failed: the script failed, or the service was still dead after its start grace.',
      samples: failures,
    },
  ];
}

/**
 * A dependency's target as the world-readable textfile may show it. The config is root's alone and may hold
 * secrets in a probe: a URL's user, password and query (`?token=`), a command's arguments (`redis-cli -a PASS`).
 * The label keeps what an alert needs to name the target: the URL's scheme, host and path, the command's program.
 */
export function publicTarget(target: string): string {
  if (/^command( |$)/.test(target)) {
    // The program: the first word that is not a leading VAR=value assignment.
    const program = target
      .slice('command'.length)
      .trim()
      .split(/\s+/)
      .find((w) => w !== '' && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    return program === undefined ? 'command' : `command ${program}`;
  }
  if (/^(tcp|socket|service) /.test(target)) return target;
  try {
    const url = new URL(target);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return 'url';
  }
}

function renderFamily(f: Family): string {
  const head = `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`;
  return head + f.samples.map(([labels, value]) => `${f.name}${renderLabels(labels)} ${renderValue(value)}\n`).join('');
}

function renderLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

/** The exposition format's escapes in a label value: backslash, double quote and line feed. */
export function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function renderValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
