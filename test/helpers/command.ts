// How the tests run autoheal-once: the one home that says which build a test spawns. By default the bundle with
// this node (`node dist/autoheal-once.cjs`); with AUTOHEAL_TEST_COMMAND=binary the single executable that ships
// (dist/autoheal-once), which runs the same bundle differently (a vm.Script in an SEA, its own process.execPath).
import { chmodSync, copyFileSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { bundle, repoRoot } from './util.js';

/** The single executable that `npm run build` writes (`npm run test:unit` does not pack it). */
export const builtBinary = resolve(repoRoot, 'dist', 'autoheal-once');

/** A way to start autoheal-once: `file` with `prefix` before the arguments of autoheal-once itself. */
export interface AutohealCommand {
  kind: 'bundle' | 'binary';
  file: string;
  prefix: readonly string[];
  /** The whole argv after `file`: the prefix, then `args`. */
  argv: (args: readonly string[]) => string[];
}

function commandOf(kind: 'bundle' | 'binary', file: string, prefix: readonly string[]): AutohealCommand {
  return { kind, file, prefix, argv: (args) => [...prefix, ...args] };
}

/** The bundle run by the node that runs the tests. */
const bundleCommand: AutohealCommand = commandOf('bundle', process.execPath, [bundle]);

/** The command AUTOHEAL_TEST_COMMAND selects; a wrong value, or a binary asked for and not built, fails loudly. */
export function selectCommand(env: NodeJS.ProcessEnv = process.env): AutohealCommand {
  const wanted = env['AUTOHEAL_TEST_COMMAND'] ?? 'bundle';
  if (wanted === 'bundle' || wanted === '') return bundleCommand;
  if (wanted !== 'binary') throw new Error(`AUTOHEAL_TEST_COMMAND: expected \`bundle\` or \`binary\`, found \`${wanted}\``);
  if (env['AUTOHEAL_TEST_NO_BINARY'] === '1') throw new Error('AUTOHEAL_TEST_COMMAND=binary and AUTOHEAL_TEST_NO_BINARY=1 contradict each other');
  if (!existsSync(builtBinary)) throw new Error(`AUTOHEAL_TEST_COMMAND=binary: ${builtBinary} is not built: run npm run build`);
  return commandOf('binary', builtBinary, []);
}

/** What the end-to-end tests spawn: `spawn(autoheal.file, autoheal.argv(args), ...)`. */
export const autoheal: AutohealCommand = selectCommand();

/**
 * The selected command, copied into `dir` (a bundle 0644, the executable 0755): for a run as another user, who may
 * not enter the checkout (CI's may sit under a directory only root can enter). node itself stays where it is.
 */
export function copyCommand(dir: string, command: AutohealCommand = autoheal): AutohealCommand {
  const original = command.kind === 'binary' ? command.file : command.prefix[0]!;
  const copy = join(dir, basename(original));
  copyFileSync(original, copy);
  chmodSync(copy, command.kind === 'binary' ? 0o755 : 0o644);
  return command.kind === 'binary' ? commandOf('binary', copy, []) : commandOf('bundle', command.file, [copy]);
}
