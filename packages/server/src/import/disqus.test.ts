import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readDisqus } from './disqus.js';
import { ImportFormatError } from './records.js';
import { byId, drain, fixture } from './testing.js';

describe('Disqus reader', () => {
  test('reads every thread and post, in file order', async () => {
    const { threads, comments, skipped, order } = await drain(readDisqus(fixture('disqus.xml')));
    assert.deepEqual(
      threads.map((thread) => thread.sourceId),
      ['7001001', '7001002'],
    );
    assert.equal(comments.length, 9);
    assert.deepEqual(
      skipped.map((record) => [record.what, record.sourceId, record.reason]),
      [['thread', '7001003', 'deleted in Disqus']],
    );
    assert.deepEqual(order.slice(0, 4), [
      'thread:7001001',
      'thread:7001002',
      'skipped:7001003',
      'comment:5500001',
    ]);
  });

  test('maps threads to their page, title, date and closed state', async () => {
    const { threads } = await drain(readDisqus(fixture('disqus.xml')));
    assert.deepEqual(byId(threads, '7001001'), {
      kind: 'thread',
      sourceId: '7001001',
      url: 'https://blog.example.org/2024/10/rsp-update/',
      title: 'Updated Responsible Scaling Policy: a step towards safe AI',
      createdAt: '2024-10-15T08:30:00.000Z',
      locked: false,
      position: { kind: 'text', file: fixture('disqus.xml'), line: 10, column: 2 },
    });
    const closed = byId(threads, '7001002');
    assert.equal(closed.title, 'Радио-Т: выпуск 229');
    assert.equal(closed.locked, true);
  });

  test('keeps nesting through parent ids, including a parent listed later', async () => {
    const { comments } = await drain(readDisqus(fixture('disqus.xml')));
    assert.equal(byId(comments, '5500001').parentSourceId, null);
    assert.equal(byId(comments, '5500002').parentSourceId, '5500001');
    assert.equal(byId(comments, '5500003').parentSourceId, '5500002');
    const early = comments.findIndex((comment) => comment.sourceId === '5500007');
    const parent = comments.findIndex((comment) => comment.sourceId === '5500006');
    assert.equal(byId(comments, '5500007').parentSourceId, '5500006');
    assert.ok(early < parent, 'the reply comes first in the file, as in the fixture');
    assert.equal(byId(comments, '5500008').threadSourceId, '7001003');
  });

  test('maps authors, UTC times and states', async () => {
    const { comments } = await drain(readDisqus(fixture('disqus.xml')));
    assert.deepEqual(byId(comments, '5500001').author, { name: 'Юлия Смирнова', email: 'yulia@example.net' });
    assert.deepEqual(byId(comments, '5500003').author, { name: 'José Álvarez' });
    assert.equal(byId(comments, '5500001').createdAt, '2024-10-15T09:02:11.000Z');
    assert.equal(
      byId(comments, '5500003').createdAt,
      '2024-10-15T11:20:00.000Z',
      'a time without a zone is UTC',
    );
    assert.equal(byId(comments, '5500004').state, 'deleted');
    assert.equal(byId(comments, '5500005').state, 'spam');
    assert.equal(byId(comments, '5500001').state, 'approved');
    assert.equal(
      byId(comments, 'legacy-1001').author.name,
      'Legacy Reader',
      'falls back to <id> without dsq:id',
    );
  });

  test('converts messages to Markdown', async () => {
    const { comments } = await drain(readDisqus(fixture('disqus.xml')));
    assert.equal(
      byId(comments, '5500001').body.markdown,
      "Good to see the thresholds written down & dated. The part on **capability** evaluations is the one I'd read first.\n\n" +
        'Context: [https://www.example.com/rsp...](https://www.example.com/rsp?v=2)',
    );
    assert.equal(
      byId(comments, '5500002').body.markdown,
      '> The part on capability evaluations\n\nAgreed. The evaluation loop is roughly:\n\n```\nfor model in checkpoints:\n    if score(model) >= threshold:\n        escalate(model)\n```',
    );
    assert.equal(
      byId(comments, '5500003').body.markdown,
      'Two questions:\n\n- Who audits the audits?\n- What happens at *ASL-4*?\n\nThanks — José',
    );
    assert.equal(
      byId(comments, '5500005').body.markdown,
      'Cheap watches!!! [click here](http://spam.example/buy)',
    );
    assert.equal(byId(comments, '5500004').body.markdown, '');
    assert.equal(
      byId(comments, '5500006').body.markdown,
      'Microsoft показал проводник Windows 8 с ленточным интерфейсом.\\\nСсылка: [blogs.example.com/b8/...](http://blogs.example.com/b8/archive/2011/08/29/explorer.aspx)',
    );
  });

  test('reports progress in bytes of the file', async () => {
    const reader = readDisqus(fixture('disqus.xml'));
    await drain(reader);
    assert.equal(reader.progress.unit, 'bytes');
    assert.ok(reader.progress.total !== null && reader.progress.total > 0);
    assert.equal(reader.progress.done, reader.progress.total);
  });

  test('stops at the place where a truncated export ends', async () => {
    const reader = readDisqus(fixture('disqus-truncated.xml'));
    await assert.rejects(drain(reader), (error: unknown) => {
      assert.ok(error instanceof ImportFormatError);
      assert.equal(error.position.kind, 'text');
      assert.deepEqual(error.position.kind === 'text' && [error.position.line, error.position.file], [
        89,
        fixture('disqus-truncated.xml'),
      ]);
      assert.match(error.reason, /not well-formed/);
      assert.match(error.message, /disqus-truncated\.xml:89:\d+: /);
      return true;
    });
  });

  test('stops at a malformed element, and at a post without a date', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'colloquy-disqus-'));
    const mismatched = join(directory, 'mismatched.xml');
    await writeFile(
      mismatched,
      '<disqus xmlns="http://disqus.com">\n  <post>\n    <id>1</id></thread>\n</disqus>\n',
    );
    await assert.rejects(drain(readDisqus(mismatched)), (error: unknown) => {
      assert.ok(error instanceof ImportFormatError);
      assert.deepEqual(error.position.kind === 'text' && error.position.line, 3);
      return true;
    });
    const undated = join(directory, 'undated.xml');
    await writeFile(
      undated,
      '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n<post dsq:id="9"><thread dsq:id="1"/><createdAt>yesterday</createdAt></post>\n</disqus>\n',
    );
    await assert.rejects(drain(readDisqus(undated)), {
      name: 'ImportFormatError',
      message: `${undated}:2:1: "yesterday" is not a date and time`,
    });
    const wrongRoot = join(directory, 'wrong-root.xml');
    await writeFile(wrongRoot, '<rss><channel/></rss>');
    await assert.rejects(drain(readDisqus(wrongRoot)), /not a Disqus export: its root element is <rss>/);
  });
});
