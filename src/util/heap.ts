// V8 flags for a big pass: memory before speed, and only for a big pass. On a healthy pass of 1,000 services they
// save about 8 MiB of peak RSS warm and 25 MiB cold (BENCHMARKS.md, S6). On a small pass they cost more than they
// save: once any V8 flag has changed, Node compiles each of its own modules loaded after it (child_process, net,
// the streams) from source instead of from its built-in code cache, about 4 ms at every start.

/** A config this big (some 400 services in the seed's format) makes a pass worth tuning for memory. */
export const BIG_CONFIG_BYTES = 64 * 1024;

/**
 * The flags for a pass whose config has this many bytes, or undefined: no TurboFan (its compiles cost more memory
 * than a short pass gains), and a young generation that does not double under the pass's allocations (pure).
 */
export function heapFlagsFor(configBytes: number): string | undefined {
  return configBytes >= BIG_CONFIG_BYTES ? '--no-opt --semi-space-growth-factor=1' : undefined;
}

/**
 * Sets heapFlagsFor's flags. Called once the config's size is known and before it is parsed (the parse is what
 * allocates most), after the bundle is compiled: a code cache is checked against the flags of its compile only.
 */
export async function tuneHeapFor(configBytes: number): Promise<void> {
  const flags = heapFlagsFor(configBytes);
  if (flags === undefined) return;
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString(flags);
}
