// What an operator's pause, resume and reset do to the history (pure).
import { emptyHistory, emptyState, historyOf, type Pause, type ServiceHistory, type State } from './history.js';

function update(state: State, names: readonly string[], change: (h: ServiceHistory) => ServiceHistory): State {
  const next = emptyState();
  Object.assign(next.services, state.services);
  for (const name of names) next.services[name] = change(historyOf(state, name) ?? emptyHistory());
  return next;
}

/** Pauses the services: the decision leaves them alone until `pause.until`, or until resumed. */
export function pauseServices(state: State, names: readonly string[], pause: Pause): State {
  return update(state, names, (h) => ({ ...h, pause }));
}

/** Ends the services' pauses; the next pass judges them again. */
export function resumeServices(state: State, names: readonly string[]): State {
  return update(state, names, (h) => {
    const { pause: _ended, ...rest } = h;
    return rest;
  });
}

/** Forgets the restart limits: a service that gave up is tried at the next pass, with a fresh burst. */
export function resetServices(state: State, names: readonly string[]): State {
  return update(state, names, (h) => {
    const { backoffUntil: _over, ...rest } = h;
    return { ...rest, restarts: [], backoffLevel: 0 };
  });
}
