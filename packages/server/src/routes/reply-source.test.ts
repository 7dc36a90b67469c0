import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EDIT_TOKEN_HEADER, type Reply, type Topic } from '@colloquy/api';
import { ADMIN_TOKEN, expectProblem, json, seededApp } from '../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('a reply’s Markdown source', () => {
  const t = seededApp();

  async function posted(body: string) {
    const res = await t.postReply('rsp-update', { authorName: 'Ann', body });
    assert.equal(res.status, 201);
    return (await res.json()) as Reply & { editToken: string };
  }
  const read = (id: string, headers: Record<string, string> = {}) =>
    t.app.request(`/api/v1/replies/${id}`, { headers });

  it('is rendered as written: leading white space is Markdown', async () => {
    const reply = await posted('    indented code\n');
    assert.deepEqual(reply.body, [{ t: 'pre', v: 'indented code\n' }]);
  });

  it('goes to the author’s edit token and the admin token only, never into a shared copy', async () => {
    const source = '  *spaced* start\n\n- item';
    const { id, editToken } = await posted(source);

    const open = await read(id);
    const etag = open.headers.get('ETag');
    assert.ok(etag);
    assert.equal(((await open.json()) as Reply).source, undefined);
    assert.match(open.headers.get('Vary') ?? '', new RegExp(EDIT_TOKEN_HEADER, 'i'));
    assert.match(open.headers.get('Vary') ?? '', /Authorization/);

    for (const headers of [{ [EDIT_TOKEN_HEADER]: editToken }, admin]) {
      // The public copy's tag is no answer to them: they get the source, privately, untagged.
      const res = await read(id, { ...headers, 'If-None-Match': etag });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as Reply).source, source);
      assert.equal(res.headers.get('Cache-Control'), 'private, no-store');
      assert.equal(res.headers.get('ETag'), null);
    }
    assert.equal((await read(id, { 'If-None-Match': etag })).status, 304);
  });

  it('is refused (403) to a wrong edit token', async () => {
    const { id } = await posted('mine');
    const other = await posted('theirs');
    const problem = await expectProblem(await read(id, { [EDIT_TOKEN_HEADER]: other.editToken }), 403);
    assert.match(problem.type, /wrong-edit-token/);
  });

  it('follows the author’s edit, kept as written', async () => {
    const { id, editToken } = await posted('first');
    const res = await t.app.request(
      `/api/v1/replies/${id}`,
      json({ body: '\n  second *take*' }, { [EDIT_TOKEN_HEADER]: editToken }, 'PATCH'),
    );
    assert.equal(res.status, 200);
    const mine = (await (await read(id, { [EDIT_TOKEN_HEADER]: editToken })).json()) as Reply;
    assert.equal(mine.source, '\n  second *take*');
    assert.deepEqual(mine.body, [
      {
        t: 'p',
        c: [
          { t: 'text', v: 'second ' },
          { t: 'em', c: [{ t: 'text', v: 'take' }] },
        ],
      },
    ]);
  });

  it('refuses a body of white space alone (422), posted or edited', async () => {
    const blank = await expectProblem(
      await t.postReply('rsp-update', { authorName: 'A', body: ' \n\t ' }),
      422,
    );
    assert.match(blank.detail, /body must be 1–10,000 characters/);
    const { id, editToken } = await posted('fine');
    await expectProblem(
      await t.app.request(
        `/api/v1/replies/${id}`,
        json({ body: '\n\n' }, { [EDIT_TOKEN_HEADER]: editToken }, 'PATCH'),
      ),
      422,
    );
  });

  it('of a hidden reply never reaches its author, only moderators', async () => {
    const { id, editToken } = await posted('secret words');
    assert.equal((await t.app.request(`/api/v1/admin/replies/${id}/hide`, json({}, admin))).status, 200);
    const mine = (await (await read(id, { [EDIT_TOKEN_HEADER]: editToken })).json()) as Reply;
    assert.equal(mine.source, undefined);
    assert.deepEqual(mine.body, []);
    assert.equal(((await (await read(id, admin)).json()) as Reply).source, 'secret words');
  });

  it('of a topic body is kept as written too: not trimmed, and read back by moderators only', async () => {
    const res = await t.post('/api/v1/topics', { id: 'src-topic', title: 'T', body: '    code' }, admin);
    assert.equal(res.status, 201);
    assert.deepEqual(((await res.json()) as Topic).body, [{ t: 'pre', v: 'code\n' }]);
    const path = '/api/v1/admin/topics/src-topic/source';
    const read = await t.app.request(path, { headers: admin });
    assert.equal(read.status, 200);
    assert.deepEqual(await read.json(), { id: 'src-topic', source: '    code' });
    assert.equal(read.headers.get('Cache-Control'), 'private, no-store');
    await expectProblem(await t.app.request(path), 401);
    await expectProblem(await t.app.request('/api/v1/admin/topics/none/source', { headers: admin }), 404);
  });
});
