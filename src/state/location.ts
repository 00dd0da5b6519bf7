// Where state lives (pure): /var/lib/autoheal as root, else $XDG_STATE_HOME/autoheal, unless --state-dir says.
import { join } from 'node:path';
import { StateError } from '../errors.js';

/** --state-dir, else /var/lib/autoheal for root, else $XDG_STATE_HOME/autoheal (~/.local/state/autoheal). */
export function resolveStateDir(flag: string | undefined, env: NodeJS.ProcessEnv, uid: number): string {
  if (flag) return flag;
  if (uid === 0) return '/var/lib/autoheal';
  const xdg = env.XDG_STATE_HOME;
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  if (xdg?.startsWith('/')) return join(xdg, 'autoheal');
  if (!env.HOME) throw new StateError('cannot place the state directory: HOME is not set; pass --state-dir DIR');
  return join(env.HOME, '.local', 'state', 'autoheal');
}
