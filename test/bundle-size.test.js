import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE, GZIP_BUDGET, chunkFiles, compressedSizes } from '../scripts/bundle-size.js';

const core = () => readFileSync(BUNDLE, 'utf8');

test(`the script-tag core stays within ${GZIP_BUDGET} bytes gzip; every chunk listed`, () => {
  const { raw, gzip, brotli } = compressedSizes(BUNDLE);
  console.log(`widget.js: ${raw} B raw, ${gzip} B gzip, ${brotli} B brotli (budget ${GZIP_BUDGET} B gzip)`);
  for (const { name, file } of chunkFiles()) {
    const s = compressedSizes(file);
    console.log(`widget/${name}: ${s.raw} B raw, ${s.gzip} B gzip, ${s.brotli} B brotli`);
  }
  assert.ok(gzip <= GZIP_BUDGET, `widget.js is ${gzip} B gzip, over the ${GZIP_BUDGET} B budget`);
});

test('the core loads its chunks from beside itself, and every chunk it names exists', () => {
  const named = [...core().matchAll(/import\("\.\/widget\/([^"]+)"\)/g)].map((m) => m[1]);
  const files = chunkFiles().map(({ name }) => name);
  for (const wanted of [
    'reply-form',
    'post-reply',
    'react',
    'live-stream',
    'reply-edit',
    'load-more',
    'fetch-catalog',
  ])
    assert.ok(
      named.some((name) => name.startsWith(`${wanted}-`)),
      `the core imports a ${wanted} chunk: ${named.join(', ')}`,
    );
  for (const name of named) assert.ok(files.includes(name), `widget/${name} was built`);
  // Each chunk takes what it shares with the core from the core, by the name it is served at.
  for (const { name, file } of chunkFiles()) {
    const imports = [...readFileSync(file, 'utf8').matchAll(/from"([^"]+)"/g)].map((m) => m[1]);
    for (const from of imports)
      assert.match(from, /^(\.\.\/widget\.js|\.\/[\w-]+\.js)$/, `${name} imports ${from}`);
  }
});

test("the reply form, posting, proof of work, the live stream and hydration are not in the core's code", () => {
  const chunks = chunkFiles().map(({ file }) => readFileSync(file, 'utf8'));
  const marks = {
    'the form': 'colloquy:draft:',
    'its fields': 'maxlength=10000',
    'the honeypot': 'autocomplete=off',
    'proof of work': 'colloquy-worker',
    'the live stream': 'EventSource',
    // Only pages with server-rendered elements load Lit's hydration support.
    "Lit's hydration support": 'defer-hydration',
    "the editor of one's own reply": 'confirm-delete',
    'its Edit and Delete buttons': 'delete-button',
  };
  for (const [what, mark] of Object.entries(marks)) {
    assert.ok(!core().includes(mark), `the core has no ${what} ("${mark}")`);
    assert.ok(
      chunks.some((chunk) => chunk.includes(mark)),
      `a chunk has ${what} ("${mark}")`,
    );
  }
});

test("the proof-of-work worker is a chunk the form's chunks name, and nothing it loads is the core", () => {
  const chunks = chunkFiles();
  const worker = chunks.find(({ name }) => /^pow-worker-[\w-]+\.js$/.test(name));
  assert.ok(worker, `a pow-worker chunk was built: ${chunks.map(({ name }) => name).join(', ')}`);
  const naming = chunks.filter(({ file }) => readFileSync(file, 'utf8').includes(`"${worker.name}"`));
  assert.ok(naming.length > 0 && !core().includes(worker.name), 'a chunk, not the core, names the worker');
  // A worker has no document: the core (which defines the elements) must not be among its imports.
  const byName = new Map(chunks.map(({ name, file }) => [name, file]));
  const seen = new Set();
  const pending = [worker.name];
  while (pending.length) {
    const name = pending.pop();
    if (seen.has(name)) continue;
    seen.add(name);
    for (const [, from] of readFileSync(byName.get(name), 'utf8').matchAll(/from"([^"]+)"/g)) {
      assert.notEqual(from, '../widget.js', `${name}, loaded by the worker, imports the core`);
      pending.push(from.replace(/^\.\//, ''));
    }
  }
});

test('the moderation console is a bundle of its own: nothing of it is in what readers load', () => {
  const readers = [core(), ...chunkFiles().map(({ file }) => readFileSync(file, 'utf8'))].join('\n');
  const consoleBundle = readFileSync(new URL('../packages/widget/dist/console.js', import.meta.url), 'utf8');
  assert.match(consoleBundle, /colloquy-console/);
  for (const mark of ['colloquy-console', '/api/v1/admin', '/api/v1/console', 'X-CSRF-Token'])
    assert.ok(!readers.includes(mark), `the readers' bundle has no "${mark}"`);
});
