import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { docText } from '@colloquy/api';
import { renderMarkdown } from './markdown.js';

const BODIES = [
  'One paragraph.',
  'Two\nlines\n\nand a *second* **paragraph** with `code` and a [link](https://example.org/) [1].',
  '- a\n- b\n  - nested\n- c\n\n3. three\n4. four',
  '> quoted\n> > twice\n>\n> after a blank\n\n```\ncode\n  kept\n```',
  '- > quote in a list\n  > second line\n\n> - list in a quote\n> - again',
  '>'.repeat(200) + ' deep',
  '- '.repeat(200) + 'deep',
  'https://bare.example/path and mailto:someone@example.org\\\nescaped break',
  '',
];

describe('the contract walker and the Markdown renderer', () => {
  it('agree on the plain text of a body', () => {
    for (const markdown of BODIES) {
      const { body, text } = renderMarkdown(markdown);
      assert.equal(docText(body), text, JSON.stringify(markdown));
    }
  });
});
