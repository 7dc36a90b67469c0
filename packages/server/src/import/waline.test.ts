import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ImportFormatError } from './records.js';
import { byId, drain, fixture } from './testing.js';
import { readWaline } from './waline.js';

describe('Waline export reader', () => {
  test('yields each page as a thread just before its first comment', async () => {
    const { threads, comments, skipped, order } = await drain(readWaline(fixture('waline.json')));
    assert.deepEqual(
      threads.map((thread) => thread.sourceId),
      ['/posts/hello-waline.html', '/about/'],
    );
    assert.equal(comments.length, 7, 'Counter and Users rows are not comments');
    assert.equal(skipped.length, 0);
    assert.deepEqual(order.slice(0, 2), ['thread:/posts/hello-waline.html', 'comment:1']);
    assert.equal(order.indexOf('thread:/about/'), order.indexOf('comment:6') - 1);
  });

  test('resolves page paths against the site when given', async () => {
    const { threads } = await drain(
      readWaline(fixture('waline.json'), { baseUrl: 'https://blog.example.de/' }),
    );
    assert.deepEqual(byId(threads, '/about/'), {
      kind: 'thread',
      sourceId: '/about/',
      url: 'https://blog.example.de/about/',
      title: null,
      createdAt: null,
      locked: false,
      position: { kind: 'text', file: fixture('waline.json'), line: 107, column: 4 },
    });
  });

  test('keeps nesting through pid, authors, times and states', async () => {
    const { comments } = await drain(readWaline(fixture('waline.json')));
    assert.equal(byId(comments, '1').parentSourceId, null);
    assert.equal(byId(comments, '2').parentSourceId, '1');
    assert.equal(byId(comments, '3').parentSourceId, '2', 'pid, the comment answered, not rid, the root');
    assert.equal(byId(comments, '6').parentSourceId, '7');
    assert.deepEqual(byId(comments, '1').author, {
      name: 'Lena Fischer',
      email: 'lena@example.de',
      url: 'https://lena.example.de',
    });
    assert.deepEqual(byId(comments, '2').author, { name: '小明', email: 'xiaoming@example.cn' });
    assert.equal(byId(comments, '1').createdAt, '2024-03-01T08:15:30.000Z');
    assert.equal(
      byId(comments, '4').createdAt,
      '2024-03-02T10:00:00.000Z',
      "SQLite storage's zone-less UTC time",
    );
    assert.deepEqual(
      ['1', '4', '5'].map((id) => byId(comments, id).state),
      ['approved', 'pending', 'spam'],
    );
    assert.deepEqual(byId(comments, '2').position, {
      kind: 'text',
      file: fixture('waline.json'),
      line: 31,
      column: 4,
    });
  });

  test('keeps the Markdown, converting raw HTML inside it', async () => {
    const { comments } = await drain(readWaline(fixture('waline.json')));
    assert.equal(
      byId(comments, '1').body.markdown,
      'Thanks for the write-up! Install with:\n\n```sh\nnpm i @waline/client\n```\n\nDocs: [waline.js.org](https://waline.js.org/)',
    );
    assert.equal(byId(comments, '2').body.markdown, '同意！\\\n还有一个问题 :smile: 🎉');
    assert.equal(byId(comments, '3').body.markdown, '> 还有一个问题\n\nAsk away — *gern*.');
    assert.equal(byId(comments, '5').body.markdown, '[BUY NOW](http://spam.example)');
  });

  test('stops at the end of a truncated export', async () => {
    await assert.rejects(drain(readWaline(fixture('waline-truncated.json'))), {
      name: 'ImportFormatError',
      message: `${fixture('waline-truncated.json')}:89:15: the file ends in the middle of the JSON document: it is truncated`,
    });
  });

  test('stops at malformed JSON, and refuses other JSON files', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'colloquy-waline-'));
    const broken = join(directory, 'broken.json');
    await writeFile(
      broken,
      '{\n\t"type": "waline",\n\t"data": {\n\t\t"Comment": [\n\t\t\t{ "objectId": 1, "comment": "hi" "nick": "x" }\n\t\t]\n\t}\n}\n',
    );
    await assert.rejects(drain(readWaline(broken)), (error: unknown) => {
      assert.ok(error instanceof ImportFormatError);
      assert.deepEqual(
        error.position.kind === 'text' && [error.position.line, error.position.column],
        [5, 37],
      );
      assert.match(error.reason, /not well-formed/);
      return true;
    });
    const other = join(directory, 'other.json');
    await writeFile(other, '{"type":"twikoo","data":{"Comment":[]}}');
    await assert.rejects(drain(readWaline(other)), /not a Waline export: its "type" is "twikoo"/);
  });
});
