// The package version, inlined into the bundle at build time.
import pkg from '../package.json' with { type: 'json' };

export const version: string = pkg.version;

declare const __AUTOHEAL_BUILD__: string | undefined;

/**
 * Identity of this build, set by the bundler: a config cached by another build (whose parser may differ) is
 * parsed again. Undefined when running unbundled, which disables the config cache.
 */
export const buildId: string | undefined = typeof __AUTOHEAL_BUILD__ === 'string' ? __AUTOHEAL_BUILD__ : undefined;
