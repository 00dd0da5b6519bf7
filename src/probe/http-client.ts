// The HTTP(S) clients, in a module of their own so that a bundle loads http, https and tls only when a URL is probed.
export { request as httpRequest } from 'node:http';
export { request as httpsRequest } from 'node:https';
