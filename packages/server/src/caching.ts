import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { READER_HEADER } from '@colloquy/api';
import { brotli, type Encoding } from './compression.js';

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
  kind: 't' | 'r' | 's' | 'i',
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

/** The topic reads also vary by the coding the client accepts. */
export const VARY_READ = `${READER_HEADER}, Accept-Encoding`;

/** One kept body: the JSON bytes and the compressed variants made of them so far. */
export interface KeptBody {
  version: number;
  etag: string;
  body: Uint8Array;
  /** The brotli and gzip variants, each made on the first request that accepts it. */
  encoded: Partial<Record<Exclude<Encoding, 'identity'>, Uint8Array>>;
  cost: number;
}

/**
 * Brotli quality of kept read bodies: 5 compresses a topic's replies about as well as the best
 * quality for a small part of its time (about a millisecond for 60 KB, against a fifth of a
 * second at 11), and a busy topic changes version often.
 */
const READ_BROTLI_QUALITY = 5;

/**
 * The serialized bodies of version-tagged reads, kept per query (topic, limit, cursor) with
 * the topic version they were read at. The strong ETag already promises that one version and
 * query always give the same bytes, so a read whose version is unchanged is answered from here
 * after the one indexed lookup of the version, without reading or serializing the replies.
 * Only bodies read while the version held still, and only for requests without a reader key
 * (whose own pending replies could be in the body), are kept. The brotli and gzip variants of
 * a body are made once, on the first request that accepts each, and kept with it.
 *
 * Bounded twice, so no mix of queries grows it past its budget: at most `maxEntries` entries,
 * and at most `maxBytes` counting each entry's body and compressed variants, its key (UTF-16,
 * as the Map holds it) and its tag, plus ENTRY_OVERHEAD for the Map slot and objects. Least
 * recently used entries go first; a body larger than a tenth of `maxBytes` is never kept.
 */
export class VersionedBodies {
  readonly #entries = new Map<string, KeptBody>();
  /** The entries counted in {@link bytes}. */
  readonly #kept = new WeakSet<KeptBody>();
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
  get(key: string, version: number): KeptBody | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.version !== version) {
      this.#drop(entry);
      return undefined;
    }
    this.#entries.set(key, entry); // most recently used last
    return entry;
  }

  /**
   * Serializes `value` once and keeps it for `key` at `version`; returns what was kept (a body
   * too large to keep is returned all the same, not kept).
   */
  set(key: string, version: number, etag: string, value: unknown): KeptBody {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    const cost = body.byteLength + 2 * (key.length + etag.length) + ENTRY_OVERHEAD;
    const entry: KeptBody = { version, etag, body, encoded: {}, cost };
    if (cost > this.maxBytes / 10) return entry;
    const old = this.#entries.get(key);
    if (old) {
      this.#entries.delete(key);
      this.#drop(old);
    }
    this.#entries.set(key, entry);
    this.#kept.add(entry);
    this.#bytes += cost;
    this.#trim();
    return entry;
  }

  /** The bytes of `entry` in `encoding`, compressed now if this is the first request for them. */
  encode(entry: KeptBody, encoding: Encoding): Uint8Array {
    if (encoding === 'identity') return entry.body;
    let bytes = entry.encoded[encoding];
    if (!bytes) {
      bytes = entry.encoded[encoding] =
        encoding === 'br' ? brotli(entry.body, READ_BROTLI_QUALITY) : gzipSync(entry.body, { level: 9 });
      entry.cost += bytes.byteLength;
      // Counted while kept; a body not kept (too large, or dropped since) is not in the count.
      if (this.#kept.has(entry)) {
        this.#bytes += bytes.byteLength;
        this.#trim();
      }
    }
    return bytes;
  }

  /** Takes an entry already out of the map out of the count. */
  #drop(entry: KeptBody) {
    this.#kept.delete(entry);
    this.#bytes -= entry.cost;
  }

  #trim() {
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes && this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
      this.#drop(entry);
    }
  }
}

/** A generous estimate of what one kept entry costs beyond its strings and body (Map slot, objects, Buffer). */
const ENTRY_OVERHEAD = 256;

/** A kept JSON body (see VersionedBodies) in `encoding`, sent as c.json() would send it. */
export const keptBytes = (c: Context, body: Uint8Array, encoding: Encoding): Response =>
  c.body(body as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': 'application/json',
    ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
  });

/**
 * The strong ETag of one coding of a body tagged `etag` (RFC 9110, 8.8.3: each representation
 * its own tag): the identity tag as it is, `-br` or `-gz` added inside the quotes otherwise.
 */
export const encodedTag = (etag: string, encoding: Encoding): string =>
  encoding === 'identity' ? etag : `${etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
