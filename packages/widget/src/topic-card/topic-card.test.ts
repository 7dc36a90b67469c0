import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TopicWithReplies } from '@colloquy/api';
import { createTopic, testEnv } from '../test-env.js';
import './topic-card.define.js';
import type { TopicCard } from './topic-card.js';

const { api } = testEnv();
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
const $$ = (el: Element, selector: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
const ready = (el: TopicCard) => waitUntil(() => $(el, '[part=card]'), 'card did not render');

async function card(topic: string, attrs: { lang?: string; variant?: string } = {}) {
  const el = await fixture<TopicCard>(
    html`<topic-card api=${api} topic=${topic} lang=${attrs.lang ?? 'en-US'} variant=${attrs.variant ?? 'full'}></topic-card>`,
  );
  await ready(el);
  return el;
}

describe('<topic-card>', () => {
  it('renders the seed topic faithfully', async () => {
    const el = await card('rsp-update');
    const topic = (await (await fetch(`${api}/api/v1/topics/rsp-update`)).json()) as TopicWithReplies;
    expect($$(el, '[part=breadcrumb] li').map((li) => li.textContent!.trim())).to.deep.equal([
      'Community',
      'Anthropic',
    ]);
    expect($(el, '[part=breadcrumb]').getAttribute('aria-label')).to.equal('Category');
    expect($(el, 'h2[part=title]').textContent!.trim()).to.equal(
      'Updated Responsible Scaling Policy: a step towards safe AI',
    );
    expect($(el, '[part=label]').textContent).to.equal('Background');
    expect($(el, '[part=summary]').textContent).to.contain('Anthropic has announced updates');
    const avatar = $(el, '[part=avatar]');
    expect(avatar.textContent!.trim()).to.equal('N');
    expect(avatar.getAttribute('aria-hidden')).to.equal('true');
    expect($(el, '[part=author]').textContent).to.contain('Natalya Tihonova');
    const time = $(el, 'time') as HTMLTimeElement;
    expect(time.dateTime).to.equal(topic.createdAt);
    expect(time.textContent).to.equal(new Date(topic.createdAt).toLocaleString('en-US'));
    expect($$(el, '[part=body] p').length).to.be.greaterThan(4);
    const reactions = $$(el, '[part=reaction]');
    expect(reactions.map((b) => b.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      'Like 0',
      'Insightful 0',
      'Disagree 0',
    ]);
    // Each icon is an inline drawing hidden from assistive technology, no emoji glyph; its
    // label is the button's text.
    for (const button of reactions) {
      const icon = button.querySelector('svg')!;
      expect(icon.getAttribute('aria-hidden')).to.equal('true');
      expect(icon.querySelector('path')!.getAttribute('d')).to.match(/^M/);
      expect(icon.getBoundingClientRect().width).to.be.greaterThan(8);
      expect(button.textContent).not.to.match(/\p{Extended_Pictographic}/u);
    }
    expect(reactions.every((b) => b.getAttribute('aria-pressed') === 'false')).to.be.true;
    expect($(el, '[part=replies]').textContent!.trim()).to.equal('Replies (0)');
  });

  it('is accessible', async () => {
    const el = await card('rsp-update');
    await expect(el).to.be.accessible();
  });

  it('is accessible in the dark theme', async () => {
    const el = await card('rsp-update');
    el.theme = 'dark';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('switches the custom properties with the theme attribute', async () => {
    const el = await card('rsp-update');
    const background = () => getComputedStyle(el).backgroundColor;
    el.setAttribute('theme', 'light');
    expect(background()).to.equal('rgb(255, 255, 255)');
    el.setAttribute('theme', 'dark');
    expect(background()).to.equal('rgb(18, 18, 18)');
  });

  it("sets the title's level with heading-level", async () => {
    const el = await card('rsp-update');
    expect($(el, '[part=title]').getAttribute('aria-level')).to.equal('2');
    el.setAttribute('heading-level', '3');
    await el.updateComplete;
    expect($(el, '[part=title]').getAttribute('aria-level')).to.equal('3');
    await expect(el).to.be.accessible();
  });

  it('shows German strings with lang="de"', async () => {
    const el = await card('rsp-update', { lang: 'de' });
    // The German catalog comes from the server on first use.
    await waitUntil(() => $(el, '[part=replies]').textContent!.trim() === 'Antworten (0)', 'no German');
    expect($(el, '[part=reaction] .sr').textContent).to.equal('Gefällt mir');
    expect($(el, '[part=breadcrumb]').getAttribute('aria-label')).to.equal('Kategorie');
  });

  it('takes the language from the closest [lang] ancestor', async () => {
    const wrapper = await fixture(
      html`<div lang="de"><topic-card api=${api} topic="rsp-update"></topic-card></div>`,
    );
    const el = wrapper.querySelector('topic-card')!;
    await ready(el);
    await waitUntil(() => $(el, '[part=replies]').textContent!.trim() === 'Antworten (0)', 'no German');
  });

  it('has a compact variant with the title and counts only', async () => {
    const el = await card('rsp-update', { variant: 'compact' });
    expect($$(el, '[part=reaction]')).to.have.length(3);
    expect($(el, '[part=title]').textContent).to.contain('Updated Responsible Scaling Policy');
    expect($(el, '[part=body]')).to.equal(null);
    expect($(el, '[part=replies]').textContent!.trim()).to.equal('Replies (0)');
    await expect(el).to.be.accessible();
  });

  it('toggles a reaction: counter, aria-pressed, event, persisted', async () => {
    const id = await createTopic();
    const el = await card(id);
    const like = $$(el, '[part=reaction]')[0]!;
    setTimeout(() => like.click());
    const event = await oneEvent(el, 'colloquy-reaction');
    expect(event.detail).to.include({ kind: 'like', active: true, replyId: null, topicId: id });
    expect(like.getAttribute('aria-pressed')).to.equal('true');
    expect(like.querySelector('[part=count]')!.textContent).to.equal('1');
    const topic = (await (
      await fetch(`${api}/api/v1/topics/${id}`, { cache: 'no-cache' })
    ).json()) as TopicWithReplies;
    expect(topic.reactions.like).to.equal(1);

    // Remembered: a new element shows it pressed, and a second toggle takes it back.
    el.remove();
    const again = await card(id);
    const likeAgain = $$(again, '[part=reaction]')[0]!;
    expect(likeAgain.getAttribute('aria-pressed')).to.equal('true');
    setTimeout(() => likeAgain.click());
    await oneEvent(again, 'colloquy-reaction');
    expect(likeAgain.getAttribute('aria-pressed')).to.equal('false');
    expect(likeAgain.querySelector('[part=count]')!.textContent).to.equal('0');
  });

  it('is usable with the keyboard: Tab to a reaction, Space and Enter toggle it', async () => {
    const id = await createTopic();
    const el = await card(id);
    (document.activeElement as HTMLElement | null)?.blur();
    const like = $$(el, '[part=reaction]')[0]!;
    for (let i = 0; i < 20 && el.shadowRoot!.activeElement !== like; i++) await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(like);
    const toggled = oneEvent(el, 'colloquy-reaction');
    await sendKeys({ press: 'Space' });
    expect((await toggled).detail.active).to.be.true;
    const again = oneEvent(el, 'colloquy-reaction');
    await sendKeys({ press: 'Enter' });
    expect((await again).detail.active).to.be.false;
    expect(like.getAttribute('aria-pressed')).to.equal('false');
  });

  it('renders hostile-looking content as text', async () => {
    const id = await createTopic({
      title: '<img src=x onerror="window.__pwned=1">',
      summary: '<script>window.__pwned=1</script>',
      body: '<b>bold?</b> <img src=x onerror="window.__pwned=1"> [click](javascript:alert(1)) <a href="x">a</a>',
      author: { name: '<svg onload=alert(1)>' },
    });
    const el = await card(id);
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('img, script, b, iframe').length).to.equal(0);
    // The only drawings are the reaction icons, none from the content.
    const drawings = [...root.querySelectorAll('svg')];
    expect(drawings.every((svg) => svg.closest('[part=reaction]') && !svg.hasAttribute('onload'))).to.be.true;
    expect([...root.querySelectorAll('a')].every((a) => /^(https?:|mailto:|#)/.test(a.getAttribute('href')!)))
      .to.be.true;
    expect($(el, '[part=title]').textContent).to.contain('<img src=x');
    expect($(el, '[part=body]').textContent).to.contain('<b>bold?</b>');
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('links citations to the source anchors', async () => {
    const id = await createTopic({
      body: 'As reported [1], with [a link](https://example.org/x).',
      sources: [{ title: 'Example', url: 'https://www.example.org/news' }],
    });
    const el = await card(id);
    const cite = $(el, 'a.cite') as HTMLAnchorElement;
    expect(cite.getAttribute('href')).to.equal('#colloquy-source-1');
    expect(cite.textContent).to.equal('[1]');
    const link = $$(el, '[part=body] a').find((a) => a.textContent === 'a link') as HTMLAnchorElement;
    expect(link.rel).to.equal('nofollow ugc noopener noreferrer');
    expect(link.target).to.equal('_blank');
  });

  it('has no horizontal overflow at 320 px', async () => {
    const id = await createTopic({
      title: 'Averyveryverylongwordwithoutanyspacesthatwouldoverflowanarrowphonescreenforsure',
      body: 'See https://example.org/a/very/long/path/that/does/not/break/anywhere/at/all/really/no',
      category: { slug: 'c', name: 'C', path: ['Community', 'Anthropic'] },
      author: { name: 'Natalya Tihonova' },
    });
    const box = await fixture(
      html`<div style="width: 320px"><topic-card api=${api} topic=${id}></topic-card></div>`,
    );
    const el = box.querySelector('topic-card')!;
    await ready(el);
    expect(el.scrollWidth).to.be.at.most(el.clientWidth);
    expect(box.scrollWidth).to.be.at.most(320);
  });

  it('shows an error with Retry when the server cannot be reached', async () => {
    const failing = fixture<TopicCard>(
      html`<topic-card api="http://127.0.0.1:9" topic="nowhere"></topic-card>`,
    );
    const el = await failing;
    await waitUntil(() => $(el, '[part=error]'), 'no error shown');
    expect($(el, '[role=alert]').textContent).to.contain('Could not load the discussion.');
    const retry = $(el, '[part=error] button');
    expect(retry.textContent).to.equal('Retry');
    setTimeout(() => retry.click());
    const event = await oneEvent(el, 'colloquy-error');
    expect(event.detail.action).to.equal('load');
  });
});
