/**
 * @colloquy/api: the wire contract of Colloquy's HTTP API (version 1), imported by the server,
 * the elements and the tests alike, so neither side learns its API from the other.
 */
export * from './types.js';
export { safeHref } from './url-policy.js';
