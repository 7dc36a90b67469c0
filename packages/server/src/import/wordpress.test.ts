import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ImportFormatError } from './records.js';
import { byId, drain, fixture } from './testing.js';
import { readWordPress } from './wordpress.js';

describe('WordPress (WXR) reader', () => {
  test('yields a thread for each post with comments, before its comments', async () => {
    const { threads, comments, skipped, order } = await drain(readWordPress(fixture('wordpress.xml')));
    assert.deepEqual(
      threads.map((thread) => thread.sourceId),
      ['18', '2'],
      'the attachment without comments yields none',
    );
    assert.equal(comments.length, 7);
    assert.deepEqual(
      skipped.map((record) => [record.sourceId, record.reason]),
      [['10', 'pingbacks are links from other sites, not replies']],
    );
    assert.equal(order[0], 'thread:18');
    assert.equal(order.indexOf('thread:2'), order.indexOf('comment:3') - 1);
  });

  test('maps posts to their link, title, GMT date and comment status', async () => {
    const { threads } = await drain(readWordPress(fixture('wordpress.xml')));
    const post = byId(threads, '18');
    assert.equal(post.url, 'https://notes.example.org/2024/01/hello-nordic-winter/');
    assert.equal(post.title, 'Hello, Nordic winter');
    assert.equal(post.createdAt, '2024-01-14T17:31:03.000Z', 'post_date_gmt, not the local post_date');
    assert.equal(post.locked, false);
    const page = byId(threads, '2');
    assert.equal(page.locked, true);
    assert.equal(page.createdAt, '2024-01-01T09:00:00.000Z', 'pubDate when post_date_gmt was never set');
    assert.deepEqual(post.position, { kind: 'text', file: fixture('wordpress.xml'), line: 36, column: 2 });
  });

  test('keeps nesting, authors, GMT times and states', async () => {
    const { comments } = await drain(readWordPress(fixture('wordpress.xml')));
    assert.equal(byId(comments, '2').parentSourceId, null);
    assert.equal(byId(comments, '4').parentSourceId, '2');
    assert.equal(byId(comments, '6').parentSourceId, '4');
    assert.equal(byId(comments, '7').parentSourceId, '6');
    assert.ok(comments.indexOf(byId(comments, '7')) < comments.indexOf(byId(comments, '6')));
    assert.deepEqual(byId(comments, '2').author, {
      name: 'Åsa Lindqvist',
      email: 'asa@example.se',
      url: 'https://asa.example.se/',
    });
    assert.deepEqual(
      byId(comments, '7').author,
      { name: 'Tomás Ó Briain', email: 'tomas@example.ie' },
      'WordPress\'s empty "http://" is no URL',
    );
    assert.deepEqual(byId(comments, '9').author, { name: 'Regretful' });
    assert.equal(byId(comments, '2').createdAt, '2024-01-14T18:02:12.000Z');
    assert.equal(
      byId(comments, '8').createdAt,
      '2024-01-17T06:00:00.000Z',
      'comment_date when comment_date_gmt is unset',
    );
    assert.deepEqual(
      ['2', '8', '9'].map((id) => byId(comments, id).state),
      ['approved', 'pending', 'deleted'],
    );
  });

  test('reads comment text as WordPress displays it, then as Markdown', async () => {
    const { comments } = await drain(readWordPress(fixture('wordpress.xml')));
    assert.equal(
      byId(comments, '2').body.markdown,
      'Snow in *January* is normal here & we love it.\\\nBring boots.\n\nAlso: [the forecast](https://www.example.se/weather).',
    );
    assert.equal(
      byId(comments, '4').body.markdown,
      '> Bring boots.\n\nGood advice. I use `git log --since=2024-01-01` to date my photos, oddly.',
    );
    assert.equal(byId(comments, '6').body.markdown, 'У нас тоже снег. **Много** снега!');
    assert.equal(
      byId(comments, '3').body.markdown,
      'Lovely page. Three things:\n\n- more photos\n- a map\n\nand 5 < 7.',
    );
  });

  test('stops where a truncated export ends', async () => {
    await assert.rejects(drain(readWordPress(fixture('wordpress-truncated.xml'))), (error: unknown) => {
      assert.ok(error instanceof ImportFormatError);
      assert.deepEqual(error.position.kind === 'text' && [error.position.file, error.position.line], [
        fixture('wordpress-truncated.xml'),
        118,
      ]);
      assert.match(error.reason, /not well-formed/);
      return true;
    });
  });

  test('refuses a file that is not a WXR export', async () => {
    await assert.rejects(
      drain(readWordPress(fixture('disqus.xml'))),
      /not a WordPress export: its root element is <disqus>/,
    );
  });
});
