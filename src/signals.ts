// SIGTERM and SIGINT during a pass: stop starting new work, let running restarts finish, save state.

export interface StopWatch {
  /** The signal received, if any. */
  stopped(): NodeJS.Signals | undefined;
  dispose(): void;
}

/** Catches the first SIGTERM or SIGINT; a second one gets the default action (the process ends at once). */
export function watchStopSignals(): StopWatch {
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    received ??= signal;
    dispose();
  };
  const dispose = (): void => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { stopped: () => received, dispose };
}
