// The widget package imports and runs in Node, where there is no DOM, so that the elements can be
// rendered on a server. Runs against the built package: every module it ships, and every entry
// of its `exports` as Node resolves them. The script-tag bundle (dist/widget.js and its chunks) is the one
// exception: it is for browsers, with Lit's browser build inside, and in Node
// `@colloquy/widget/colloquy.js` resolves to the module that defines the elements instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../packages/widget/', import.meta.url));
const dist = join(root, 'dist');
const DOM_GLOBALS = ['document', 'window', 'Element', 'localStorage', 'EventSource', 'IntersectionObserver'];
// The script-tag bundle's core and chunks are for browsers; the moderation console
// (dist/console.js and dist/console/) is not shipped either: the server
// serves it to moderators' browsers at /admin.
const BROWSER_ONLY = /^widget\.js$|^widget\/|^console\.js$|^console\//;

/** Every .js file the package ships, relative to dist (tests and fixtures are not shipped). */
function shippedModules(dir = dist) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return shippedModules(path);
    const name = relative(dist, path);
    const skip = /\.test\.js$|\.fixtures\.js$|^test-env\.js$/.test(name) || !name.endsWith('.js');
    return skip ? [] : [name];
  });
}

test('there is no DOM in this Node', () => {
  for (const name of DOM_GLOBALS) assert.equal(typeof globalThis[name], 'undefined', `${name} exists`);
});

test('every module the widget package ships imports without a DOM', async () => {
  const modules = shippedModules().filter((name) => !BROWSER_ONLY.test(name));
  // The modules of every part: the store, the elements, their definitions, catalogs.
  for (const name of ['store/topic-store.js', 'topic-card/topic-card.js', 'define.js', 'i18n/de.js'])
    assert.ok(modules.includes(name), `${name} is shipped`);
  for (const name of modules)
    await assert.doesNotReject(import(pathToFileURL(join(dist, name)).href), `dist/${name}`);
});

test('every export of the package imports in Node', async () => {
  const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const [subpath, target] of Object.entries(exports)) {
    if (subpath.includes('*') || !JSON.stringify(target).includes('.js"')) continue;
    const specifier = `@colloquy/widget${subpath.slice(1)}`;
    await assert.doesNotReject(import(specifier), specifier);
  }
});

test('importing the define module registers the tags in the server DOM shim', async () => {
  await import('@colloquy/widget/colloquy.js');
  for (const tag of ['topic-card', 'source-list', 'reply-thread'])
    assert.ok(globalThis.customElements.get(tag), `<${tag}> is defined`);
});

test('a topic store is created and read without a DOM', async () => {
  const { TopicStore, topicStore } = await import(pathToFileURL(join(dist, 'store/topic-store.js')).href);
  const store = new TopicStore('https://discuss.example.org', 'rsp-update');
  assert.equal(store.state, 'idle');
  assert.equal(store.isActive(null, 'like'), false);
  assert.equal(
    topicStore('https://discuss.example.org/', 'rsp-update'),
    topicStore('https://discuss.example.org', 'rsp-update'),
  );
});
