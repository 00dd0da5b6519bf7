// The HTTP(S) clients, in a module of their own so that a bundle loads http, https and tls only when a URL is probed.
export { request as httpRequest } from 'node:http';
export { request as httpsRequest } from 'node:https';

import { lookup, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

/**
 * Name resolution for URLs: every address, IPv6 and IPv4, whatever the host's own interfaces. Node's default for
 * connections asks with AI_ADDRCONFIG, which drops ::1 on a host without a routable IPv6 address, so `localhost`
 * would miss a server listening on ::1 only. Connect then tries each address in turn, as curl does.
 */
export const lookupEveryAddress = ((host: string, options: LookupOptions, callback: Parameters<LookupFunction>[2]) =>
  lookup(host, { ...options, hints: 0 }, callback as never)) as LookupFunction;
