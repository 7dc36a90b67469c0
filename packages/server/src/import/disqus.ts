/**
 * Disqus's XML export (Admin › Community › Export): `<category>`, `<thread>` and `<post>`
 * elements under `<disqus xmlns="http://disqus.com">`, each keyed by a `dsq:id` attribute in the
 * `http://disqus.com/disqus-internals` namespace; a post names its thread and parent by that id.
 *
 * Order: records come in file order. Exports list threads before posts, but nothing in the
 * format promises that a post's thread or parent comes earlier, and posts of threads missing from
 * the file do occur.
 */
import { lazyBody } from './body.js';
import {
  at,
  ImportFormatError,
  makeReader,
  resolveThreadUrl,
  type CommentRecord,
  type CommentState,
  type ImportReader,
  type ImportRecord,
  type ReaderOptions,
  type SourcePosition,
  type ThreadRecord,
} from './records.js';
import { isoInstant } from './time.js';
import { attribute, child, childText, readXmlEvents, type XmlElement } from './xml.js';

const internals = 'http://disqus.com/disqus-internals';

function flag(element: XmlElement, local: string, position: SourcePosition): boolean {
  const value = childText(element, local);
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ImportFormatError(position, `<${local}> is "${value}", not true or false`);
}

function threadRecord(element: XmlElement, position: SourcePosition, options: ReaderOptions): ImportRecord {
  const sourceId = attribute(element, internals, 'id');
  if (sourceId === undefined) throw new ImportFormatError(position, '<thread> has no dsq:id attribute');
  if (flag(element, 'isDeleted', position)) {
    return { kind: 'skipped', what: 'thread', sourceId, reason: 'deleted in Disqus', position };
  }
  const createdAt = childText(element, 'createdAt');
  const url = childText(element, 'link') ?? null;
  return {
    kind: 'thread',
    sourceId,
    url: at(position, () => resolveThreadUrl(url, options)),
    title: childText(element, 'title') ?? null,
    createdAt: createdAt === undefined ? null : at(position, () => isoInstant(createdAt)),
    locked: flag(element, 'isClosed', position),
    position,
  } satisfies ThreadRecord;
}

function postRecord(element: XmlElement, position: SourcePosition): CommentRecord {
  const sourceId = attribute(element, internals, 'id') ?? childText(element, 'id');
  if (sourceId === undefined)
    throw new ImportFormatError(position, '<post> has neither a dsq:id attribute nor an <id>');
  const threadSourceId = attribute(child(element, 'thread'), internals, 'id');
  if (threadSourceId === undefined) throw new ImportFormatError(position, `post ${sourceId} names no thread`);
  const createdAt = childText(element, 'createdAt');
  if (createdAt === undefined) throw new ImportFormatError(position, `post ${sourceId} has no <createdAt>`);
  const author = child(element, 'author');
  const email = author === undefined ? undefined : childText(author, 'email');
  const state: CommentState = flag(element, 'isSpam', position)
    ? 'spam'
    : flag(element, 'isDeleted', position)
      ? 'deleted'
      : 'approved';
  return {
    kind: 'comment',
    sourceId,
    threadSourceId,
    parentSourceId: attribute(child(element, 'parent'), internals, 'id') ?? null,
    author: {
      name: (author === undefined ? undefined : childText(author, 'name')) ?? null,
      ...(email === undefined ? {} : { email }),
    },
    createdAt: at(position, () => isoInstant(createdAt)),
    body: lazyBody('disqus', child(element, 'message')?.text ?? ''),
    state,
    position,
  };
}

export function readDisqus(file: string, options: ReaderOptions = {}): ImportReader {
  return makeReader('disqus', file, 'bytes', async function* (progress) {
    const events = readXmlEvents(file, { collect: (path) => path.length === 2 }, progress);
    for await (const event of events) {
      if (event.type === 'open' && event.path.length === 1 && event.element.local !== 'disqus') {
        throw new ImportFormatError(
          event.position,
          `this is not a Disqus export: its root element is <${event.element.local}>, not <disqus>`,
        );
      }
      if (event.type !== 'element') continue;
      if (event.element.local === 'thread') yield threadRecord(event.element, event.position, options);
      else if (event.element.local === 'post') yield postRecord(event.element, event.position);
    }
  });
}
