import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EXCLUDED,
  PARSER_DIFFERENCES,
  examples,
  figures,
  isExcluded,
  run,
} from './testing/markdown-conformance.js';

describe('Markdown conformance with the CommonMark and GFM specs', () => {
  for (const example of examples) {
    if (isExcluded(example) || example.id in PARSER_DIFFERENCES) continue;
    it(`${example.spec} ${example.section}: ${example.id}`, () => {
      const { expected, actual } = run(example);
      assert.equal(actual, expected, JSON.stringify(example.markdown));
    });
  }

  it('lists as deliberate differences and parser differences only examples that differ', () => {
    const known = [...Object.values(EXCLUDED).flatMap((e) => e.examples), ...Object.keys(PARSER_DIFFERENCES)];
    for (const id of known) {
      const example = examples.find((e) => e.id === id);
      assert.ok(example, `${id} is not an example of a supported section`);
      assert.equal(run(example).passed, false, `${id} renders as the spec says: take it off the list`);
    }
  });

  it('renders at least 95% of the examples it does not deliberately differ from as the specs say', () => {
    const rows = figures();
    const compared = rows.reduce((sum, r) => sum + r.examples - r.excluded, 0);
    const passed = rows.reduce((sum, r) => sum + r.passed, 0);
    assert.ok(passed / compared >= 0.95, `${passed} of ${compared}`);
  });
});
