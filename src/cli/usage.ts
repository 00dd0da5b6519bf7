// What `--help` says, as tables: the help text and the autoheal-once(1) man page are both rendered from them (pure).

/** A command word; without one, autoheal-once runs a pass. */
export interface CommandDoc {
  name: string;
  synopsis: string;
  summary: string;
}

/** An option: its spellings ("-h, --help"), the name of its value if it takes one, and one line on what it does. */
export interface OptionDoc {
  flags: string;
  arg?: string;
  summary: string;
}

/** Every command the parser accepts (src/cli/args.ts). */
export const COMMANDS: readonly CommandDoc[] = [
  {
    name: 'validate',
    synopsis: 'autoheal-once validate [--config PATH] [--json] [--quiet]',
    summary: 'check the config only (exit 0 or 3); nothing is probed or run',
  },
  {
    name: 'status',
    synopsis: 'autoheal-once status [--json]',
    summary: 'each service: state and since when, last restart, restarts in the window, backoff, pause',
  },
  {
    name: 'pause',
    synopsis: 'autoheal-once pause NAME...|--all [--for DURATION] [--reason TEXT]',
    summary: 'probe and report these services, never start or stop them',
  },
  { name: 'resume', synopsis: 'autoheal-once resume NAME...|--all', summary: 'end a pause' },
  {
    name: 'reset',
    synopsis: 'autoheal-once reset NAME...|--all',
    summary: 'clear restart limits and backoff: a GAVE UP service is tried at the next pass',
  },
  {
    name: 'graph',
    synopsis: 'autoheal-once graph [--format dot|mermaid] [--no-probe]',
    summary: 'draw the dependency graph, each service coloured by its state',
  },
];

/** Every option the parser accepts (src/cli/args.ts), in the order --help lists them. */
export const OPTIONS: readonly OptionDoc[] = [
  { flags: '--config', arg: 'PATH', summary: 'config file (default: $AUTOHEAL_CONFIG, else /etc/autoheal/conf.yaml)' },
  { flags: '--state-dir', arg: 'DIR', summary: 'restart history and logs (default: /var/lib/autoheal as root, else $XDG_STATE_HOME/autoheal)' },
  { flags: '--dry-run', summary: 'probe and say what would be restarted; run nothing' },
  {
    flags: '--converge',
    arg: 'SECONDS',
    summary:
      'keep going in rounds about a second apart for up to SECONDS, restarting each waiting service once its dependencies are ready (0: off; default: defaults.converge); keep it below the cron interval',
  },
  { flags: '--format', arg: 'FORMAT', summary: 'text, json or nagios (graph: dot or mermaid)' },
  { flags: '--json', summary: 'print one JSON document instead of text (the same as --format json)' },
  { flags: '--metrics-file', arg: 'PATH', summary: 'write Prometheus metrics there after every pass (a node_exporter textfile, *.prom)' },
  { flags: '--syslog', summary: 'also log each action to the system log, tag autoheal (or defaults.syslog)' },
  { flags: '--all', summary: 'pause, resume, reset: every service of the config' },
  { flags: '--for', arg: 'DURATION', summary: 'pause: the pause ends by itself after this long (30m, 2h)' },
  { flags: '--reason', arg: 'TEXT', summary: 'pause: why, shown by status and in reports' },
  { flags: '--no-probe', summary: 'graph: draw the config alone, probe nothing' },
  { flags: '--quiet', summary: 'print nothing; the exit code tells' },
  { flags: '--verbose', summary: 'also list healthy services and every probe' },
  { flags: '-h, --help', summary: 'print this help' },
  { flags: '-V, --version', summary: 'print the version' },
];

/** What one pass does, for the help text and the man page's description. */
export const PASS_SUMMARY =
  'One pass: probe every service of the config and its direct dependencies, restart the dead services whose dependencies are ready, report, and exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.';

const WIDTH = 100;

/** The help text: a one-line usage, what a pass does, then one row per command and option. */
export function renderUsage(): string {
  const rows = [...COMMANDS.map((c) => [c.name, c.summary] as const), ...OPTIONS.map((o) => [optionLabel(o), o.summary] as const)];
  const left = Math.max(...rows.map(([label]) => label.length));
  const table = rows.map(([label, summary]) => `  ${label.padEnd(left)}  ${wrap(summary, WIDTH - left - 4).join(`\n${' '.repeat(left + 4)}`)}`);
  return [usageLine(), '', wrap(PASS_SUMMARY, WIDTH).join('\n'), '', ...table].join('\n');
}

/** "Usage: autoheal-once [validate] [--config PATH] ..." (the first line, also shown after a usage error). */
export function usageLine(): string {
  const words = [`[${COMMANDS.map((c) => c.name).join(' | ')}]`];
  for (const o of OPTIONS) {
    if (/(^|\s)-(h|V),/.test(o.flags)) continue;
    const long = o.flags.split(',').at(-1)!.trim();
    words.push(`[${o.arg ? `${long} ${o.arg}` : long}]`);
  }
  const head = 'Usage: autoheal-once';
  const lines = [head];
  for (const word of words) {
    const last = lines.length - 1;
    if (`${lines[last]} ${word}`.length > WIDTH) lines.push(`${' '.repeat(head.length)} ${word}`);
    else lines[last] = `${lines[last]} ${word}`;
  }
  return lines.join('\n');
}

/** "-h, --help" or "--config PATH". */
export function optionLabel(o: OptionDoc): string {
  return o.arg ? `${o.flags} ${o.arg}` : o.flags;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
