// Dependency timeouts as the config writes them (number = seconds, "500ms", "2s") converted to seconds.

/** Seconds for a config timeout value; `fallback` when absent. */
export function timeoutSeconds(value, fallback = 2) {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(String(value).trim());
  if (!m) throw new Error(`bad timeout ${JSON.stringify(value)}`);
  return m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]);
}
