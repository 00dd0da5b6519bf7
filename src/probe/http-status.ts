// Judging an HTTP status code (pure).
import type { ProbeStatus } from './types.js';

/**
 * Ready on 2xx and 3xx: a redirect is an answer from a running server (redirects are not followed, so a
 * login redirect does not make the probe depend on a second host). 4xx and 5xx are not ready.
 */
export function classifyHttpStatus(code: number, location?: string): { status: ProbeStatus; reason: string } {
  if (code >= 200 && code < 300) return { status: 'up', reason: `HTTP ${code}` };
  if (code >= 300 && code < 400) {
    const to = location ? `redirect to \`${location.slice(0, 200)}\`` : 'redirect';
    return { status: 'up', reason: `HTTP ${code} (${to}, not followed)` };
  }
  return { status: 'down', reason: `HTTP ${code}` };
}
