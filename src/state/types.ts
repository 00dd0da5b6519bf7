// What autoheal-once remembers between passes, per service. Times are epoch milliseconds.

/** One restart the pass ran. `ok` turns false when the service is still dead after its start grace. */
export interface RestartRecord {
  at: number;
  ok: boolean;
}

export interface ServiceHistory {
  /** Restarts, oldest first; only those inside the restart window and the last one are kept. */
  restarts: RestartRecord[];
  /** Failed restarts in a row (script failed, or the service still dead after the grace). */
  consecutiveFailures: number;
  /** When the current outage was first seen; absent while the service is healthy. */
  downSince?: number;
  /** When the service was last seen turning healthy; absent while it is not. */
  healthySince?: number;
  /** After the restart limit was reached: no restart before this time. */
  backoffUntil?: number;
  /** How many times in a row the limit was reached: the backoff doubles with each. */
  backoffLevel: number;
}

/** The whole state file. */
export interface State {
  version: 1;
  services: Record<string, ServiceHistory>;
}

export const emptyHistory = (): ServiceHistory => ({ restarts: [], consecutiveFailures: 0, backoffLevel: 0 });
// A null prototype: service names such as `constructor` or `__proto__` must be plain keys.
export const emptyState = (): State => ({ version: 1, services: Object.create(null) as Record<string, ServiceHistory> });

/** The history of one service, never one inherited from Object.prototype. */
export const historyOf = (state: State, name: string): ServiceHistory | undefined =>
  Object.hasOwn(state.services, name) ? state.services[name] : undefined;
