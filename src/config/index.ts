// The config stage: where the config is, reading it, and the pure parser behind both.
export { DEFAULT_CONFIG_PATH, readConfig, resolveConfigPath } from './load.js';
export { parseConfig } from './parse.js';
export { parseDuration } from './duration.js';
export type { Config, Defaults, Dependency, Probe, Service } from './types.js';
