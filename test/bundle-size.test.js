import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE, GZIP_BUDGET, compressedSizes } from '../scripts/bundle-size.js';

test(`the script-tag bundle stays within ${GZIP_BUDGET} bytes gzip`, () => {
  const { raw, gzip, brotli } = compressedSizes(BUNDLE);
  console.log(`widget.js: ${raw} B raw, ${gzip} B gzip, ${brotli} B brotli (budget ${GZIP_BUDGET} B gzip)`);
  assert.ok(gzip <= GZIP_BUDGET, `widget.js is ${gzip} B gzip, over the ${GZIP_BUDGET} B budget`);
});
