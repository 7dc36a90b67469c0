import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { docLinks, docText } from '@colloquy/api';
import { renderMarkdown } from './markdown.js';

const HEADINGS = '# Heading with [a link](https://h.example/)\n\nSetext\n---\n\n***\n\n~~struck~~ text';
const TABLE = '| a | *b* | c |\n| :- | :-: | -: |\n| [x](https://t.example/) | `y` | [2] |\n| ~~z~~ |';
const LISTS = '- [x] done\n- [ ] open\n  - nested\n    soft\n\n1. loose\n\n2. list\n\n   with two paragraphs';
const CODE_AND_QUOTE = '```python\nprint(1)\n```\n\n> - [ ] a task in a quote\n>\n> | t |\n> | - |\n> | q |';

const BODIES = [
  'One paragraph.',
  'Two\nlines\n\nand a *second* **paragraph** with `code` and a [link](https://example.org/) [1].',
  '- a\n- b\n  - nested\n- c\n\n3. three\n4. four',
  '> quoted\n> > twice\n>\n> after a blank\n\n```\ncode\n  kept\n```',
  '- > quote in a list\n  > second line\n\n> - list in a quote\n> - again',
  `${'>'.repeat(200)} deep`,
  `${'- '.repeat(200)}deep`,
  'https://bare.example/path and mailto:someone@example.org\\\nescaped break',
  HEADINGS,
  TABLE,
  LISTS,
  CODE_AND_QUOTE,
  '',
];

describe('the contract walker and the Markdown renderer', () => {
  it('agree on the plain text of a body', () => {
    for (const markdown of BODIES) {
      const { body, text } = renderMarkdown(markdown);
      assert.equal(docText(body), text, JSON.stringify(markdown));
    }
  });

  it('write the new nodes as text a reader can follow', () => {
    assert.equal(renderMarkdown(HEADINGS).text, 'Heading with a link\n\nSetext\n\n---\n\nstruck text');
    assert.equal(renderMarkdown(TABLE).text, 'a | b | c\nx | y | [2]\nz |  | ');
    assert.equal(
      renderMarkdown(LISTS).text,
      '- [x] done\n- [ ] open\n  - nested\n    soft\n\n1. loose\n2. list\n\nwith two paragraphs',
    );
    assert.equal(renderMarkdown(CODE_AND_QUOTE).text, 'print(1)\n\n> - [ ] a task in a quote\n> \n> t\n> q');
  });

  it('count the links of headings and table cells', () => {
    assert.deepEqual(docLinks(renderMarkdown(HEADINGS).body), ['https://h.example/']);
    assert.deepEqual(docLinks(renderMarkdown(TABLE).body), ['https://t.example/']);
  });
});
