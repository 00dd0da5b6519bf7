// Entry point: argv -> one pass -> output and process.exitCode. The only file that touches argv, stdout and exit.
import { fstatSync } from 'node:fs';
import { parseArgs, type Format } from './cli/args.js';
import { renderUsage, usageLine } from './cli/usage.js';
import { AutohealError, ConfigError, formatIssues, UsageError, type ExitCode } from './errors.js';
import { runPass, runValidate } from './pass.js';
import { renderJson } from './report/json.js';
import { renderNagios, renderNagiosError } from './report/nagios.js';
import { renderText } from './report/text.js';
import { renderStatusText } from './report/status.js';
import { passExitCode } from './report/exit-code.js';
import { toJsonText } from './text/json.js';
import { printable } from './text/printable.js';
import { version } from './version.js';

async function main(argv: readonly string[]): Promise<ExitCode> {
  let format: Format = argv.includes('--json') ? 'json' : 'text';
  let verbose = false;
  try {
    const options = parseArgs(argv);
    format = options.format;
    verbose = options.verbose;
    const json = format === 'json';
    if (options.command === 'help') return print(`${renderUsage()}\n`, 0);
    if (options.command === 'version') return print(`${version}\n`, 0);
    if (options.command === 'validate') {
      const result = await runValidate(options, process.env);
      if (options.quiet) return 0;
      // Located as config errors are: `file:line:col: warning: path: message`.
      const warnings = result.warnings.map((w) => printable(formatIssues(result.config, [w], 'warning')));
      const text = json
        ? toJsonText({ version, status: 'OK', exitCode: 0, ...result, warnings })
        : `${warnings.map((w) => `${w}\n`).join('')}${result.config}: OK, ${plural(result.services.length, 'service')}\n`;
      return print(text, 0);
    }
    if (options.command === 'status') {
      const { runStatus } = await import('./commands/status.js');
      const status = await runStatus(options, process.env);
      if (options.quiet) return 0;
      return print(json ? toJsonText({ version, ...status }) : renderStatusText(status), 0);
    }
    if (options.command === 'graph') {
      const { runGraph } = await import('./commands/graph.js');
      return print(await runGraph(options, process.env), 0);
    }
    if (options.command === 'pause' || options.command === 'resume' || options.command === 'reset') {
      const { runMaintenance } = await import('./commands/maintenance.js');
      const lines = await runMaintenance(options, process.env);
      return options.quiet ? 0 : print(`${lines.join('\n')}\n`, 0);
    }
    const report = await runPass(options, process.env);
    const code = passExitCode(report);
    if (options.quiet) return code;
    const out = json
      ? renderJson(report, version)
      : format === 'nagios'
        ? renderNagios(report)
        : renderText(report, { verbose, interactive: stdoutIsTerminal(), ...(report.changes ? { changes: report.changes } : {}) });
    return print(out, code);
  } catch (error) {
    return fail(error, format, verbose);
  }
}

function print(text: string, code: ExitCode): ExitCode {
  if (text) writeOut(text);
  return code;
}

// process.stdout is made on first use, and making it loads Node's stream modules (and for a pipe, as under cron,
// net and child_process too): a healthy pass under cron prints nothing, so it is not made unless needed.
let stdoutGuarded = false;

function writeOut(text: string): void {
  // A reader that went away (`autoheal-once | head -1`) must not turn the pass's exit code into a stack trace.
  if (!stdoutGuarded) process.stdout.on('error', () => undefined);
  stdoutGuarded = true;
  process.stdout.write(text);
}

/** True when stdout is a terminal; told from fstat first, since every terminal is a character device. */
function stdoutIsTerminal(): boolean {
  try {
    if (!fstatSync(1).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.stdout.isTTY === true;
}

/** Expected errors print their message; anything else is an internal error. Both exit 3. */
function fail(error: unknown, format: Format, verbose: boolean): ExitCode {
  const known = error instanceof AutohealError;
  const message = known ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
  const code: ExitCode = known ? error.exitCode : 3;
  if (format === 'nagios') {
    // A monitoring system reads stdout only: the reason goes there, in the plugin convention.
    writeOut(
      renderNagiosError(
        error instanceof ConfigError
          ? describeConfigError(error)
              .replace(/^autoheal-once: /, '')
              .trimEnd()
          : message,
      ),
    );
  } else if (format === 'json') {
    const issues = error instanceof ConfigError ? error.issues : undefined;
    writeOut(toJsonText({ version, status: 'UNKNOWN', exitCode: code, error: message, issues }));
  } else {
    process.stderr.write(error instanceof ConfigError ? describeConfigError(error) : `autoheal-once: ${message}\n`);
    if (error instanceof UsageError) process.stderr.write(`${usageLine()}\nTry 'autoheal-once --help'.\n`);
  }
  if (!known && verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return code;
}

function describeConfigError(error: ConfigError): string {
  return `autoheal-once: ${plural(error.issues.length, 'problem')} in the config; nothing was probed or run:\n${error.message}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// A probe given up on may still hold a thread of libuv's pool: a name lookup waiting on a DNS server that does not
// answer (likely right after a power cut) or a pid file on a hung NFS mount. Node waits for it forever, even in
// process.exit(). A lookup ends by itself within resolv.conf's timeouts (5 s x 2 attempts by default), so the
// pass waits that long, keeping its exit code; past it, it leaves by SIGKILL (status 137) rather than pile up
// under cron. Unref'd, so it never delays a normal exit.
const EXIT_GRACE_MS = 15_000;

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => {
      process.stderr.write(
        `autoheal-once: a probe is still stuck ${EXIT_GRACE_MS / 1000} s after the report (a hung filesystem, or a DNS server that never answers?); not waiting for it\n`,
      );
      process.kill(process.pid, 'SIGKILL');
    }, EXIT_GRACE_MS).unref();
  },
  () => {
    process.exitCode = 3;
  },
);
