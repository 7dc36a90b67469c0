// A developer's app: the elements come from the npm package, registered under their default
// tags, and the app listens to their typed events.
import '@colloquy/widget/define.js';
import type { ReplyThread, ColloquyReplyPostedEvent, Reply } from '@colloquy/widget';

const API = 'http://localhost:8787';
const TOPIC = 'rsp-update';

function mount(root: HTMLElement): ReplyThread {
  for (const tag of ['topic-card', 'source-list'] as const) {
    const element = document.createElement(tag);
    element.topic = TOPIC;
    element.api = API;
    root.append(element);
  }
  const thread = document.createElement('reply-thread');
  thread.topic = TOPIC;
  thread.api = API;
  thread.lang = 'en';
  root.append(thread);
  return thread;
}

function announce(reply: Reply): void {
  const status = document.querySelector<HTMLElement>('#status');
  if (status) status.textContent = `Thanks, ${reply.author.name}: your reply is posted.`;
}

const thread = mount(document.querySelector<HTMLElement>('#discussion') ?? document.body);
thread.addEventListener('colloquy-reply-posted', (event: ColloquyReplyPostedEvent) => {
  announce(event.detail);
});
