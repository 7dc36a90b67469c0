// Reporting a reply to the moderators from <reply-thread>: confirmed first, with an optional
// reason, against the real server, whose moderation queue then lists the reply.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createTopic, postReply, testEnv } from '../test-env.js';
import './reply-thread.define.js';
import type { ReplyThread } from './reply-thread.js';

const { api, adminToken } = testEnv();
const $ = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim();

async function thread(topic: string) {
  const el = await fixture<ReplyThread>(
    html`<reply-thread api=${api} topic=${topic} lang="en"></reply-thread>`,
  );
  await waitUntil(() => $(el, '[part=report-button]'), 'no Report button');
  return el;
}

/** The moderation queue of reported replies, as a moderator reads it. */
async function reported(topic: string) {
  const response = await fetch(
    `${api}/api/v1/admin/queue?queue=reported&topic=${encodeURIComponent(topic)}`,
    {
      headers: { authorization: `Bearer ${adminToken}` },
    },
  );
  expect(response.status).to.equal(200);
  return ((await response.json()) as { items: { reply: { id: string }; reports: number }[] }).items;
}

describe('reporting a reply', () => {
  it('asks to confirm, takes a reason, files the report and says so', async () => {
    const topic = await createTopic();
    const reply = await postReply(topic, 'Buy cheap watches at example.com', 'Spammer');
    const el = await thread(topic);
    const button = $(el, '[part=report-button]')!;
    expect(text(button)).to.equal('Report');
    button.click();
    await waitUntil(() => $(el, '[part=confirm-report]'), 'no confirmation asked');
    const confirm = $(el, 'form[part=confirm]')!;
    expect(confirm.getAttribute('aria-label')).to.equal('Report');
    expect(text(confirm.querySelector('p'))).to.equal(
      'Report this reply to the moderators? They will review it.',
    );
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part=confirm-report]'));
    // Nothing is filed before the reader confirms.
    expect(await reported(topic)).to.deep.equal([]);

    const reason = confirm.querySelector('input')!;
    reason.focus();
    await sendKeys({ type: 'advertising' });
    $(el, '[part=confirm-report]')!.click();
    await waitUntil(() => $(el, '[part=reported]'), 'the report was not confirmed');
    expect(text($(el, '[part=reported]'))).to.equal(
      'Reported. Thank you: the moderators will review this reply.',
    );
    expect($(el, '[part=reported]')!.getAttribute('role')).to.equal('status');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part=reported]'));
    // The reply is still shown; the server's queue has it with its report.
    expect(text($(el, '[part=body]'))).to.equal('Buy cheap watches at example.com');
    const queue = await reported(topic);
    expect(queue.map((item) => [item.reply.id, item.reports])).to.deep.equal([[reply.id, 1]]);
  });

  it('is cancelled with Cancel or Escape, the focus back on the Report button, nothing filed', async () => {
    const topic = await createTopic();
    await postReply(topic, 'A fair reply.', 'Ada');
    const el = await thread(topic);
    $(el, '[part=report-button]')!.click();
    await waitUntil(() => $(el, '[part=confirm-report]'), 'no confirmation asked');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !$(el, '[part=confirm]'), 'Escape did not close the confirmation');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part=report-button]'));
    $(el, '[part=report-button]')!.click();
    await waitUntil(() => $(el, '[part=confirm-report]'), 'no confirmation asked again');
    ($(el, '[part=confirm] [part=cancel]') as HTMLButtonElement).click();
    await waitUntil(() => !$(el, '[part=confirm]'), 'Cancel did not close the confirmation');
    expect(await reported(topic)).to.deep.equal([]);
  });

  it("shows the server's refusal and keeps the confirmation open", async () => {
    const topic = await createTopic();
    const reply = await postReply(topic, 'Soon gone.', 'Ada');
    const el = await thread(topic);
    $(el, '[part=report-button]')!.click();
    await waitUntil(() => $(el, '[part=confirm-report]'), 'no confirmation asked');
    // A moderator removes the reply meanwhile: the server no longer has it for readers.
    const removed = await fetch(`${api}/api/v1/admin/replies/${reply.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(removed.ok, `removing: ${removed.status}`).to.be.true;
    const failed = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('colloquy-error', (event) => resolve(event as CustomEvent), { once: true }),
    );
    $(el, '[part=confirm-report]')!.click();
    expect((await failed).detail.action).to.equal('report');
    await waitUntil(() => text($(el, '[part=confirm] [part=alert]')), 'no error shown');
    expect(text($(el, '[part=confirm] [part=alert]'))).to.match(/No published reply/);
    expect($(el, '[part=reported]')).to.equal(null);
  });
});
