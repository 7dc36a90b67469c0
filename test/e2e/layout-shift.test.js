// The demo host page does not move, for a first or a returning reader: before its first render
// each element holds its skeleton's room, and a returning reader's elements reserve the heights
// their content took on the last visit, in headless Chromium at a desktop's and a phone's width.
// (That the reserved height is the remembered one, and includes the form, is tested on the
// elements: packages/widget/src/internal/layout.test.ts. Here the whole page is measured as
// Lighthouse measures it, with the demo page's own rule for the elements before they are defined.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { shadowTextContaining, startStack } from './stack.js';

let stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.stop());

/** Loads the demo page in `page` and returns the layout shift it had until the discussion settled. */
async function visit(page) {
  await page.goto(stack.site.url);
  await shadowTextContaining(page, 'reply-thread', 'No replies in this topic yet.');
  await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
  // Two frames and a moment: what moves after the content is in would be counted too.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 500))));
  return page.evaluate(() => window.__shifts);
}

for (const [device, viewport] of [
  ['a desktop', { width: 1280, height: 800 }],
  ['a phone', { width: 360, height: 740, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
]) {
  test(`a first and a returning reader on ${device} see the page without a layout shift`, async () => {
    // A reader of their own: nothing remembered from another test.
    const context = await stack.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport(viewport);
    await page.evaluateOnNewDocument(() => {
      const shifts = (window.__shifts = { cls: 0, entries: 0 });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          if (!entry.hadRecentInput) {
            shifts.cls += entry.value;
            shifts.entries++;
          }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const first = await visit(page);
    assert.ok(first.cls < 0.01, `CLS ${first.cls} (${first.entries} shifts) on the first visit`);
    const heights = await page.evaluate(() => JSON.parse(localStorage.getItem('colloquy:heights') ?? '{}'));
    assert.deepEqual(
      Object.keys(heights)
        .map((key) => key.split(' ')[2])
        .sort(),
      ['reply-thread', 'source-list', 'topic-cardfull'],
      'the three elements remembered their heights',
    );
    const again = await visit(page);
    assert.ok(
      again.cls < 0.01,
      `CLS ${again.cls} (${again.entries} shifts) on the second visit; ${first.cls} on the first`,
    );
    // The reserved heights and the unrendered room are let go once the content is in: nothing
    // holds the page longer.
    const reserved = await page.$$eval('topic-card, source-list, reply-thread', (elements) =>
      elements.map((el) => el.getAttribute('style') ?? ''),
    );
    assert.deepEqual(reserved, ['', '', '']);
    await context.close();
  });
}
