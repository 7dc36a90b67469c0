import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  disqusToMarkdown,
  htmlToMarkdown,
  markdownToMarkdown,
  unwrapDisqusLink,
  wordpressToMarkdown,
} from './body.js';

describe('HTML to Markdown', () => {
  test('decodes entities and keeps paragraphs', () => {
    assert.equal(
      htmlToMarkdown(
        '<p>Fish &amp; chips, &quot;quoted&quot;, caf&eacute; &#8212; done&nbsp;now</p><p>Second</p>',
      ),
      'Fish & chips, "quoted", café — done\u00a0now\n\nSecond',
    );
  });

  test('keeps links, emphasis, inline code and line breaks', () => {
    assert.equal(
      htmlToMarkdown(
        '<p>See <a href="https://example.org/a?b=1&amp;c=2" title="x">the <b>notes</b></a>, <i>now</i><br>and <code>npm ci</code></p>',
      ),
      'See [the **notes**](https://example.org/a?b=1\\&c=2), *now*\\\nand `npm ci`',
    );
  });

  test('keeps code blocks with their language, unescaped inside', () => {
    assert.equal(
      htmlToMarkdown('<pre><code class="language-js">if (a &lt; b &amp;&amp; c) {\n  go();\n}</code></pre>'),
      '```js\nif (a < b && c) {\n  go();\n}\n```',
    );
  });

  test('keeps quotes and lists, nested', () => {
    assert.equal(
      htmlToMarkdown(
        '<blockquote><p>He said:</p><blockquote><p>no</p></blockquote></blockquote><ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul><ol start="3"><li>three</li></ol>',
      ),
      '> He said:\n>\n> > no\n\n- one\n  - inner\n- two\n\n3. three',
    );
  });

  test('drops scripts, styles and event attributes, and javascript: links', () => {
    const markdown = htmlToMarkdown(
      '<p onclick="steal()">Hi</p><script>alert("x")</script><style>p { color: red }</style><a href="javascript:alert(1)">bad</a><iframe src="https://evil.example"></iframe>',
    );
    assert.equal(markdown, 'Hi\n\nbad');
  });

  test('escapes text that Markdown would otherwise read as markup', () => {
    assert.equal(
      htmlToMarkdown('<p>- not a list</p><p>1. nor this, *nor* [1] this &lt;b&gt;</p>'),
      '\\- not a list\n\n1\\. nor this, \\*nor\\* \\[1] this \\<b>',
    );
  });

  test('turns images into links named by their alt text, or autolinks without one', () => {
    assert.equal(
      htmlToMarkdown(
        '<p><img src="https://example.org/cat.png" alt="a cat" onerror="x()"> <img src="https://example.org/dog.png"></p>',
      ),
      '[a cat](https://example.org/cat.png) <https://example.org/dog.png>',
    );
  });

  test('keeps strikethrough and tables (GFM)', () => {
    assert.equal(
      htmlToMarkdown(
        '<p><del>old</del> new</p><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>',
      ),
      '~~old~~ new\n\n| a | b |\n| - | - |\n| 1 | 2 |',
    );
  });

  test('keeps non-Latin text as it is', () => {
    assert.equal(htmlToMarkdown('<p>Привет, мир! 你好 🌍</p>'), 'Привет, мир! 你好 🌍');
  });
});

describe('WordPress comment content', () => {
  test('reads single newlines as line breaks and blank lines as paragraphs', () => {
    assert.equal(
      wordpressToMarkdown(
        'First line\nsecond line\n\nNew paragraph with <strong>bold</strong> &amp; <a href="https://wordpress.org/">a link</a>',
      ),
      'First line\\\nsecond line\n\nNew paragraph with **bold** & [a link](https://wordpress.org/)',
    );
  });
});

describe('Markdown sources', () => {
  test('are kept as they are when they hold no HTML', () => {
    const source = 'Some *emphasis*, a [link](https://example.org) and `a < b`\n\n> quote';
    assert.equal(markdownToMarkdown(source), source);
  });

  test('have raw HTML inside them converted, the Markdown around it kept', () => {
    assert.equal(
      markdownToMarkdown(
        'Hello **world** <b>and HTML</b>\n\n<blockquote>quoted <i>text</i></blockquote>\n\n<script>alert(1)</script>',
      ),
      'Hello **world** **and HTML**\n\n> quoted *text*',
    );
  });
});

describe('Disqus links', () => {
  test('are pointed back at the target behind the redirector', () => {
    assert.equal(
      unwrapDisqusLink(
        'https://disq.us/url?url=https%3A%2F%2Fexample.org%2Fpost%3Fa%3D1%3AeVRrBOE8tNtAXNrOz8_hQ9S3dYQ&cuid=4521',
      ),
      'https://example.org/post?a=1',
    );
    assert.equal(unwrapDisqusLink('https://example.org/plain'), 'https://example.org/plain');
    assert.equal(unwrapDisqusLink('https://disq.us/url?cuid=1'), 'https://disq.us/url?cuid=1');
  });

  test('are unwrapped in messages', () => {
    assert.equal(
      disqusToMarkdown(
        '<p><a href="https://disq.us/url?url=https%3A%2F%2Fexample.org%2F%3AabcDEF123&amp;cuid=9" rel="nofollow noopener" title="https://example.org/">example.org</a></p>',
      ),
      '[example.org](https://example.org/)',
    );
  });
});
