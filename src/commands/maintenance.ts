// pause, resume and reset: an operator steers the next passes through the history, under a pass's lock (I/O).
import type { CliOptions } from '../cli/args.js';
import { pauseServices, resetServices, resumeServices } from '../plan/maintenance.js';
import type { Pause } from '../plan/history.js';
import { readConfigState, stateFileFor, writeState } from '../state/store.js';
import { formatSpan } from '../report/text.js';
import { printable } from '../text/printable.js';
import { openContext, operatorName, selectServices, waitForLock } from './shared.js';

type Env = NodeJS.ProcessEnv;

/** Applies pause, resume or reset to the selected services; returns one line per service for the operator. */
export async function runMaintenance(options: CliOptions, env: Env): Promise<string[]> {
  const { config, configPath, stateDir } = await openContext(options, env, true);
  const file = stateFileFor(configPath);
  const names = selectServices(config, options);
  const lock = await waitForLock(stateDir);
  try {
    const now = Date.now();
    const { state, warning } = await readConfigState(stateDir, configPath);
    const lines = warning ? [`warning: ${warning}`] : [];
    if (options.command === 'pause') {
      const pause: Pause = {
        by: operatorName(env),
        since: now,
        ...(options.forMs === undefined ? {} : { until: now + options.forMs }),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      };
      await writeState(stateDir, pauseServices(state, names, pause), file);
      const until =
        pause.until === undefined
          ? 'until resumed'
          : `until ${new Date(pause.until).toISOString().slice(0, 19).replace('T', ' ')} UTC (${formatSpan(pause.until - now)})`;
      for (const name of names) lines.push(`${printable(name)}: paused ${until}; probed and reported, never started or stopped`);
    } else if (options.command === 'resume') {
      await writeState(stateDir, resumeServices(state, names), file);
      for (const name of names) lines.push(`${printable(name)}: resumed; the next pass judges it again`);
    } else {
      await writeState(stateDir, resetServices(state, names), file);
      for (const name of names) lines.push(`${printable(name)}: restart limits and backoff cleared; the next pass may restart it`);
    }
    return lines;
  } finally {
    await lock.release();
  }
}
