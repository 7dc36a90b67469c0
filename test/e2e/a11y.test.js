// axe-core on the demo page as `npm start` serves it (the API on another origin), with the
// WCAG 2.2 AA rules and the best-practice rules about a page's outline and landmarks, in the
// light, dark and forced-colours modes, at a desktop's and a phone's width.
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { shadowTextContaining, startStack } from './stack.js';

const AXE = createRequire(import.meta.url).resolve('axe-core');
const RULES = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  rules: Object.fromEntries(
    [
      'page-has-heading-one',
      'heading-order',
      'empty-heading',
      'landmark-one-main',
      'landmark-unique',
      'landmark-no-duplicate-banner',
      'landmark-no-duplicate-contentinfo',
      'landmark-no-duplicate-main',
      'region',
    ].map((id) => [id, { enabled: true }]),
  ),
};

/** Each mode: the media features emulated, and the theme set on the elements (none: `auto`). */
const MODES = {
  light: { features: [{ name: 'prefers-color-scheme', value: 'light' }] },
  // The dark theme on the light page: the case a transparent background made unreadable.
  'dark (theme="dark" on a light page)': {
    features: [{ name: 'prefers-color-scheme', value: 'light' }],
    theme: 'dark',
  },
  'dark (the system is dark, theme auto)': { features: [{ name: 'prefers-color-scheme', value: 'dark' }] },
  'forced colours': { features: [{ name: 'forced-colors', value: 'active' }] },
};

let stack;
before(async () => {
  stack = await startStack();
  // A reply, so the thread has its reply list, reply button and reactions to check too.
  const res = await fetch(`${stack.api.url}/api/v1/topics/rsp-update/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(stack.site.url).origin },
    body: JSON.stringify({ authorName: 'Ada', body: 'A reply with [a link](https://example.org).' }),
  });
  assert.equal(res.status, 201, await res.text());
});
after(() => stack?.stop());

for (const [mode, { features, theme }] of Object.entries(MODES))
  for (const width of [1280, 320])
    test(`axe finds nothing on the demo page: ${mode}, ${width} px`, async () => {
      const page = await stack.browser.newPage();
      try {
        await page.setViewport({ width, height: 800 });
        const cdp = await page.createCDPSession();
        await cdp.send('Emulation.setEmulatedMedia', { features });
        await page.goto(stack.site.url);
        if (theme)
          await page.evaluate((value) => {
            for (const el of document.querySelectorAll('topic-card, source-list, reply-thread'))
              el.setAttribute('theme', value);
          }, theme);
        await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
        await shadowTextContaining(page, 'source-list', 'Anthropic News');
        await shadowTextContaining(page, 'reply-thread', 'A reply with a link');
        // The form too, once its place has come near the viewport as a reader scrolls.
        await page.evaluate(() =>
          document
            .querySelector('reply-thread')
            .shadowRoot.querySelector('[part=form-placeholder]')
            ?.scrollIntoView(),
        );
        await shadowTextContaining(page, 'reply-thread', 'Post reply');
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.addScriptTag({ path: AXE });
        const { violations, passed } = await page.evaluate(async (options) => {
          const { violations, passes } = await window.axe.run(document, options);
          return {
            violations: violations.map((v) => ({
              id: v.id,
              help: v.help,
              nodes: v.nodes.map((n) => `${n.target.join(' >>> ')}: ${n.failureSummary}`),
            })),
            passed: passes.map((p) => p.id),
          };
        }, RULES);
        assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
        // The rules ran and looked inside the elements: the title is the page's h1, and the
        // text inside the shadow roots had its contrast checked.
        for (const id of ['page-has-heading-one', 'color-contrast', 'button-name', 'label'])
          assert.ok(passed.includes(id), `${id} passed: ${passed.join(', ')}`);
      } finally {
        await page.close();
      }
    });

test('the check can fail: a transparent background under the dark theme on the light page', async () => {
  const page = await stack.browser.newPage();
  try {
    const cdp = await page.createCDPSession();
    await cdp.send('Emulation.setEmulatedMedia', { features: MODES.light.features });
    await page.goto(stack.site.url);
    await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
    // What the README's snippet used to say, with the elements in the dark theme.
    await page.addStyleTag({ content: 'topic-card { --colloquy-background: transparent; }' });
    await page.evaluate(() => document.querySelector('topic-card').setAttribute('theme', 'dark'));
    await page.addScriptTag({ path: AXE });
    const ids = await page.evaluate(
      async (options) => (await window.axe.run(document, options)).violations.map((v) => v.id),
      RULES,
    );
    assert.ok(ids.includes('color-contrast'), `axe reported: ${ids.join(', ')}`);
  } finally {
    await page.close();
  }
});
