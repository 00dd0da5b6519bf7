// What parseConfig must promise for any text: an answer, never a throw; a config or located, terminal-safe issues.
import { parseConfig } from '../../../src/config/parse.js';
import type { Config } from '../../../src/config/types.js';
import { formatIssues } from '../../../src/errors.js';

/** C0, DEL and C1 controls (ESC and CSI among them), lone surrogates, line separators and bidi controls. */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Quoted text is cut and a cycle shows a dozen names: one problem fits a few lines whatever the config holds. */
const MAX_ISSUE_CHARS = 2048;

export interface Checked {
  ms: number;
  loaded: boolean;
  issues: number;
}

/** Runs parseConfig on `text`; throws an Error naming the broken promise. */
export function checkParse(text: string): Checked {
  const started = performance.now();
  let result: ReturnType<typeof parseConfig>;
  try {
    result = parseConfig(text);
  } catch (error) {
    throw new Error(`parseConfig threw: ${error instanceof Error ? error.stack : String(error)}`);
  }
  const ms = performance.now() - started;
  const { config, issues } = result;
  if ((config === undefined) !== issues.length > 0) throw new Error(`config ${config ? 'set' : 'unset'} with ${issues.length} issues`);
  if (issues.length > 201) throw new Error(`${issues.length} issues, more than the cap`);
  issues.forEach((issue, i) => {
    const { line, col, message } = issue;
    if (!Number.isInteger(line) || !Number.isInteger(col) || line < 1 || col < 1) throw new Error(`issue ${i} at ${line}:${col}`);
    if (typeof message !== 'string' || message.trim() === '') throw new Error(`issue ${i} has no message`);
    const shown = formatIssues('x.yaml', [issue]);
    if (shown.length > MAX_ISSUE_CHARS) throw new Error(`issue ${i} is ${shown.length} characters long: ${JSON.stringify(shown.slice(0, 300))}...`);
    const bad = UNSAFE.exec(shown);
    if (bad) throw new Error(`issue ${i} prints U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(shown)}`);
    const prev = issues[i - 1];
    if (prev && (prev.line > line || (prev.line === line && prev.col > col))) throw new Error(`issue ${i} out of order`);
  });
  if (config) checkConfig(config);
  return { ms, loaded: config !== undefined, issues: issues.length };
}

/** What loads is what the README promises: usable names, a script, bounded timeouts, probe-able dependencies. */
function checkConfig(config: Config): void {
  const names = new Set<string>();
  const all = new Set(config.services.map((s) => s.name));
  const duration = (ms: number): boolean => Number.isInteger(ms) && ms >= 1 && ms <= 2 ** 31 - 1;
  for (const s of config.services) {
    if (s.name.trim() === '' || CONTROL.test(s.name) || names.has(s.name)) throw new Error(`service name ${JSON.stringify(s.name)} loaded`);
    names.add(s.name);
    if (typeof s.script !== 'string' || s.script.trim() === '') throw new Error(`${s.name}: script ${JSON.stringify(s.script)}`);
    if (s.pname === undefined && s.pidFile === undefined) throw new Error(`${s.name}: neither pname nor pid_file`);
    if (s.pidFile !== undefined && !s.pidFile.startsWith('/')) throw new Error(`${s.name}: pid_file ${JSON.stringify(s.pidFile)}`);
    if (!duration(s.probeTimeoutMs) || !duration(s.restartTimeoutMs))
      throw new Error(`${s.name}: timeouts ${s.probeTimeoutMs}, ${s.restartTimeoutMs}`);
    for (const d of s.deps) {
      if (d.name.trim() === '' || CONTROL.test(d.name) || !duration(d.timeoutMs)) throw new Error(`${s.name}: dependency ${JSON.stringify(d)}`);
      if (d.probe.kind === 'tcp' && !(Number.isInteger(d.probe.port) && d.probe.port >= 1 && d.probe.port <= 65535))
        throw new Error(`${s.name}: port ${d.probe.port}`);
      if (d.internal !== all.has(d.name)) throw new Error(`${s.name}: ${d.name} internal is ${d.internal}`);
      if (d.probe.kind === 'service' && !d.internal) throw new Error(`${s.name}: ${d.name} has no probe`);
    }
  }
  const { maxConcurrentProbes, logDir } = config.defaults;
  if (!Number.isSafeInteger(maxConcurrentProbes) || maxConcurrentProbes < 1) throw new Error(`max_concurrent_probes ${maxConcurrentProbes}`);
  if (logDir !== undefined && !logDir.startsWith('/')) throw new Error(`log_dir ${JSON.stringify(logDir)}`);
}
