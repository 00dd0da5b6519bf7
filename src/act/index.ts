// The act stage: running restart scripts.
export { runRestart } from './restart.js';
export { runRestarts } from './restarts.js';
export { buildRestartEnv, FULL_PATH } from './env.js';
export { buildLogFileName, formatLogHeader } from './log-file.js';
export { classifyRestart, validateRestartRequest } from './outcome.js';
export type { RestartRequest, RestartResult } from './types.js';
export { DEFAULT_RESTART_TIMEOUT_MS } from './types.js';
