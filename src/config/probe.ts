// The probe one mapping describes, for a dependency or a service's `check`: the rules between its keys (pure).
import type { TargetProbe } from './types.js';
import type { WalkContext } from './context.js';
import type { Entry } from './mapping.js';
import { host as hostCheck } from './checks.js';

/** The probe keys as read by the key table (see PROBE_KEYS in keys.ts). */
export interface ProbeValues {
  host?: string;
  port?: number;
  url?: string;
  ca_file?: string;
  tls_verify?: boolean;
  socket?: string;
  command?: string;
}

type ProbeEntries = { [K in keyof ProbeValues]?: Entry };

/** The default host of `port` alone. */
const LOOPBACK = hostCheck.accept('127.0.0.1')!;

/**
 * The probe of one mapping; undefined when it names none (no issue: the caller decides whether one is needed), or
 * when its keys contradict each other (each contradiction reported at `path.key`).
 */
export function buildProbe(v: ProbeValues, e: ProbeEntries, path: string, ctx: WalkContext): TargetProbe | undefined {
  const before = ctx.issues.length;
  const report = (entry: Entry, key: string, message: string): void => ctx.report(entry.keyNode, `${path}.${key}`, message);
  const kinds = (['url', 'tcp', 'socket', 'command'] as const).filter((k) => (k === 'tcp' ? (e.host ?? e.port) : e[k]) !== undefined);
  if (kinds.length > 1) {
    const first = kinds[0]!;
    const at = first === 'tcp' ? (e.host ?? e.port)! : e[first]!;
    const key = first === 'tcp' ? (e.host ? 'host' : 'port') : first;
    report(
      at,
      key,
      kinds.length === 2 && first === 'url' && kinds[1] === 'tcp'
        ? 'expected either `url` or `host`+`port`, found both'
        : `expected one of \`url\`, \`host\`+\`port\`, \`socket\` or \`command\`, found ${kinds.map(shown).join(' and ')}`,
    );
  } else if (e.host !== undefined && e.port === undefined) {
    report(e.host, 'host', 'expected a `port` with `host`, found none');
  }
  const https = v.url?.startsWith('https:') === true;
  for (const key of ['ca_file', 'tls_verify'] as const) {
    const entry = e[key];
    if (entry !== undefined && e.url !== undefined && v.url !== undefined && !https)
      report(entry, key, `expected \`${key}\` only with an https:// \`url\`, found an http:// one`);
    else if (entry !== undefined && e.url === undefined) report(entry, key, `expected \`${key}\` only with an https:// \`url\`, found no \`url\``);
  }
  if (e.ca_file !== undefined && v.tls_verify === false)
    report(e.tls_verify!, 'tls_verify', 'expected `ca_file` or `tls_verify: false`, found both (with no verification the CA file would be ignored)');
  if (ctx.issues.length > before) return undefined;
  if (v.url !== undefined) {
    return {
      kind: 'http',
      url: v.url,
      ...(v.ca_file === undefined ? {} : { caFile: v.ca_file }),
      ...(v.tls_verify === false ? { tlsVerify: false as const } : {}),
    };
  }
  if (v.port !== undefined) return { kind: 'tcp', host: v.host ?? LOOPBACK, port: v.port };
  if (v.socket !== undefined) return { kind: 'socket', path: v.socket };
  if (v.command !== undefined) return { kind: 'command', command: v.command };
  return undefined;
}

/** True when the mapping has any key that names a probe. */
export function namesProbe(e: ProbeEntries): boolean {
  return e.url !== undefined || e.host !== undefined || e.port !== undefined || e.socket !== undefined || e.command !== undefined;
}

function shown(kind: 'url' | 'tcp' | 'socket' | 'command'): string {
  return kind === 'tcp' ? '`host`+`port`' : `\`${kind}\``;
}
