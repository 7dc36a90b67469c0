import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from './markdown.js';
import { MAX_BLOCK_DEPTH, MAX_INLINE_DEPTH } from './markdown/to-doc.js';
import { BODY_LIMIT, PATHOLOGICAL, REALISTIC } from './testing/markdown-corpus.js';

/**
 * A generous ceiling per input, twenty times the 50 ms target, so a busy machine does not fail
 * the test but a super-linear path (seconds at this size) does. `bench/markdown.js` measures
 * the real figures.
 */
const CEILING_MS = 1_000;

/** Nesting of the JSON tree: arrays and objects one inside another. */
function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

// Per level of the tree: a block or inline object, and the array holding it; a list item or
// a table row and cell add one array each. The bound leaves room for those few extra levels.
const DEPTH_BOUND = 2 * (MAX_BLOCK_DEPTH + MAX_INLINE_DEPTH) + 8;

describe('renderMarkdown cost on pathological input', () => {
  for (const [name, input] of Object.entries({ 'a realistic reply': REALISTIC, ...PATHOLOGICAL })) {
    it(`renders ${name} (${input.length.toLocaleString('en-US')} characters) within ${CEILING_MS} ms, in a shallow tree`, () => {
      assert.ok(input.length <= BODY_LIMIT);
      let fastest = Infinity;
      let rendered = renderMarkdown(input);
      // The fastest of three runs, so one pause of a busy machine does not count.
      for (let run = 0; run < 3; run++) {
        const start = performance.now();
        rendered = renderMarkdown(input);
        fastest = Math.min(fastest, performance.now() - start);
      }
      assert.ok(fastest < CEILING_MS, `${fastest.toFixed(0)} ms`);
      assert.ok(jsonDepth(rendered.body) <= DEPTH_BOUND, `tree ${jsonDepth(rendered.body)} deep`);
      assert.equal(typeof rendered.text, 'string');
      assert.doesNotThrow(() => JSON.parse(JSON.stringify(rendered.body)));
    });
  }
});
