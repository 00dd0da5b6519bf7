// The commands and options as data (pure): `--help` renders from these tables, and so can other documents.

/** One command: how it is written and one line on what it does. */
export interface CommandDoc {
  name: string;
  synopsis: string;
  summary: string;
}

/** One option: its spellings, the name of its value if it takes one, and one line on what it does. */
export interface OptionDoc {
  flags: string;
  arg?: string;
  summary: string;
}

export const COMMANDS: readonly CommandDoc[] = [
  { name: '', synopsis: 'autoheal-once [OPTIONS]', summary: 'one pass: probe, restart the dead services whose dependencies are ready, report' },
  { name: 'validate', synopsis: 'autoheal-once validate [--config PATH]', summary: 'check the config only (exit 0 or 3); nothing is probed or run' },
  { name: 'status', synopsis: 'autoheal-once status [--json]', summary: 'each service: state and since when, last restart, restarts in the window, backoff, pause' },
  { name: 'pause', synopsis: 'autoheal-once pause NAME...|--all [--for DURATION] [--reason TEXT]', summary: 'probe and report these services, never start or stop them' },
  { name: 'resume', synopsis: 'autoheal-once resume NAME...|--all', summary: 'end a pause' },
  { name: 'graph', synopsis: 'autoheal-once graph [--format dot|mermaid] [--no-probe]', summary: 'draw the dependency graph, each service coloured by its state' },
  { name: 'reset', synopsis: 'autoheal-once reset NAME...|--all', summary: 'clear restart limits and backoff: a GAVE UP service is tried at the next pass' },
];

export const OPTIONS: readonly OptionDoc[] = [
  { flags: '--config', arg: 'PATH', summary: 'config file (default: $AUTOHEAL_CONFIG, else /etc/autoheal/conf.yaml)' },
  { flags: '--state-dir', arg: 'DIR', summary: 'restart history and logs (default: /var/lib/autoheal as root, else $XDG_STATE_HOME/autoheal)' },
  { flags: '--dry-run', summary: 'probe and say what would be restarted; run nothing, write nothing' },
  { flags: '--format', arg: 'FORMAT', summary: 'text, json or nagios (graph: dot or mermaid)' },
  { flags: '--json', summary: 'the same as --format json' },
  { flags: '--metrics-file', arg: 'PATH', summary: 'write Prometheus metrics there after every pass (a node_exporter textfile, *.prom)' },
  { flags: '--syslog', summary: 'also log each action to the system log, tag autoheal (or defaults.syslog)' },
  { flags: '--all', summary: 'pause, resume, reset: every service of the config' },
  { flags: '--for', arg: 'DURATION', summary: 'pause: the pause ends by itself after this long (30m, 2h)' },
  { flags: '--reason', arg: 'TEXT', summary: 'pause: why, shown by status and in reports' },
  { flags: '--no-probe', summary: 'graph: draw the config alone, probe nothing' },
  { flags: '--quiet', summary: 'print nothing; the exit code tells' },
  { flags: '--verbose', summary: 'also list healthy services and every probe' },
  { flags: '-h, --help', summary: 'this help' },
  { flags: '-V, --version', summary: 'the version' },
];

/** `--help`: the synopses, the exit codes, then the commands and options aligned. */
export function renderUsage(): string {
  const lines = COMMANDS.map((c, i) => `${i === 0 ? 'Usage: ' : '       '}${c.synopsis}`);
  lines.push('', 'A pass exits 0 OK, 1 WARNING, 2 CRITICAL or 3 UNKNOWN, as a Nagios plugin does.', '');
  lines.push('Commands:', ...aligned(COMMANDS.map((c) => [c.name || '(none)', c.summary])), '');
  lines.push('Options:', ...aligned(OPTIONS.map((o) => [o.arg ? `${o.flags} ${o.arg}` : o.flags, o.summary])));
  return lines.join('\n');
}

function aligned(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
