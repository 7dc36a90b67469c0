import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../define.js';
import { createTopic, testEnv } from '../test-env.js';
import { topicStore } from './topic-store.js';

const { api } = testEnv();
const frames = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise(requestAnimationFrame);
};

describe('when an element reads its topic', () => {
  it('starts the read as the element connects when it is on screen, without waiting a frame', async () => {
    const id = await createTopic();
    const box = await fixture<HTMLElement>(html`<div></div>`);
    const thread = document.createElement('reply-thread');
    thread.setAttribute('api', api);
    thread.setAttribute('topic', id);
    box.append(thread);
    // Synchronously after connecting: the read is in flight.
    expect(topicStore(api, id).state).to.equal('loading');
    await waitUntil(() => topicStore(api, id).state === 'ready');
  });

  it('reads nothing for an element more than a screen below the viewport until it comes near', async () => {
    const id = await createTopic();
    const box = await fixture<HTMLElement>(html`<div>
      <div style="height: 250vh"></div>
      <topic-card api=${api} topic=${id}></topic-card>
    </div>`);
    await frames(2);
    expect(topicStore(api, id).state).to.equal('idle');
    box.querySelector('topic-card')!.scrollIntoView();
    await waitUntil(() => topicStore(api, id).state === 'ready', 'no read after scrolling near');
    window.scrollTo(0, 0);
  });

  it('renders an element far below the viewport once another element has read its topic', async () => {
    const id = await createTopic();
    const box = await fixture<HTMLElement>(html`<div>
      <topic-card api=${api} topic=${id}></topic-card>
      <div style="height: 250vh"></div>
      <reply-thread api=${api} topic=${id}></reply-thread>
    </div>`);
    const thread = box.querySelector('reply-thread')!;
    // Nobody scrolls: the card's read, shared, is all the thread needs.
    await waitUntil(
      () => thread.shadowRoot?.textContent?.includes('No replies in this topic yet.'),
      'the thread did not render the read the card made',
    );
    expect(window.scrollY).to.equal(0);
    expect(topicStore(api, id).state).to.equal('ready');
  });

  it('reads nothing for an element in a hidden part of the page until it is shown', async () => {
    const id = await createTopic();
    const box = await fixture<HTMLElement>(
      html`<div hidden><topic-card api=${api} topic=${id}></topic-card></div>`,
    );
    await frames(2);
    expect(topicStore(api, id).state).to.equal('idle');
    box.hidden = false;
    await waitUntil(() => topicStore(api, id).state === 'ready', 'no read once shown');
  });
});
