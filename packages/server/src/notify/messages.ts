import type { Reply, Topic } from '@colloquy/api';
import type { MailMessage } from './mailer.js';

/** Emails are plain text: nothing a reader wrote can become markup in a moderator's mail client. */

const QUOTED_CHARACTERS = 2000;

const quote = (text: string) => {
  const cut = text.length > QUOTED_CHARACTERS ? `${text.slice(0, QUOTED_CHARACTERS)}…` : text;
  return cut
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
};

/** A subject line: no line breaks, bounded. */
const subject = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 150 ? `${line.slice(0, 149)}…` : line;
};

const where = (topic: Pick<Topic, 'title' | 'url'>) =>
  `"${topic.title}"${topic.url ? ` (${topic.url})` : ''}`;

export function awaitingReviewMail(
  to: string,
  reply: Reply,
  topic: Pick<Topic, 'title' | 'url'>,
  links: { approve: string; hide: string; expiresAt: Date },
): MailMessage {
  return {
    to,
    subject: subject(`Awaiting review: ${reply.author.name} on "${topic.title}"`),
    text: [
      `A reply by ${reply.author.name} on ${where(topic)} is awaiting review:`,
      '',
      quote(reply.text),
      '',
      `Approve: ${links.approve}`,
      `Hide: ${links.hide}`,
      '',
      `Each link opens a page whose button acts. The links of this email work once, until ${links.expiresAt.toUTCString()}.`,
      'You can also moderate the reply through the admin API.',
    ].join('\n'),
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

export function replyToYouMail(
  to: string,
  reply: Reply,
  topic: Pick<Topic, 'title' | 'url'>,
  unsubscribe: string,
): MailMessage {
  return {
    to,
    subject: subject(`${reply.author.name} replied to you on "${topic.title}"`),
    text: [
      `${reply.author.name} replied to your reply on ${where(topic)}:`,
      '',
      quote(reply.text),
      '',
      ...(topic.url ? [`Read it there: ${topic.url}`, ''] : []),
      'You get this email because you gave your address with a reply.',
      `To get no more: ${unsubscribe}`,
    ].join('\n'),
    headers: {
      'Auto-Submitted': 'auto-generated',
      // RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the link.
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
