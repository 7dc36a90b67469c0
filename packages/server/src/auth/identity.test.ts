import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CreatedReply, Reply, ReplyPage, TopicSummaries, TopicWithReplies } from '@colloquy/api';
import { ADMIN_TOKEN, expectProblem, json, ORIGIN, testApp } from '../testing/helpers.js';

type TestApp = Awaited<ReturnType<typeof testApp>>;
const READER = 'reader-key-0123456789';
const JWT_SECRET = 'site-jwt-secret-for-tests';
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT as a host site would sign it. */
function jwt(
  claims: Record<string, unknown>,
  { secret = JWT_SECRET, header = { alg: 'HS256', typ: 'JWT' } as Record<string, unknown> } = {},
) {
  const head = `${b64(header)}.${b64(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('identity and own edits', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ jwtSecret: JWT_SECRET });
    await t.app.request('/api/v1/topics', json({ id: 'topic', title: 'Topic' }, admin));
  });
  after(() => t.close());

  const postReply = async (body: object, headers: Record<string, string> = {}) =>
    t.app.request('/api/v1/topics/topic/replies', json(body, { 'X-Colloquy-Reader': READER, ...headers }));
  const created = async (body: object, headers: Record<string, string> = {}) => {
    const res = await postReply(body, headers);
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as CreatedReply;
  };
  const edit = (id: string, token: string | undefined, body: object) =>
    t.app.request(
      `/api/v1/replies/${id}`,
      json(body, token === undefined ? {} : { 'X-Colloquy-Edit-Token': token }, 'PATCH'),
    );
  const remove = (id: string, token: string) =>
    t.app.request(`/api/v1/replies/${id}`, {
      method: 'DELETE',
      headers: { Origin: ORIGIN, 'X-Colloquy-Edit-Token': token },
    });

  it('returns an edit token to the author only, and never a reader key or token elsewhere', async () => {
    const res = await postReply({ authorName: 'Ann', body: 'mine' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('Cache-Control'), 'no-store', 'the edit token is kept out of caches');
    const reply = (await res.json()) as CreatedReply;
    assert.match(reply.editToken, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Date.parse(reply.editableUntil) - Date.parse(reply.createdAt), 15 * 60 * 1000);
    for (const [path, headers] of [
      [`/api/v1/replies/${reply.id}`, { 'X-Colloquy-Reader': READER }],
      ['/api/v1/topics/topic', { 'X-Colloquy-Reader': READER }],
      ['/api/v1/topics/topic/replies', {}],
      ['/api/v1/topics?ids=topic', {}],
    ] as const) {
      // Each body is read at once: a response kept unread while others are made may lose its
      // body to undici's clean-up of the ETag middleware's clone.
      const res = await t.app.request(path, { headers });
      const text = await res.text();
      assert.equal(res.status, 200);
      assert.ok(!text.includes(reply.editToken), 'no edit token');
      assert.ok(!text.includes(READER), 'no reader key');
      assert.ok(!/editToken|reader|hash|sub"/i.test(text), text);
    }
  });

  it('lets the author edit within the window; the reply gets editedAt', async () => {
    const reply = await created({ authorName: 'Ann', body: 'typo hree' });
    assert.equal(reply.editedAt, null);
    const res = await edit(reply.id, reply.editToken, { body: 'typo **here**' });
    assert.equal(res.status, 200);
    const edited = (await res.json()) as Reply;
    assert.equal(edited.text, 'typo here');
    assert.ok(edited.editedAt && Date.parse(edited.editedAt) >= Date.parse(reply.createdAt));
    assert.equal(edited.author.name, 'Ann');
    assert.ok(!('editToken' in edited));
    const fetched = (await (await t.app.request(`/api/v1/replies/${reply.id}`)).json()) as Reply;
    assert.equal(fetched.text, 'typo here');
  });

  it('refuses a wrong or another reply’s token with 403 and a missing one with 400', async () => {
    const a = await created({ authorName: 'Ann', body: 'a' });
    const b = await created({ authorName: 'Bob', body: 'b' });
    const wrong = await expectProblem(await edit(a.id, b.editToken, { body: 'hijack' }), 403);
    assert.match(wrong.detail, /X-Colloquy-Edit-Token/);
    await expectProblem(await edit(a.id, 'x', { body: 'hijack' }), 403);
    await expectProblem(await remove(a.id, b.editToken), 403);
    const missing = await expectProblem(await edit(a.id, undefined, { body: 'hijack' }), 400);
    assert.match(missing.detail, /X-Colloquy-Edit-Token/);
    assert.equal(((await (await t.app.request(`/api/v1/replies/${a.id}`)).json()) as Reply).text, 'a');
  });

  it('refuses edits and deletes once the edit window is over (403)', async () => {
    const late = await testApp({ editWindowSeconds: 0 });
    try {
      await late.app.request('/api/v1/topics', json({ id: 'topic', title: 'Topic' }, admin));
      const reply = (await (
        await late.app.request('/api/v1/topics/topic/replies', json({ authorName: 'A', body: 'b' }))
      ).json()) as CreatedReply;
      const problem = await expectProblem(
        await late.app.request(
          `/api/v1/replies/${reply.id}`,
          json({ body: 'changed' }, { 'X-Colloquy-Edit-Token': reply.editToken }, 'PATCH'),
        ),
        403,
      );
      assert.equal(problem.type, 'urn:colloquy:problem:edit-window-over');
      await expectProblem(
        await late.app.request(`/api/v1/replies/${reply.id}`, {
          method: 'DELETE',
          headers: { Origin: ORIGIN, 'X-Colloquy-Edit-Token': reply.editToken },
        }),
        403,
      );
    } finally {
      await late.close();
    }
  });

  it('deletes a reply in place: children stay attached, the author and text go, counts follow', async () => {
    await t.app.request('/api/v1/topics', json({ id: 'deleting', title: 'Deleting' }, admin));
    const post = async (body: object) => {
      const res = await t.app.request('/api/v1/topics/deleting/replies', json(body));
      assert.equal(res.status, 201);
      return (await res.json()) as CreatedReply;
    };
    const parent = await post({ authorName: 'Parent', body: 'parent text' });
    const child = await post({ authorName: 'Child', body: 'child text', parentId: parent.id });
    const before = (await (await t.app.request('/api/v1/topics/deleting')).json()) as TopicWithReplies;
    assert.equal(before.replyCount, 2);
    const res = await remove(parent.id, parent.editToken);
    assert.equal(res.status, 200);
    const gone = (await res.json()) as Reply;
    assert.deepEqual([gone.status, gone.author.name, gone.body, gone.text], ['deleted', '', [], '']);
    const page = (await (await t.app.request('/api/v1/topics/deleting/replies')).json()) as ReplyPage;
    assert.deepEqual(
      page.replies.map((r) => [r.id, r.status, r.parentId]),
      [
        [parent.id, 'deleted', null],
        [child.id, 'published', parent.id],
      ],
    );
    assert.equal(page.total, 1);
    assert.ok(!JSON.stringify(page).includes('parent text'));
    assert.ok(!JSON.stringify(page).includes('Parent'));
    // The child is now the latest reply; deleting it empties the summary.
    const summary = ((await (await t.app.request('/api/v1/topics?ids=deleting')).json()) as TopicSummaries)
      .topics[0]!;
    assert.equal(summary.latestReply?.id, child.id);
    await remove(child.id, child.editToken);
    const after = ((await (await t.app.request('/api/v1/topics?ids=deleting')).json()) as TopicSummaries)
      .topics[0]!;
    assert.deepEqual([after.replyCount, after.latestReply], [0, null]);
    // Once deleted, it can be neither edited nor deleted again, nor replied to.
    await expectProblem(await edit(parent.id, parent.editToken, { body: 'back' }), 404);
    await expectProblem(await remove(parent.id, parent.editToken), 404);
    await expectProblem(
      await t.app.request(
        '/api/v1/topics/deleting/replies',
        json({ authorName: 'x', body: 'y', parentId: parent.id }),
      ),
      422,
    );
  });

  describe('signed-in users (JWT)', () => {
    it('marks a reply verified, with the name from the token', async () => {
      const token = jwt({ sub: 'user-1', name: 'Dana Verified', exp: inAnHour() });
      const reply = await created(
        { authorName: 'ignored', body: 'signed in' },
        { Authorization: `Bearer ${token}` },
      );
      assert.deepEqual(reply.author, { name: 'Dana Verified', verified: true });
      const fetched = (await (await t.app.request(`/api/v1/replies/${reply.id}`)).json()) as Reply;
      assert.deepEqual(fetched.author, { name: 'Dana Verified', verified: true });
      // authorName may be left out when signed in.
      const bare = await created({ body: 'no name field' }, { Authorization: `Bearer ${token}` });
      assert.equal(bare.author.name, 'Dana Verified');
    });

    it('never marks an anonymous reply verified', async () => {
      const reply = await created({ authorName: 'Anon', body: 'x' });
      assert.deepEqual(reply.author, { name: 'Anon' });
      await expectProblem(await postReply({ authorName: 'Anon', body: 'x', verified: true }), 422);
      await expectProblem(
        await postReply({ authorName: 'Anon', body: 'x', author: { name: 'Anon', verified: true } }),
        422,
      );
    });

    it('refuses an anonymous name equal to a signed-in user’s, however it is spelled (409)', async () => {
      await created(
        { body: 'claiming my name' },
        { Authorization: `Bearer ${jwt({ sub: 'user-2', name: 'Erin Example', exp: inAnHour() })}` },
      );
      for (const spelling of [
        'Erin Example',
        'erin example',
        '  ERIN   EXAMPLE ',
        'Ｅｒｉｎ Ｅｘａｍｐｌｅ',
        'Erin Ехаmрlе', // Cyrillic letters
      ]) {
        const problem = await expectProblem(await postReply({ authorName: spelling, body: 'impostor' }), 409);
        assert.match(problem.detail, /signed-in user/);
      }
      // An invisible character no longer slips a name past: it is refused outright.
      await expectProblem(await postReply({ authorName: 'Erin\u200b Example', body: 'impostor' }), 422);
      assert.equal((await postReply({ authorName: 'Erin Examples', body: 'someone else' })).status, 201);
    });

    it('refuses none, other algorithms, a wrong signature, expiry and missing claims with 401', async () => {
      const claims = { sub: 'user-3', name: 'Fay', exp: inAnHour() };
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      const cases: Array<[string, string, RegExp]> = [
        ['alg none', none, /HS256/],
        ['alg none with a signature', jwt(claims, { header: { alg: 'none' } }), /HS256/],
        ['alg HS512', jwt(claims, { header: { alg: 'HS512' } }), /HS256/],
        ['alg hs256 (case)', jwt(claims, { header: { alg: 'hs256' } }), /HS256/],
        ['wrong secret', jwt(claims, { secret: 'another-secret' }), /signature/],
        ['expired', jwt({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }), /expired/],
        ['no exp', jwt({ sub: 'user-3', name: 'Fay' }), /exp/],
        ['exp as a string', jwt({ ...claims, exp: String(inAnHour()) }), /exp/],
        ['not yet valid', jwt({ ...claims, nbf: inAnHour() }), /not valid yet/],
        ['no sub', jwt({ name: 'Fay', exp: inAnHour() }), /sub/],
        ['no name', jwt({ sub: 'user-3', exp: inAnHour() }), /name/],
        ['a name with a newline', jwt({ ...claims, name: 'Fay\nAdmin' }), /name/],
        ['garbage', 'not.a.jwt!', /JWT/],
      ];
      for (const [what, token, detail] of cases) {
        const res = await postReply({ authorName: 'Fay', body: 'x' }, { Authorization: `Bearer ${token}` });
        const problem = await expectProblem(res, 401);
        assert.match(problem.detail, detail, what);
        assert.match(res.headers.get('WWW-Authenticate')!, /^Bearer/, what);
      }
    });

    it('refuses sign-in tokens when no JWT secret is configured (401)', async () => {
      const plain = await testApp();
      try {
        await plain.app.request('/api/v1/topics', json({ id: 'topic', title: 'Topic' }, admin));
        const problem = await expectProblem(
          await plain.app.request(
            '/api/v1/topics/topic/replies',
            json(
              { authorName: 'A', body: 'b' },
              { Authorization: `Bearer ${jwt({ sub: 's', name: 'n', exp: inAnHour() })}` },
            ),
          ),
          401,
        );
        assert.match(problem.detail, /COLLOQUY_JWT_SECRET/);
      } finally {
        await plain.close();
      }
    });
  });
});
