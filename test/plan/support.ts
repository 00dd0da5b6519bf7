// One run of the decision for the plan tests: services in their dependency order, liveness by status.
import type { Dependency, Service } from '../../src/config/types.js';
import { buildEdges, dependencyOrder } from '../../src/graph/graph.js';
import { decide } from '../../src/plan/decide.js';
import { emptyState, type State } from '../../src/plan/history.js';
import type { Plan, Verdict } from '../../src/plan/types.js';
import type { ProbeResult, ProbeStatus } from '../../src/probe/types.js';
import { probeResult } from '../helpers/services.js';

export interface DecideInput {
  /** Each dependency's probe result (none: not probed). */
  readiness?: Map<Dependency, ProbeResult>;
  /** The history (default: empty). */
  state?: State;
  /** Default 0. */
  now?: number;
  /** The end of the boot grace, when a pass runs inside it. */
  bootUntil?: number | undefined;
}

/** decide() over `services`, each service's liveness a bare status; the plan and each service's verdict by name. */
export function decideFor(
  services: Service[],
  liveness: Record<string, ProbeStatus>,
  input: DecideInput = {},
): { plan: Plan; verdicts: Map<string, Verdict> } {
  const seen = {
    liveness: new Map(Object.entries(liveness).map(([name, status]) => [name, probeResult(status)])),
    readiness: input.readiness ?? new Map<Dependency, ProbeResult>(),
    ...(input.bootUntil === undefined ? {} : { bootUntil: input.bootUntil }),
  };
  const plan = decide(services, dependencyOrder(buildEdges(services)), seen, input.state ?? emptyState(), input.now ?? 0);
  return { plan, verdicts: new Map(plan.entries.map((e) => [e.service.name, e.verdict])) };
}
