import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE, GZIP_BUDGET, compressedSizes } from '../scripts/bundle-size.js';

test(`the script-tag bundle stays within ${GZIP_BUDGET} bytes gzip`, () => {
  const { raw, gzip, brotli } = compressedSizes(BUNDLE);
  console.log(`widget.js: ${raw} B raw, ${gzip} B gzip, ${brotli} B brotli (budget ${GZIP_BUDGET} B gzip)`);
  assert.ok(gzip <= GZIP_BUDGET, `widget.js is ${gzip} B gzip, over the ${GZIP_BUDGET} B budget`);
});

test('the moderation console is a bundle of its own: nothing of it is in what readers load', () => {
  const readers = readFileSync(BUNDLE, 'utf8');
  const consoleBundle = readFileSync(new URL('../packages/widget/dist/console.js', import.meta.url), 'utf8');
  assert.match(consoleBundle, /colloquy-console/);
  for (const mark of ['colloquy-console', '/api/v1/admin', '/api/v1/console', 'X-CSRF-Token'])
    assert.ok(!readers.includes(mark), `the readers' bundle has no "${mark}"`);
});
