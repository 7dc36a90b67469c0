// Sizes of the script-tag bundle as a reader's browser downloads it.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const BUNDLE = fileURLToPath(new URL('../packages/widget/dist/colloquy.js', import.meta.url));
/** The script-tag bundle may not exceed this many gzip bytes. */
export const GZIP_BUDGET = 14 * 1024;

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
