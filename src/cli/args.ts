// The command line, parsed without side effects; bad input throws UsageError (exit 3).
import { UsageError } from '../errors.js';
import { durationOrZero } from '../config/checks.js';

export interface CliOptions {
  command: 'run' | 'validate' | 'help' | 'version';
  config?: string;
  stateDir?: string;
  dryRun: boolean;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** --converge: the converge budget in ms (0: off); absent: the config's `defaults.converge`. */
  convergeMs?: number;
}

const valueFlags = new Set(['--config', '--state-dir', '--converge']);
const boolFlags: Record<string, 'dryRun' | 'json' | 'quiet' | 'verbose'> = {
  '--dry-run': 'dryRun',
  '--json': 'json',
  '--quiet': 'quiet',
  '--verbose': 'verbose',
};

/** Parses argv without the node and script entries. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = { command: 'run', dryRun: false, json: false, quiet: false, verbose: false };
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (valueFlags.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (flag === '--converge') {
        options.convergeMs = parseConverge(value);
        continue;
      }
      if (value === undefined || value === '') throw new UsageError(`${flag} expects a path, found nothing`);
      if (flag === '--config') options.config = value;
      else options.stateDir = value;
    } else if (flag in boolFlags && eq < 0) {
      options[boolFlags[flag]!] = true;
    } else if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg === '-V' || arg === '--version') {
      version = true;
    } else if (arg === 'validate' && options.command === 'run') {
      options.command = 'validate';
    } else {
      throw new UsageError(`unknown ${arg.startsWith('-') ? 'option' : 'argument'} ${JSON.stringify(arg)}`);
    }
  }
  if (options.quiet && options.verbose) throw new UsageError('--quiet and --verbose exclude each other');
  if (help) options.command = 'help';
  else if (version) options.command = 'version';
  return options;
}

/** `--converge 50`, `--converge 1.5m`, `--converge 0` (off). */
function parseConverge(value: string | undefined): number {
  const ms = value === undefined ? undefined : durationOrZero.accept(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value);
  if (ms === undefined) throw new UsageError(`--converge expects seconds (e.g. 50, or 50s, 2m; 0: off), found ${JSON.stringify(value ?? '')}`);
  return ms;
}
