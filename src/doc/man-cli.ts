// autoheal-once(1), rendered from the tables --help is rendered from (pure).
import { COMMANDS, OPTIONS, PASS_SUMMARY, usageLine } from '../cli/usage.js';
import { DEFAULT_CONFIG_PATH } from '../config/load.js';
import type { ExitCode } from '../errors.js';
import { statusNames } from '../report/exit-code.js';
import { escapeLiteral, example, page, prose, synopsis, tagged, titleLine } from './roff.js';

/** What every page carries on its title line. */
export interface PageMeta {
  version: string;
  /** YYYY-MM-DD, of the release (the package changelog's newest entry), so a rebuild gives the same page. */
  date: string;
}

/** What each exit code means, as the README's table says it. */
export const EXIT_CODES: Readonly<Record<ExitCode, string>> = {
  0: 'Every service is healthy; nothing was done.',
  1: 'Healing is in progress: something was restarted, or is `starting` (inside its start grace).',
  2: 'Something is down and was not healed: blocked on a dependency, its restart failed or timed out, or its restart limit is spent; with `--dry-run`, a service that would be restarted.',
  3: 'The pass could not judge: bad arguments, a bad or untrusted config, an unreadable state directory, another pass holding the lock of the same state directory when this one had something to restart or record, or a pass cut short by a signal.',
};

const DESCRIPTION = [
  PASS_SUMMARY,
  'Run it from cron (or a systemd timer) every minute on every host. A dead service is restarted only once every one of its direct dependencies answers (a TCP port, an HTTP URL, or another service of the same config); a service that depends on a dead one waits for it. Without a coordinator or a global start order, the services of a host come back in dependency order, one level per pass.',
  'The output is one line per service that is not healthy or was acted on, then a summary. When standard output is not a terminal and every service is healthy it prints nothing, so cron mails only when something happened.',
  'Each restart script runs with `/bin/sh -c` in its own session, bounded by `restart_timeout`, with its output appended to a log file of the state directory. Restarts are limited per service (`max_restarts` within `restart_window`, then a growing backoff). The config, the state directory and their parents must be owned by root and not writable by others when run as root; otherwise the pass refuses and says what to fix.',
];

const ENVIRONMENT: readonly [string, string][] = [
  ['AUTOHEAL_CONFIG', `The config file when \`--config\` is not given; else \`${DEFAULT_CONFIG_PATH}\`.`],
  [
    'XDG_STATE_HOME',
    'The state directory is `$XDG_STATE_HOME/autoheal` when not run as root and `--state-dir` is not given (else `~/.local/state/autoheal`).',
  ],
  [
    'PATH',
    "Passed on to restart scripts; when it is unset, empty or cron's bare `/usr/bin:/bin`, scripts get `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`.",
  ],
  ['AUTOHEAL_SERVICE, AUTOHEAL_REASON', 'Set for each restart script: the name of the service and one line on why it is restarted.'],
];

const FILES: readonly [string, string][] = [
  [DEFAULT_CONFIG_PATH, 'The config (see autoheal.yaml(5)); mode 0600, owned by root.'],
  [
    '/var/lib/autoheal/',
    "The state directory as root: `state.json` (restart history), `audit.log` (one line per restart, rotated at 1 MiB), `logs/` (restart scripts' output), `config-cache.json` (the last validated config) and the lock of a running pass.",
  ],
  ['/etc/cron.d/autoheal', 'Runs a pass every minute once its line is uncommented (as installed by the Debian package, it is commented out).'],
  ['/lib/systemd/system/autoheal.timer', 'The same schedule as a systemd timer, instead of the cron file: `systemctl enable --now autoheal.timer`.'],
  ['/lib/systemd/system/autoheal.service', 'The pass that the timer starts.'],
];

const EXAMPLES = `# check the config after editing it
autoheal-once validate
# probe and say what would be restarted, run nothing
autoheal-once --dry-run --verbose
# one pass, as cron runs it (/etc/cron.d/autoheal)
* * * * * root /usr/bin/autoheal-once`;

/** The whole page, in man(7) macros. */
export function renderCommandManPage(meta: PageMeta): string {
  const options = OPTIONS.map((o) => {
    const flags = o.flags
      .split(',')
      .map((f) => `\\fB${escapeLiteral(f.trim())}\\fR`)
      .join(', ');
    return tagged(o.arg ? `${flags} \\fI${escapeLiteral(o.arg)}\\fR` : flags, prose(capitalize(o.summary)));
  });
  const commands = COMMANDS.map((c) => tagged(`\\fB${escapeLiteral(c.name)}\\fR`, `${prose(capitalize(c.summary))}\n.br\n${synopsis(c.synopsis)}`));
  return page([
    titleLine('AUTOHEAL-ONCE', '1', meta.date, `autoheal-once ${meta.version}`, 'User Commands'),
    '.SH NAME',
    'autoheal\\-once \\- restart dead services once their direct dependencies answer',
    '.SH SYNOPSIS',
    [
      synopsis(
        usageLine()
          .replace(/^Usage: /, '')
          .replace(/\s+/g, ' '),
      ),
      ...COMMANDS.map((c) => synopsis(c.synopsis)),
    ]
      .map((s) => `.PP\n${s}`)
      .join('\n'),
    '.SH DESCRIPTION',
    DESCRIPTION.map((p, i) => `${i ? '.PP\n' : ''}${prose(p)}`).join('\n'),
    '.SH COMMANDS',
    prose('Without a command, autoheal-once runs one pass.'),
    ...commands,
    '.SH OPTIONS',
    ...options,
    '.SH EXIT STATUS',
    prose('The Nagios plugin convention, so any monitoring system can read it. The worst service decides, CRITICAL before UNKNOWN before WARNING.'),
    ...([0, 1, 2, 3] as const).map((code) => tagged(`\\fB${code}\\fR ${statusNames[code]}`, prose(EXIT_CODES[code]))),
    '.SH ENVIRONMENT',
    ...ENVIRONMENT.map(([name, text]) => tagged(`\\fB${escapeLiteral(name)}\\fR`, prose(text))),
    '.SH FILES',
    ...FILES.map(([path, text]) => tagged(`\\fI${escapeLiteral(path)}\\fR`, prose(text))),
    '.SH EXAMPLES',
    example(EXAMPLES),
    '.SH SEE ALSO',
    '\\fBautoheal.yaml\\fR(5), \\fBcron\\fR(8), \\fBsystemd.timer\\fR(5)',
  ]);
}

function capitalize(s: string): string {
  const text = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
