// `graph`: the dependency graph with each service's state from one quick probe round, or the config alone (I/O).
import type { CliOptions } from '../cli/args.js';
import { readHistory } from '../pass.js';
import { decideOnce } from '../rounds.js';
import { renderDot, renderMermaid } from '../report/graph.js';
import { buildReport, type ServiceReport } from '../report/model.js';
import { openContext } from './shared.js';

/** DOT or Mermaid text; probes like a dry run (nothing run, nothing written) unless --no-probe. */
export async function runGraph(options: CliOptions, env: NodeJS.ProcessEnv): Promise<string> {
  const { config, configPath, stateDir } = await openContext(options, env);
  let states: Map<string, ServiceReport> | undefined;
  if (!options.noProbe) {
    const now = Date.now();
    const { state } = await readHistory(stateDir, configPath, config, now);
    const plan = await decideOnce({ config, signals: { stopped: () => undefined, dispose: () => undefined } }, state, now);
    const report = buildReport(plan, new Map(), true, now, 0);
    states = new Map(report.services.map((s) => [s.name, s]));
  }
  return options.format === 'mermaid' ? renderMermaid(config.services, states) : renderDot(config.services, states);
}
