/**
 * GitHub Discussions as giscus uses them, from a JSON file of GitHub GraphQL API answers (nothing
 * here calls GitHub). Accepted: one answer or several written one after another
 * (`gh api graphql --paginate`), an array of answers (`--slurp`), or an array of `Discussion`
 * nodes; the discussions under `data.repository.discussions.nodes`, `data.search.nodes` or
 * `data.repository.discussion`. Each discussion carries its `comments.nodes`, each comment its
 * `replies.nodes` (GitHub nests one level), with `body` (Markdown) or `bodyHTML`, `author.login`,
 * `createdAt`, `lastEditedAt`, `deletedAt`, `isMinimized` and `minimizedReason`.
 *
 * Giscus titles a discussion with the page's term (path, URL or title) and writes the page's URL
 * on a line of its body; that URL is the thread's. A discussion is streamed whole, so memory is
 * that of the largest discussion page in the file.
 *
 * Order: each discussion's thread record comes first, then each comment followed by its replies,
 * so threads and parents always precede what refers to them. A discussion that appears again
 * (its next page of comments) yields no second thread record.
 */
import { open, stat } from 'node:fs/promises';
import { lazyBody } from './body.js';
import {
  isObject,
  readJsonValues,
  stringOf,
  type JsonItem,
  type JsonObject,
  type JsonValue,
} from './json.js';
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
} from './records.js';
import { isoInstant } from './time.js';

const discussionPaths = [
  'data.repository.discussions.nodes.*',
  'data.search.nodes.*',
  'data.repository.discussion',
  'errors',
];

/** How the file is laid out, from its first bytes. */
async function layout(file: string): Promise<{ paths: string[]; concatenated: boolean }> {
  const handle = await open(file);
  const head = Buffer.alloc(4096);
  let read: number;
  try {
    ({ bytesRead: read } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }
  const start = head
    .subarray(0, read)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (/^\s*\[/.test(start)) {
    const firstKey = /^\s*\[\s*\{\s*"([^"]*)"/.exec(start)?.[1];
    if (firstKey === 'data' || firstKey === 'errors')
      return { paths: discussionPaths.map((path) => `$.*.${path}`), concatenated: false };
    return { paths: ['$.*'], concatenated: false };
  }
  return { paths: discussionPaths.map((path) => `$.${path}`), concatenated: true };
}

/** The page giscus wrote into the discussion: the last line of its body that is only a URL. */
function pageUrl(discussion: JsonObject): string | undefined {
  const body = stringOf(discussion.body) ?? '';
  const lines = body
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^https?:\/\/\S+$/.test(line));
  const fromBody = lines.at(-1);
  if (fromBody !== undefined) return fromBody;
  const title = stringOf(discussion.title);
  return title !== undefined && /^https?:\/\/\S+$/.test(title.trim()) ? title.trim() : undefined;
}

function stateOf(comment: JsonObject): CommentState {
  if (stringOf(comment.deletedAt) !== undefined) return 'deleted';
  if (comment.isMinimized === true) {
    const reason = (stringOf(comment.minimizedReason) ?? '').toLowerCase();
    if (reason === 'spam' || reason === 'abuse') return 'spam';
  }
  return 'approved';
}

function nodesOf(connection: JsonValue | undefined): JsonValue[] {
  if (!isObject(connection)) return [];
  const nodes = connection.nodes;
  return Array.isArray(nodes) ? nodes : [];
}

function commentRecord(
  comment: JsonValue,
  position: SourcePosition,
  threadSourceId: string,
  parentSourceId: string | null,
): CommentRecord {
  if (!isObject(comment)) throw new ImportFormatError(position, 'a comment node that is not an object');
  const sourceId = stringOf(comment.id);
  if (sourceId === undefined) throw new ImportFormatError(position, 'a comment without an "id"');
  const createdAt = stringOf(comment.createdAt);
  if (createdAt === undefined)
    throw new ImportFormatError(position, `comment ${sourceId} has no "createdAt"`);
  const editedAt = stringOf(comment.lastEditedAt);
  const author = isObject(comment.author) ? comment.author : undefined;
  const authorUrl = author === undefined ? undefined : stringOf(author.url);
  const markdown = stringOf(comment.body);
  const state = stateOf(comment);
  return {
    kind: 'comment',
    sourceId,
    threadSourceId,
    parentSourceId,
    // A deleted GitHub account leaves no author; GitHub shows it as "ghost".
    author: {
      name: (author === undefined ? undefined : stringOf(author.login)) ?? null,
      ...(authorUrl === undefined ? {} : { url: authorUrl }),
    },
    createdAt: at(position, () => isoInstant(createdAt)),
    ...(editedAt === undefined ? {} : { editedAt: at(position, () => isoInstant(editedAt)) }),
    body:
      state === 'deleted'
        ? lazyBody('markdown', '')
        : markdown !== undefined
          ? lazyBody('markdown', markdown)
          : lazyBody('html', stringOf(comment.bodyHTML) ?? ''),
    state,
    position,
  };
}

function* discussionRecords(
  item: JsonItem,
  seen: Set<string>,
  options: ReaderOptions,
): Generator<ImportRecord> {
  const discussion = item.value;
  if (!isObject(discussion))
    throw new ImportFormatError(item.position, 'a discussion node that is not an object');
  const sourceId = stringOf(discussion.id);
  if (sourceId === undefined) throw new ImportFormatError(item.position, 'a discussion without an "id"');
  if (!seen.has(sourceId)) {
    seen.add(sourceId);
    const createdAt = stringOf(discussion.createdAt);
    yield {
      kind: 'thread',
      sourceId,
      url: at(item.position, () => resolveThreadUrl(pageUrl(discussion), options)),
      title: stringOf(discussion.title) ?? null,
      createdAt: createdAt === undefined ? null : at(item.position, () => isoInstant(createdAt)),
      locked: discussion.locked === true,
      position: item.position,
    };
  }
  for (const comment of nodesOf(discussion.comments)) {
    const position = isObject(comment) ? item.positionOf(comment) : item.position;
    const record = commentRecord(comment, position, sourceId, null);
    yield record;
    for (const reply of nodesOf(isObject(comment) ? comment.replies : undefined)) {
      const replyPosition = isObject(reply) ? item.positionOf(reply) : position;
      const replyTo = isObject(reply) && isObject(reply.replyTo) ? stringOf(reply.replyTo.id) : undefined;
      yield commentRecord(reply, replyPosition, sourceId, replyTo ?? record.sourceId);
    }
  }
}

export function readGiscus(file: string, options: ReaderOptions = {}): ImportReader {
  return makeReader('giscus', file, 'bytes', async function* (progress) {
    if ((await stat(file)).size === 0)
      throw new ImportFormatError({ kind: 'text', file, line: 1, column: 1 }, 'the file is empty');
    const items = readJsonValues(file, await layout(file), progress);
    const seen = new Set<string>();
    for await (const item of items) {
      if (item.path.at(-1) === 'errors' || item.path.at(-2) === 'errors') {
        const first = Array.isArray(item.value) ? item.value[0] : item.value;
        const message = isObject(first) ? stringOf(first.message) : undefined;
        throw new ImportFormatError(
          item.position,
          `the file holds a GraphQL error, not discussions: ${message ?? JSON.stringify(item.value)}`,
        );
      }
      yield* discussionRecords(item, seen, options);
    }
  });
}
