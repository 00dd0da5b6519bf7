// Dropping the history of services that left the config (pure).
import type { ServiceHistory, State } from './types.js';

/** The state with only the services still named in the config; the input is not changed. */
export function pruneState(state: State, serviceNames: Iterable<string>): State {
  const keep = new Set(serviceNames);
  // A null prototype, as parseState builds it: a service named `__proto__` stays an ordinary key.
  const services: Record<string, ServiceHistory> = Object.create(null);
  for (const [name, history] of Object.entries(state.services)) {
    if (keep.has(name)) services[name] = history;
  }
  return { version: state.version, services };
}
