// The widget's store and the modules around it import and run in Node, where there is no DOM,
// so that the elements can be rendered on a server. Runs against the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const dist = new URL('../packages/widget/dist/', import.meta.url);
const MODULES = [
  'api/client.js',
  'api/urls.js',
  'store/storage.js',
  'store/proof-of-work.js',
  'store/summary-batch.js',
  'store/live-stream.js',
  'store/topic-store.js',
  'internal/reaction-bar.js',
];

test('the store modules and the reaction bar import without a DOM', async () => {
  for (const name of ['document', 'window', 'HTMLElement', 'customElements', 'localStorage', 'EventSource'])
    assert.equal(typeof globalThis[name], 'undefined', `${name} exists in this Node`);
  for (const module of MODULES) await assert.doesNotReject(import(new URL(module, dist).href), module);
});

test('a topic store is created and read without a DOM', async () => {
  const { TopicStore, topicStore } = await import(new URL('store/topic-store.js', dist).href);
  const store = new TopicStore('https://discuss.example.org', 'rsp-update');
  assert.equal(store.state, 'idle');
  assert.equal(store.isActive(null, 'like'), false);
  assert.equal(
    topicStore('https://discuss.example.org/', 'rsp-update'),
    topicStore('https://discuss.example.org', 'rsp-update'),
  );
});
