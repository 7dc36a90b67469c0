// The elements render on a server through @lit-labs/ssr, into Declarative Shadow DOM, from the
// built package as Node resolves it. Without a read to show they render their loading state;
// what matters here is that rendering itself works in Node (it used to crash in i18nFor, on
// `Element is not defined`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from '@lit-labs/ssr';
import { collectResultSync } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';

await import('@colloquy/widget/define.js');

const rendered = (template) => collectResultSync(render(template));

test('each element renders into a declarative shadow root, with its styles and its state', () => {
  const markup = rendered(html`
    <topic-card topic="rsp-update" api="https://discuss.example.org" lang="en"></topic-card>
    <source-list topic="rsp-update" api="https://discuss.example.org" lang="en"></source-list>
    <reply-thread topic="rsp-update" api="https://discuss.example.org" lang="en"></reply-thread>
  `);
  for (const tag of ['topic-card', 'source-list', 'reply-thread']) {
    const element = new RegExp(`<${tag}\\s[^>]*><template shadowroot="open" shadowrootmode="open"><style>`);
    assert.match(markup, element, tag);
  }
  assert.equal(markup.match(/part="loading"/g)?.length, 3, 'three loading notes');
  assert.match(markup, /Loading…/);
});

test('an element without a lang attribute renders too (no navigator language on a server)', () => {
  assert.match(rendered(html`<topic-card topic="rsp-update"></topic-card>`), /shadowrootmode="open"/);
});
