import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { READER_HEADER } from '@colloquy/api';

/**
 * Public reads may be reused for a few seconds and served stale while a cache revalidates, so
 * a CDN absorbs the reads of a busy topic; live readers get changes over the event stream
 * anyway, which replays everything after the lastEventId a (possibly stale) read carries. The
 * elements themselves ask with `cache: 'no-cache'`, so a reader who posts and reloads is never
 * shown their own browser's older copy. A revalidation costs the server one indexed lookup
 * (the topic's version), not a read of its replies.
 */
export const PUBLIC_READ = 'public, max-age=5, stale-while-revalidate=60';

/**
 * Changes whenever the JSON shape of the tagged reads changes (a release that adds a field),
 * so a cache never pairs a new server's tag with an old server's body.
 */
const REPRESENTATION = '2';

/**
 * A strong ETag from the store's version counters and the query, never from the body: every
 * server on the same database computes the same tag without reading the replies.
 * `kind` keeps the tags of different routes apart.
 */
export function versionTag(
  kind: 't' | 'r' | 's' | 'i' | 'e',
  versions: ReadonlyArray<number | null>,
  query: ReadonlyArray<string | number>,
): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([REPRESENTATION, kind, versions, query]))
    .digest('base64url')
    .slice(0, 16);
  return versions.length === 1 ? `"${kind}${versions[0]}-${hash}"` : `"${kind}-${hash}"`;
}

/** If-None-Match uses the weak comparison (RFC 9110, 13.1.2): `W/` is ignored, `*` matches any. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return (header.match(/(W\/)?"[^"]*"/g) ?? []).some((tag) => tag.replace(/^W\//, '') === etag);
}

/** Requests whose route tags its answer by version (or chose to send no tag at all). */
const selfValidated = new WeakSet<Request>();

/**
 * Called by a route that handles validation itself, so that the body-hashing fallback
 * (revalidatedReads) leaves its answer alone, with or without an ETag.
 */
export const validatingItself = (c: Context) => void selfValidated.add(c.req.raw);
export const validatesItself = (c: Context) => selfValidated.has(c.req.raw);

/** True when the request's If-None-Match names `etag`: the caller answers 304. */
export const isFresh = (c: Context, etag: string) => etagMatches(c.req.header('If-None-Match'), etag);

/**
 * 304 for a version-tagged read, with the headers its 200 would have had (RFC 9110, 15.4.5);
 * the CORS middleware adds its own on the way out.
 */
export function notModified(c: Context, etag: string, vary?: string): Response {
  return c.body(null, 304, { ETag: etag, 'Cache-Control': PUBLIC_READ, ...(vary ? { Vary: vary } : {}) });
}

/**
 * A read whose body depends on the reader header (their own pending replies) must not be
 * served by a shared cache to a request without it, nor the other way round.
 */
export const VARY_READER = READER_HEADER;

/**
 * The serialized bodies of version-tagged reads, kept per query (topic, limit, cursor) with
 * the topic version they were read at. The strong ETag already promises that one version and
 * query always give the same bytes, so a read whose version is unchanged is answered from here
 * after the one indexed lookup of the version, without reading or serializing the replies.
 * Only bodies read while the version held still, and only for requests without a reader key
 * (whose own pending replies could be in the body), are kept.
 *
 * Bounded twice, so no mix of queries grows it past its budget: at most `maxEntries` entries,
 * and at most `maxBytes` counting each entry's body, its key (UTF-16, as the Map holds it) and
 * its tag, plus ENTRY_OVERHEAD for the Map slot and objects. Least recently used entries go
 * first; a body larger than a tenth of `maxBytes` is never kept.
 */
export class VersionedBodies {
  readonly #entries = new Map<string, { version: number; etag: string; body: Uint8Array; cost: number }>();
  #bytes = 0;

  constructor(
    readonly maxBytes = 16 * 1024 * 1024,
    readonly maxEntries = 4096,
  ) {}

  /** What the entries take, as counted against `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The body and tag stored for `key` at `version`, or undefined. */
  get(key: string, version: number): { etag: string; body: Uint8Array } | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.version !== version) {
      this.#bytes -= entry.cost;
      return undefined;
    }
    this.#entries.set(key, entry); // most recently used last
    return entry;
  }

  /** Serializes `value` once, keeps it for `key` at `version`, and returns the bytes to send. */
  set(key: string, version: number, etag: string, value: unknown): Uint8Array {
    return this.keep(key, version, etag, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  /** Keeps `body` (already serialized or rendered) for `key` at `version`, and returns it. */
  keep(key: string, version: number, etag: string, body: Uint8Array): Uint8Array {
    const cost = body.byteLength + 2 * (key.length + etag.length) + ENTRY_OVERHEAD;
    if (cost > this.maxBytes / 10) return body;
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#bytes -= old.cost;
    }
    this.#entries.set(key, { version, etag, body, cost });
    this.#bytes += cost;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes && this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.cost;
    }
    return body;
  }
}

/** A generous estimate of what one kept entry costs beyond its strings and body (Map slot, objects, Buffer). */
const ENTRY_OVERHEAD = 256;

/** A JSON body already serialized (see VersionedBodies), sent as c.json() would send it. */
export const jsonBytes = (c: Context, body: Uint8Array): Response =>
  c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json' });
