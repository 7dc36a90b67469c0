import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { docText, type Doc } from '@colloquy/api';
import { renderMarkdown, type Store, type TopicRecord } from '../index.js';
import { tempDir } from './helpers.js';
import { topic as contractTopic } from './store-contract.js';

const topic = (id: string, source: string, extra: Partial<TopicRecord> = {}): TopicRecord =>
  contractTopic(id, { ...renderMarkdown(source), source, sources: [], ...extra });

const reply = (topicId: string, source: string) => ({
  topicId,
  parentId: null,
  authorName: 'Ann',
  ...renderMarkdown(source),
  source,
});

/** Trees as an older renderer could have stored them: not what their sources render to now. */
const OLD_TREE: Doc = [{ t: 'p', c: [{ t: 'text', v: '**bold** by an old renderer' }] }];

/** A database from before sources were kept: its rows, as that schema's SQL inserts them. */
export const LEGACY_ROWS = {
  topicBody: [
    {
      t: 'p',
      c: [
        { t: 'text', v: 'Legacy ' },
        { t: 'em', c: [{ t: 'text', v: 'topic' }] },
        { t: 'cite', n: 1 },
      ],
    },
  ],
  replyBody: [
    {
      t: 'ul',
      tight: true,
      items: [
        [
          {
            t: 'p',
            c: [
              { t: 'task', checked: true },
              { t: 'text', v: ' done' },
            ],
          },
        ],
      ],
    },
    { t: 'pre', v: 'code\n', lang: 'js' },
  ],
} satisfies Record<string, Doc>;

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const sqlText = (value: unknown) => quote(JSON.stringify(value));

/** The position of the migration that added the sources, in a dialect's list. */
export const sourcesMigration = (migrations: readonly string[]) =>
  migrations.findIndex((sql) => sql.includes('ADD COLUMN source TEXT'));

/** The statements that put LEGACY_ROWS into a database at the schema before sources. */
export const LEGACY_INSERTS = [
  `INSERT INTO topics (id, title, created_at, body, text, sources, updated_at)
   VALUES ('legacy', 'Legacy', '2026-01-01T00:00:00Z', ${sqlText(LEGACY_ROWS.topicBody)}, ${quote(docText(LEGACY_ROWS.topicBody))}, '[]', '2026-01-01T00:00:00.000Z')`,
  `INSERT INTO replies (id, topic_id, root_id, depth, author_name, created_at, body, text, status)
   VALUES ('r-legacy', 'legacy', 'r-legacy', 0, 'Old', '2026-01-01T00:00:01.000Z', ${sqlText(LEGACY_ROWS.replyBody)}, ${quote(docText(LEGACY_ROWS.replyBody))}, 'published')`,
];

/**
 * Bodies keep their Markdown source, whatever the database: as written on every write, written
 * back from the tree for rows from before, and rendered again by rerenderBodies. `legacy(dir)`
 * opens a store on a database that was at the schema before sources and held LEGACY_INSERTS.
 */
export function sourceContract(
  name: string,
  open: (dir: string) => Promise<Store>,
  legacy: (dir: string) => Promise<Store>,
): void {
  describe(`Store sources: ${name}`, () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    let store: Store;

    before(async () => {
      ({ dir, cleanup } = await tempDir());
      store = await open(dir);
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    it('keeps a reply’s source as written, and gives it only to its author and moderators', async () => {
      await store.upsertTopic(topic('src', 'Topic'));
      const source = '    indented code\n\n* a list\n';
      const r = await store.createReply(reply('src', source));
      assert.equal(r.source, undefined, 'a write answers without the source');
      assert.equal((await store.getReply(r.id))?.source, undefined);
      assert.equal((await store.getReply(r.id, { author: true, source: true }))?.source, source);
      assert.equal((await store.getReply(r.id, { admin: true, source: true }))?.source, source);
      assert.equal((await store.getReply(r.id))?.body[0]?.t, 'pre', 'leading spaces made code');

      await store.editReply(r.id, { ...renderMarkdown(' edited'), source: ' edited' });
      assert.equal((await store.getReply(r.id, { author: true, source: true }))?.source, ' edited');

      await store.setReplyStatus(r.id, 'hidden');
      assert.equal((await store.getReply(r.id, { author: true, source: true }))?.source, undefined);
      assert.equal((await store.getReply(r.id, { admin: true, source: true }))?.source, ' edited');
      await store.setReplyStatus(r.id, 'deleted');
      assert.equal((await store.getReply(r.id, { admin: true, source: true }))?.source, '');
    });

    it('writes a source back from the tree when a write gives none', async () => {
      const { body, text } = renderMarkdown('Some *emphasis* and [1].');
      const r = await store.createReply({ topicId: 'src', parentId: null, authorName: 'Bo', body, text });
      assert.equal(
        (await store.getReply(r.id, { admin: true, source: true }))?.source,
        'Some *emphasis* and [1].',
      );
    });

    it('renders bodies again from their sources, writing only those that change', async () => {
      await store.upsertTopic(topic('rr', 'Fine'));
      await store.upsertTopic(topic('rr-old', '**bold**', { body: OLD_TREE, text: 'old' }));
      const fine = await store.createReply(reply('rr', 'unchanged'));
      const stale = await store.createReply({ ...reply('rr', '**bold**'), body: OLD_TREE, text: 'old' });
      const versions = async () => [await store.topicVersion('rr'), await store.topicVersion('rr-old')];
      const [rrBefore, oldBefore] = await versions();
      const lastEvent = await store.lastEventId('rr');

      let read = 0;
      let changed = 0;
      for (let after = ''; ; ) {
        const batch = await store.rerenderBodies('reply', after, 2, renderMarkdown);
        read += batch.read;
        changed += batch.changed;
        if (batch.last === null) break;
        after = batch.last;
      }
      assert.ok(read >= 2);
      assert.equal(changed, 1, 'only the stale reply changed');
      const fixed = await store.getReply(stale.id);
      assert.deepEqual(fixed?.body, renderMarkdown('**bold**').body);
      assert.equal(fixed?.text, 'bold');
      assert.equal(fixed?.editedAt, null, 'a re-rendering is no edit');
      assert.deepEqual(await store.getReply(fine.id), fine);
      const [rrAfter] = await versions();
      assert.ok(Number(rrAfter) > Number(rrBefore), 'the changed reply’s topic moved on');
      const events = await store.listEvents('rr', lastEvent, 10);
      assert.deepEqual(
        events.map((e) => [e.type, (e.data as { id: string }).id]),
        [['reply-changed', stale.id]],
      );

      const topics = await store.rerenderBodies('topic', '', 500, renderMarkdown);
      assert.equal(topics.changed, 1);
      assert.deepEqual((await store.getTopic('rr-old'))?.body, renderMarkdown('**bold**').body);
      const [rrNow, oldNow] = await versions();
      assert.equal(rrNow, rrAfter, 'an unchanged topic is not written');
      assert.ok(Number(oldNow) > Number(oldBefore));

      // Once current, a second pass changes nothing.
      assert.equal((await store.rerenderBodies('reply', '', 500, renderMarkdown)).changed, 0);
      assert.equal((await store.rerenderBodies('topic', '', 500, renderMarkdown)).changed, 0);
      assert.deepEqual(await versions(), [rrNow, oldNow]);
    });

    it('gives rows from before sources a source written from their tree, that renders to it', async () => {
      const { dir: old, cleanup: done } = await tempDir();
      const migrated = await legacy(old);
      try {
        const r = await migrated.getReply('r-legacy', { admin: true, source: true });
        assert.equal(r?.source, '- [x] done\n\n```js\ncode\n```');
        assert.deepEqual(renderMarkdown(r?.source ?? '').body, LEGACY_ROWS.replyBody);
        const version = await migrated.topicVersion('legacy');
        // The written source renders to the stored tree: a re-rendering finds nothing to change.
        assert.equal((await migrated.rerenderBodies('reply', '', 500, renderMarkdown)).changed, 0);
        assert.equal((await migrated.rerenderBodies('topic', '', 500, renderMarkdown)).changed, 0);
        assert.equal(await migrated.topicVersion('legacy'), version);
        assert.deepEqual((await migrated.getTopic('legacy'))?.body, LEGACY_ROWS.topicBody);
      } finally {
        await migrated.close();
        await done();
      }
    });
  });
}
