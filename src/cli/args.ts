// The command line, parsed without side effects; bad input throws UsageError (exit 3).
import { durationOrZero } from '../config/checks.js';
import { parseDuration } from '../config/duration.js';
import { UsageError } from '../errors.js';

export type Command = 'run' | 'validate' | 'status' | 'pause' | 'resume' | 'reset' | 'graph' | 'help' | 'version';
export type Format = 'text' | 'json' | 'nagios' | 'dot' | 'mermaid';

export interface CliOptions {
  command: Command;
  config?: string;
  stateDir?: string;
  dryRun: boolean;
  /** How the result is printed; graph defaults to dot. */
  format: Format;
  quiet: boolean;
  verbose: boolean;
  /** Prometheus textfile written after every pass (overrides defaults.metrics_file). */
  metricsFile?: string;
  /** Each action to the system log as well (or defaults.syslog). */
  syslog?: true;
  /** Service names given to pause, resume or reset. */
  names?: string[];
  /** pause, resume, reset: every service of the config. */
  all?: true;
  /** pause --for, in milliseconds. */
  forMs?: number;
  /** pause --reason. */
  reason?: string;
  /** graph --no-probe: the config alone. */
  noProbe?: true;
  /** --converge: the converge budget in ms (0: off); absent: the config's `defaults.converge`. */
  convergeMs?: number;
}

const COMMAND_WORDS = new Set<Command>(['validate', 'status', 'pause', 'resume', 'reset', 'graph']);
const WITH_NAMES = new Set<Command>(['pause', 'resume', 'reset']);
const FORMATS: Record<string, readonly Format[]> = { graph: ['dot', 'mermaid'], other: ['text', 'json', 'nagios'] };
/** Options that only make sense with some commands. */
const ONLY_WITH: Record<string, readonly Command[]> = {
  '--dry-run': ['run'],
  '--metrics-file': ['run'],
  '--syslog': ['run'],
  '--all': ['pause', 'resume', 'reset'],
  '--for': ['pause'],
  '--reason': ['pause'],
  '--no-probe': ['graph'],
  '--converge': ['run'],
};
/** Options that take a value, and what the value is, for the message when it is missing. */
const VALUE_FLAGS: Readonly<Record<string, string>> = {
  '--config': 'a path',
  '--state-dir': 'a path',
  '--format': 'a format',
  '--metrics-file': 'a path',
  '--for': 'a duration',
  '--reason': 'a text',
  '--converge': 'seconds',
};
const BOOL_FLAGS = new Set(['--dry-run', '--json', '--quiet', '--verbose', '--syslog', '--all', '--no-probe']);

/** Parses argv without the node and script entries. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { command: 'run', dryRun: false, format: 'text', quiet: false, verbose: false };
  const given = new Set<string>();
  let format: string | undefined;
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (Object.hasOwn(VALUE_FLAGS, flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (flag === '--converge') {
        given.add(flag);
        options.convergeMs = parseConverge(value);
        continue;
      }
      if (value === undefined || value === '') throw new UsageError(`${flag} expects ${VALUE_FLAGS[flag]}, found nothing`);
      given.add(flag);
      if (flag === '--format') format = value;
      else setValue(options, flag, value);
    } else if (BOOL_FLAGS.has(flag) && eq < 0) {
      given.add(flag);
      setBool(options, flag);
    } else if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg === '-V' || arg === '--version') {
      version = true;
    } else if (options.command === 'run' && COMMAND_WORDS.has(arg as Command)) {
      options.command = arg as Command;
    } else if (WITH_NAMES.has(options.command) && !arg.startsWith('-')) {
      (options.names ??= []).push(arg);
    } else {
      throw new UsageError(`unknown ${arg.startsWith('-') ? 'option' : 'argument'} ${JSON.stringify(arg)}`);
    }
  }
  if (help) return { ...options, command: 'help' };
  if (version) return { ...options, command: 'version' };
  checkCombinations(options, given, format);
  return options;
}

function setValue(options: CliOptions, flag: string, value: string): void {
  if (flag === '--config') options.config = value;
  else if (flag === '--state-dir') options.stateDir = value;
  else if (flag === '--reason') options.reason = value;
  else if (flag === '--metrics-file') {
    if (!value.endsWith('.prom'))
      throw new UsageError(`--metrics-file expects a file name ending in .prom (node_exporter reads only those), found ${JSON.stringify(value)}`);
    options.metricsFile = value;
  } else {
    const ms = parseDuration(value);
    if (ms === undefined) throw new UsageError(`--for expects a duration such as 30m or 2h, found ${JSON.stringify(value)}`);
    options.forMs = ms;
  }
}

function setBool(options: CliOptions, flag: string): void {
  if (flag === '--dry-run') options.dryRun = true;
  else if (flag === '--json') options.format = 'json';
  else if (flag === '--quiet') options.quiet = true;
  else if (flag === '--verbose') options.verbose = true;
  else if (flag === '--syslog') options.syslog = true;
  else if (flag === '--all') options.all = true;
  else options.noProbe = true;
}

function checkCombinations(options: CliOptions, given: ReadonlySet<string>, format: string | undefined): void {
  const { command } = options;
  for (const flag of given) {
    const allowed = ONLY_WITH[flag];
    if (allowed && !allowed.includes(command)) throw new UsageError(`${flag} does not apply to ${command === 'run' ? 'a pass' : command}`);
  }
  if (options.quiet && options.verbose) throw new UsageError('--quiet and --verbose exclude each other');
  const formats = command === 'graph' ? FORMATS.graph! : FORMATS.other!;
  if (command === 'graph') options.format = 'dot';
  if (format !== undefined) {
    if (given.has('--json') && format !== 'json') throw new UsageError(`--json and --format ${format} exclude each other`);
    if (!formats.includes(format as Format)) throw new UsageError(`--format expects ${formats.join(', ')}, found ${JSON.stringify(format)}`);
    options.format = format as Format;
  } else if (given.has('--json') && command === 'graph') {
    throw new UsageError('--json does not apply to graph: use --format dot or --format mermaid');
  }
  if (WITH_NAMES.has(command)) {
    if (options.all && options.names) throw new UsageError(`${command}: give service names or --all, not both`);
    if (!options.all && !options.names) throw new UsageError(`${command} expects one or more service names, or --all`);
  }
}

/** `--converge 50`, `--converge 1.5m`, `--converge 0` (off). */
function parseConverge(value: string | undefined): number {
  const ms = value === undefined ? undefined : durationOrZero.accept(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value);
  if (ms === undefined) throw new UsageError(`--converge expects seconds (e.g. 50, or 50s, 2m; 0: off), found ${JSON.stringify(value ?? '')}`);
  return ms;
}
