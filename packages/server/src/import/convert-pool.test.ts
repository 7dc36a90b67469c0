import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BodySource } from './body.js';
import { inlineConverter, workerConverter } from './convert-pool.js';

const bodies: BodySource[] = [
  { kind: 'disqus', text: '<p>Plain words &amp; more.</p><p>Second paragraph.</p>' },
  { kind: 'disqus', text: '<p>See <a href="https://example.org/">a link</a> and <b>bold</b></p>' },
  { kind: 'disqus', text: '<ul><li>one</li><li>two</li></ul><pre><code>x &gt; 1</code></pre>' },
  { kind: 'disqus', text: '' },
];

describe('workerConverter', () => {
  test('prepares what the calling thread prepares, in order', async () => {
    const converter = workerConverter(2);
    try {
      assert.deepEqual(await converter.prepare(bodies), await inlineConverter.prepare(bodies));
    } finally {
      await converter.close();
    }
  });

  test('prepares on the calling thread once a worker runs out of its heap', async () => {
    // A quarter of a megabyte of nested elements: far more than the tree of it fits in an 8 MB heap.
    const huge: BodySource = { kind: 'disqus', text: `<p>${'<i>a <b>b</b></i> '.repeat(12_000)}</p>` };
    const converter = workerConverter(1, 8);
    try {
      const expected = await inlineConverter.prepare([huge, ...bodies]);
      assert.deepEqual(await converter.prepare([huge, ...bodies]), expected);
      // and later calls too, without the worker
      assert.deepEqual(await converter.prepare(bodies), await inlineConverter.prepare(bodies));
    } finally {
      await converter.close();
    }
  });
});
