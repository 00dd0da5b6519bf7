// What the maintenance commands share with a pass: the config's service names, the lock, the history (I/O).
import { userInfo } from 'node:os';
import type { CliOptions } from '../cli/args.js';
import { suggestKey } from '../config/suggest.js';
import type { Config } from '../config/types.js';
import { AutohealError, PassBusyError } from '../errors.js';
import { loadConfig } from '../pass.js';
import { ensureTrustedDir } from '../state/trust.js';
import { resolveConfigPath } from '../config/load.js';
import { resolveStateDir } from '../state/location.js';
import { acquireLock, type Lock } from '../state/lock.js';
import { printable } from '../text/printable.js';

type Env = NodeJS.ProcessEnv;

/** How long pause, resume and reset wait for a running pass to finish before giving up. */
const LOCK_WAIT_MS = 30_000;
const LOCK_POLL_MS = 100;

/**
 * The config and the state directory, as a pass would find them; as root the state directory must be one no
 * other user could swap (created when `write`).
 */
export async function openContext(options: CliOptions, env: Env, write = false): Promise<{ config: Config; configPath: string; stateDir: string }> {
  const uid = process.getuid?.() ?? -1;
  const stateDir = resolveStateDir(options.stateDir, env, uid);
  const configPath = resolveConfigPath(options.config, env);
  if (uid === 0) ensureTrustedDir(stateDir, 'the state directory', write);
  const { config } = await loadConfig(configPath, stateDir, uid);
  return { config, configPath, stateDir };
}

/** The names the command applies to: --all, or each name given, which must be a service of the config. */
export function selectServices(config: Config, options: CliOptions): string[] {
  const known = config.services.map((s) => s.name);
  if (options.all) return known;
  const names = [...new Set(options.names ?? [])];
  const problems: string[] = [];
  for (const name of names) {
    if (known.includes(name)) continue;
    const near = suggestKey(name, known);
    problems.push(
      `no service ${JSON.stringify(printable(name))} in the config${near ? `: did you mean ${JSON.stringify(near)}?` : `; its services: ${known.join(', ') || 'none'}`}`,
    );
  }
  // Exit 3 like any bad argument, but without the usage hint: the command was right, the name was not.
  if (problems.length) throw new AutohealError(`${options.command}: ${problems.join('; ')}; nothing was changed`, 3);
  return names;
}

/** The lock of a pass, waiting a while for a running pass to end. */
export async function waitForLock(stateDir: string): Promise<Lock> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const lock = await acquireLock(stateDir);
    if (lock) return lock;
    if (Date.now() >= deadline) throw new PassBusyError(stateDir);
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }
}

/** Who runs the command: the user behind sudo when there is one. */
export function operatorName(env: Env): string {
  const named = env.SUDO_USER || env.LOGNAME || env.USER;
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}
