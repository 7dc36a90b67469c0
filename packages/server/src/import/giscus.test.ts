import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readGiscus } from './giscus.js';
import { ImportFormatError } from './records.js';
import { byId, drain, fixture } from './testing.js';

const migration = 'D_kwDOHm4Wzs4AQ1a1';
const about = 'D_kwDOHm4Wzs4AQ1a2';

describe('giscus (GitHub Discussions) reader', () => {
  test('reads pages of GraphQL answers, each thread before its comments and replies', async () => {
    const { threads, comments, order } = await drain(readGiscus(fixture('giscus.json')));
    assert.deepEqual(
      threads.map((thread) => thread.sourceId),
      [migration, about],
    );
    assert.equal(comments.length, 6);
    assert.deepEqual(order.slice(0, 4), [
      `thread:${migration}`,
      'comment:DC_kwDOHm4Wzs4AbC01',
      'comment:DC_kwDOHm4Wzs4AbC02',
      'comment:DC_kwDOHm4Wzs4AbC03',
    ]);
  });

  test("takes the page's URL from the line giscus writes into the discussion", async () => {
    const { threads } = await drain(readGiscus(fixture('giscus.json')));
    assert.deepEqual(byId(threads, migration), {
      kind: 'thread',
      sourceId: migration,
      url: 'https://blog.example.dev/posts/giscus-migration/',
      title: 'posts/giscus-migration',
      createdAt: '2024-02-10T12:00:00.000Z',
      locked: false,
      position: { kind: 'text', file: fixture('giscus.json'), line: 11, column: 11 },
    });
    assert.equal(
      byId(threads, about).url,
      'https://blog.example.dev/about/',
      'or from a URL title (mapping "url")',
    );
    assert.equal(byId(threads, about).locked, true);
  });

  test('keeps replies under their comment, authors, times, edits and states', async () => {
    const { comments } = await drain(readGiscus(fixture('giscus.json')));
    assert.equal(byId(comments, 'DC_kwDOHm4Wzs4AbC01').parentSourceId, null);
    assert.equal(byId(comments, 'DC_kwDOHm4Wzs4AbC02').parentSourceId, 'DC_kwDOHm4Wzs4AbC01');
    assert.deepEqual(byId(comments, 'DC_kwDOHm4Wzs4AbC01').author, {
      name: 'octocat',
      url: 'https://github.com/octocat',
    });
    assert.deepEqual(byId(comments, 'DC_kwDOHm4Wzs4AbC03').author, { name: null }, 'a deleted account');
    assert.equal(byId(comments, 'DC_kwDOHm4Wzs4AbC02').createdAt, '2024-02-10T05:00:00.000Z');
    assert.equal(byId(comments, 'DC_kwDOHm4Wzs4AbC02').editedAt, '2024-02-10T05:05:00.000Z');
    assert.deepEqual(
      ['DC_kwDOHm4Wzs4AbC01', 'DC_kwDOHm4Wzs4AbC03', 'DC_kwDOHm4Wzs4AbC04', 'DC_kwDOHm4Wzs4AbC05'].map(
        (id) => byId(comments, id).state,
      ),
      ['approved', 'deleted', 'spam', 'approved'],
      'minimized as spam is spam; minimized as outdated is still shown',
    );
    assert.deepEqual(byId(comments, 'DC_kwDOHm4Wzs4AbC02').position, {
      kind: 'text',
      file: fixture('giscus.json'),
      line: 84,
      column: 23,
    });
  });

  test('keeps the Markdown body, and converts bodyHTML where there is no body', async () => {
    const { comments } = await drain(readGiscus(fixture('giscus.json')));
    assert.equal(
      byId(comments, 'DC_kwDOHm4Wzs4AbC01').body.markdown,
      "Nice! Does it keep **threads**?\n\n```js\nconsole.log('nested')\n```",
    );
    assert.equal(
      byId(comments, 'DC_kwDOHm4Wzs4AbC02').body.markdown,
      'Yes, one level, like GitHub. See [the docs](https://docs.github.com/en/discussions).',
    );
    assert.equal(
      byId(comments, 'DC_kwDOHm4Wzs4AbC05').body.markdown,
      "Only the HTML was exported & that's *fine*.\n\n> quoted",
    );
    assert.equal(byId(comments, 'DC_kwDOHm4Wzs4AbC06').body.markdown, 'Où est la page « à propos » ?');
  });

  test('reads an array of answers, or of discussions, the same way', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'colloquy-giscus-'));
    const pages = (await readFile(fixture('giscus.json'), 'utf8'))
      .trim()
      .split(/\n(?=\{)/)
      .map((page) => JSON.parse(page) as { data: { repository: { discussions: { nodes: unknown[] } } } });
    const slurped = join(directory, 'slurped.json');
    await writeFile(slurped, JSON.stringify(pages));
    const nodes = join(directory, 'nodes.json');
    await writeFile(nodes, JSON.stringify(pages.flatMap((page) => page.data.repository.discussions.nodes)));
    const expected = (await drain(readGiscus(fixture('giscus.json')))).order;
    assert.deepEqual((await drain(readGiscus(slurped))).order, expected);
    assert.deepEqual((await drain(readGiscus(nodes))).order, expected);
  });

  test('stops at a truncated file, and at a GraphQL error answer', async () => {
    await assert.rejects(drain(readGiscus(fixture('giscus-truncated.json'))), (error: unknown) => {
      assert.ok(error instanceof ImportFormatError);
      assert.deepEqual(error.position, {
        kind: 'text',
        file: fixture('giscus-truncated.json'),
        line: 152,
        column: 37,
      });
      assert.match(error.reason, /truncated/);
      return true;
    });
    const directory = await mkdtemp(join(tmpdir(), 'colloquy-giscus-'));
    const failed = join(directory, 'error.json');
    await writeFile(failed, '{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded"}]}');
    await assert.rejects(
      drain(readGiscus(failed)),
      /a GraphQL error, not discussions: API rate limit exceeded/,
    );
  });
});
