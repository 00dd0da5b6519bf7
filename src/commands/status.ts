// `status`: the history of the state directory and one quick probe round, without the lock (I/O).
import type { CliOptions } from '../cli/args.js';
import { readHistory } from '../pass.js';
import { decideOnce } from '../rounds.js';
import { buildReport } from '../report/model.js';
import { buildStatus, type StatusReport } from '../report/status.js';
import { openContext } from './shared.js';

/** Probes like a dry run (nothing run, nothing written) and joins each service with its history. */
export async function runStatus(options: CliOptions, env: NodeJS.ProcessEnv): Promise<StatusReport> {
  const { config, configPath, stateDir } = await openContext(options, env);
  const now = Date.now();
  const { state } = await readHistory(stateDir, configPath, config, now);
  const plan = await decideOnce({ config, signals: { stopped: () => undefined, dispose: () => undefined } }, state, now);
  return buildStatus(buildReport(plan, new Map(), true, now, 0), state, config.services, now);
}
