import { brotliCompressSync, constants } from 'node:zlib';

/** A content coding this server sends: brotli, gzip, or none. */
export type Encoding = 'br' | 'gzip' | 'identity';

/** The coding to send: brotli, else gzip, else none, among those the client accepts. */
export function negotiate(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return 'identity';
}

/** `body` brotli-compressed at `quality` (11, the best, for files; lower for busy reads). */
export const brotli = (body: Uint8Array, quality = 11): Uint8Array =>
  brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
