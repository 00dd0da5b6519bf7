// Operator-readable reasons for socket, DNS and TLS errors (pure).

const BY_CODE: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed by peer',
  EADDRNOTAVAIL: 'address not available',
};

/** The reason a connection to `host` failed, from the error Node reported. */
export function describeNetError(err: unknown, host: string): string {
  const e = firstError(err);
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_NODATA') return `cannot resolve host \`${host}\``;
  if (code === 'EAI_AGAIN') return `cannot resolve host \`${host}\` (DNS temporarily failing)`;
  if (code && BY_CODE[code]) return BY_CODE[code]!;
  if (code && isTlsCode(code)) return `TLS: ${e.message ?? code} (${code})`;
  if (code?.startsWith('HPE_')) return `invalid HTTP response (${code})`;
  return `connection failed: ${e.message ?? String(err)}${code ? ` (${code})` : ''}`;
}

/** True for the codes Node and OpenSSL give certificate and handshake failures. */
export function isTlsCode(code: string): boolean {
  return /CERT|SELF_SIGNED|_TLS_|^ERR_SSL|^EPROTO$|UNABLE_TO_|HOSTNAME_MISMATCH/.test(code);
}

// With autoSelectFamily, a failure over every address arrives as an AggregateError: its first error speaks.
function firstError(err: unknown): { code?: unknown; message?: string } {
  if (err instanceof AggregateError && err.errors.length > 0) return firstError(err.errors[0]);
  return typeof err === 'object' && err !== null ? (err as { code?: unknown; message?: string }) : {};
}
