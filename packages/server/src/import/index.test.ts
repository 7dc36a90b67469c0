import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { importFormats, readImport, readers } from './index.js';
import { drain, fixture } from './testing.js';

const fixtures = {
  disqus: 'disqus.xml',
  wordpress: 'wordpress.xml',
  remark42: 'remark42.jsonl',
  waline: 'waline.json',
  giscus: 'giscus.json',
} as const;

describe('import readers', () => {
  test('exist for every format', () => {
    assert.deepEqual(Object.keys(readers).sort(), [...importFormats].sort());
  });

  for (const [format, file] of Object.entries(fixtures) as [keyof typeof fixtures, string][]) {
    test(`${format}: every comment names a thread the file has and a parent among its comments`, async () => {
      const { threads, comments, skipped } = await drain(readImport(format, fixture(file)));
      const threadIds = new Set([
        ...threads.map((thread) => thread.sourceId),
        ...skipped.filter((s) => s.what === 'thread').map((s) => s.sourceId),
      ]);
      const commentIds = new Set(comments.map((comment) => comment.sourceId));
      assert.ok(comments.length > 0);
      for (const comment of comments) {
        assert.ok(threadIds.has(comment.threadSourceId), comment.sourceId);
        if (comment.parentSourceId !== null)
          assert.ok(commentIds.has(comment.parentSourceId), comment.sourceId);
        assert.match(comment.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }
    });
  }
});
