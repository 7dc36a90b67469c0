// Sizes of the script-tag bundle as a reader's browser downloads it: the core (/widget.js) and
// the chunks it loads on demand (/widget/<name>).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const BUNDLE = fileURLToPath(new URL('../packages/widget/dist/widget.js', import.meta.url));
/** The chunks of the bundle, loaded by the core when a reader needs them. */
export const CHUNK_DIR = fileURLToPath(new URL('../packages/widget/dist/widget/', import.meta.url));
/**
 * The core (what a page needs to show a topic and its replies) may not exceed this many gzip
 * bytes. 14.25 KB rather than the 12 KB aimed at: see "Script-tag bundle" in bench/RESULTS.md.
 */
export const GZIP_BUDGET = 14.25 * 1024;

/** The chunk files, by name. */
export const chunkFiles = () =>
  readdirSync(CHUNK_DIR)
    .filter((name) => name.endsWith('.js'))
    .sort()
    .map((name) => ({ name, file: join(CHUNK_DIR, name) }));

/** Raw, gzip (level 9) and brotli (quality 11) byte counts of a file. */
export function compressedSizes(file) {
  const raw = readFileSync(file);
  return {
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length,
  };
}
