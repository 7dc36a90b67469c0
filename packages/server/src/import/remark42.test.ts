import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ImportFormatError } from './records.js';
import { readRemark42 } from './remark42.js';
import { byId, drain, fixture } from './testing.js';

const podcast912 = 'https://radio.example.org/p/2024/05/11/podcast-912/';
const podcast915 = 'https://radio.example.org/p/2024/06/01/podcast-915/';

describe('Remark42 backup reader', () => {
  test('yields each page as a thread just before its first comment', async () => {
    const { threads, comments, skipped, order } = await drain(readRemark42(fixture('remark42.jsonl')));
    assert.deepEqual(
      threads.map((thread) => thread.sourceId),
      [podcast912, podcast915],
    );
    assert.equal(comments.length, 6);
    assert.equal(skipped.length, 0);
    assert.deepEqual(order.slice(0, 2), [
      `thread:${podcast912}`,
      'comment:8b5e3c1f-0c49-4a2f-9a1e-6d0f6c4f7a01',
    ]);
    assert.equal(order[5], `thread:${podcast915}`);
  });

  test('maps pages to their URL, title and read-only state', async () => {
    const { threads } = await drain(readRemark42(fixture('remark42.jsonl')));
    assert.deepEqual(byId(threads, podcast912), {
      kind: 'thread',
      sourceId: podcast912,
      url: podcast912,
      title: 'Радио-Т 912',
      createdAt: null,
      locked: true,
      position: { kind: 'text', file: fixture('remark42.jsonl'), line: 2, column: 1 },
    });
    assert.equal(byId(threads, podcast915).locked, false);
  });

  test('keeps nesting, authors, instants in UTC, edits and deletions', async () => {
    const { comments } = await drain(readRemark42(fixture('remark42.jsonl')));
    const [first, second, deleted, fourth] = ['01', '02', '03', '04'].map((n) =>
      byId(comments, `8b5e3c1f-0c49-4a2f-9a1e-6d0f6c4f7a${n}`),
    ) as [
      (typeof comments)[number],
      (typeof comments)[number],
      (typeof comments)[number],
      (typeof comments)[number],
    ];
    assert.equal(first.parentSourceId, null);
    assert.equal(second.parentSourceId, first.sourceId);
    assert.equal(fourth.parentSourceId, deleted.sourceId);
    assert.equal(byId(comments, '299619021').parentSourceId, '299619020');
    assert.deepEqual(second.author, { name: 'Алексей Петров' });
    assert.equal(first.createdAt, '2024-05-12T00:04:05.123Z', 'nanoseconds and a -05:00 offset');
    assert.equal(second.createdAt, '2024-05-11T18:10:00.000Z');
    assert.equal(second.editedAt, '2024-05-11T18:15:30.000Z');
    assert.equal(first.editedAt, undefined);
    assert.equal(deleted.state, 'deleted');
    assert.equal(deleted.body.markdown, '');
    assert.equal(first.state, 'approved');
    assert.equal(second.position.kind === 'text' && second.position.line, 3);
  });

  test('keeps the Markdown its authors wrote, and converts HTML where there is none', async () => {
    const { comments } = await drain(readRemark42(fixture('remark42.jsonl')));
    assert.equal(
      byId(comments, '8b5e3c1f-0c49-4a2f-9a1e-6d0f6c4f7a02').body.markdown,
      '> was gold\n\nСогласен. Ссылка: [race detector](https://go.dev/doc/articles/race_detector)',
    );
    assert.equal(byId(comments, '299619021').body.markdown, 'Code sample:\n\n```go\nfmt.Println("hi")\n```');
    assert.equal(
      byId(comments, '299619020').body.markdown,
      'The quick brown fox jumps over the lazy dog & the cat.\n\n[some link](https://radio.example.org)',
      'a comment Remark42 imported from Disqus has only HTML',
    );
    assert.equal(
      byId(comments, '8b5e3c1f-0c49-4a2f-9a1e-6d0f6c4f7a04').body.markdown,
      'Replying to a deleted comment: *still* here.\n\nspoiler\n\nit ends well',
      'raw HTML inside the Markdown is converted',
    );
  });

  test('reads the gzipped daily backups as they are', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'colloquy-remark42-'));
    const gzipped = join(directory, 'backup-radio-20240601.gz');
    await writeFile(gzipped, gzipSync(await readFile(fixture('remark42.jsonl'))));
    const plain = await drain(readRemark42(fixture('remark42.jsonl')));
    const unzipped = await drain(readRemark42(gzipped));
    assert.deepEqual(unzipped.order, plain.order);
    assert.deepEqual(
      unzipped.comments.map((comment) => comment.body),
      plain.comments.map((comment) => comment.body),
    );

    const cut = join(directory, 'backup-radio-cut.gz');
    const bytes = gzipSync(await readFile(fixture('remark42.jsonl')));
    await writeFile(cut, bytes.subarray(0, bytes.length - 20));
    await assert.rejects(drain(readRemark42(cut)), (error: unknown) => {
      assert.ok(error instanceof ImportFormatError);
      assert.match(error.reason, /could not be read|not JSON/);
      return true;
    });
  });

  test('stops at the line and column where a truncated backup breaks off', async () => {
    await assert.rejects(drain(readRemark42(fixture('remark42-truncated.jsonl'))), (error: unknown) => {
      assert.ok(error instanceof ImportFormatError);
      assert.deepEqual(error.position, {
        kind: 'text',
        file: fixture('remark42-truncated.jsonl'),
        line: 6,
        column: 449,
      });
      assert.match(error.reason, /^this line is not JSON: /);
      return true;
    });
  });

  test('refuses a file that does not start with the meta record', async () => {
    await assert.rejects(drain(readRemark42(fixture('waline.json'))), ImportFormatError);
    const directory = await mkdtemp(join(tmpdir(), 'colloquy-remark42-'));
    const wrong = join(directory, 'wrong.jsonl');
    await writeFile(wrong, '{"id":"1","text":"a comment first"}\n');
    await assert.rejects(drain(readRemark42(wrong)), /not a Remark42 backup/);
  });
});
