import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultConfig } from './index.js';
import { ADMIN_TOKEN, expectProblem, json, ORIGIN, seededApp, testApp } from './testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const topicPath = (id: string) => `/api/v1/topics/${encodeURIComponent(id)}`;

describe('app', () => {
  const t = seededApp();

  describe('unknown routes and methods', () => {
    it('answers 404 problem for an unknown path and 405 with Allow for a wrong method', async () => {
      await expectProblem(await t.app.request('/nope'), 404);
      await expectProblem(await t.app.request('/api/v2/topics/x'), 404);
      const res = await t.app.request(topicPath('rsp-update'), {
        method: 'DELETE',
        headers: { Origin: ORIGIN },
      });
      await expectProblem(res, 405);
      assert.equal(res.headers.get('Allow'), 'GET, HEAD, OPTIONS');
      const put = await t.app.request('/api/v1/topics', json({}, admin));
      assert.equal(put.status, 422, 'POST is allowed on /api/v1/topics');
      await expectProblem(await t.app.request('/healthz', { method: 'POST' }), 405);
    });

    it('lists in Allow what each path answers, as the routes are registered', async () => {
      const allow = async (path: string, method = 'PUT') => {
        const headers = {
          Origin: ORIGIN,
          'Content-Type': 'application/json',
          ...(path.includes('/admin/') ? admin : {}),
        };
        const res = await t.app.request(path, { method, headers });
        await expectProblem(res, 405);
        return res.headers.get('Allow');
      };
      assert.equal(await allow('/api/v1/topics'), 'GET, HEAD, POST, OPTIONS');
      assert.equal(await allow('/api/v1/topics/rsp-update/replies'), 'GET, HEAD, POST, OPTIONS');
      assert.equal(await allow('/api/v1/topics/rsp-update/events'), 'GET, HEAD, OPTIONS');
      assert.equal(await allow('/api/v1/replies/r1'), 'GET, HEAD, PATCH, DELETE, OPTIONS');
      assert.equal(await allow('/api/v1/replies/r1/reactions'), 'POST, OPTIONS');
      assert.equal(await allow('/api/v1/admin/replies/r1/approve'), 'POST, OPTIONS');
      assert.equal(await allow('/api/v1/admin/replies/r1'), 'DELETE, OPTIONS');
      assert.equal(await allow('/api/v1/challenge'), 'GET, HEAD, OPTIONS');
      assert.equal(await allow('/api/v1/messages/de'), 'GET, HEAD, OPTIONS');
      assert.equal(await allow('/widget.js', 'POST'), 'GET, HEAD');
    });

    it('needs no list beside the routes: a route added to the app is a known path at once', async () => {
      const extra = await testApp();
      try {
        extra.app.put('/api/v1/things/:id', (c) => c.json({ put: c.req.param('id') }));
        assert.equal(
          (
            await extra.app.request('/api/v1/things/1', {
              method: 'PUT',
              headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
              body: '{}',
            })
          ).status,
          200,
        );
        const res = await extra.app.request('/api/v1/things/1', { headers: { Origin: ORIGIN } });
        await expectProblem(res, 405);
        assert.equal(res.headers.get('Allow'), 'PUT, OPTIONS');
        await expectProblem(await extra.app.request('/api/v1/things/1/more'), 404);
        await expectProblem(await extra.app.request('/api/v1/other'), 404);
      } finally {
        await extra.close();
      }
    });
  });
});

describe('a store that fails', () => {
  it('makes /healthz answer 503 and other routes 500, as problems', async () => {
    const t = await testApp();
    await t.store.close();
    const originalError = console.error;
    console.error = () => {}; // the expected failure is logged; keep the test output clean
    try {
      const problem = await expectProblem(await t.app.request('/healthz'), 503);
      assert.equal(problem.type, 'urn:colloquy:problem:store-unavailable');
      // A real server fault elsewhere is a 500 problem that leaks nothing of the error.
      const fault = await expectProblem(await t.app.request(topicPath('rsp-update')), 500);
      assert.equal(fault.type, 'urn:colloquy:problem:internal');
      assert.doesNotMatch(fault.detail, /database|sqlite/i);
    } finally {
      console.error = originalError;
      await t.close();
    }
  });
});

describe('the widget package, to the server', () => {
  it('is a place to find built files, never code it imports', () => {
    const src = new URL('./', import.meta.url);
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    assert.ok(files.length > 20, 'the walk found the sources');
    for (const file of files) {
      assert.doesNotMatch(
        readFileSync(new URL(file, src), 'utf8'),
        /from '@colloquy\/widget|import\('@colloquy\/widget/,
        file,
      );
    }
  });

  it('has its catalogs built where the server looks by default: English first, then every other language', () => {
    const { catalogsPath } = defaultConfig();
    assert.ok(statSync(catalogsPath).isFile(), `${catalogsPath} is built`);
    const catalogs = JSON.parse(readFileSync(catalogsPath, 'utf8')) as Record<string, Record<string, string>>;
    const [first, ...others] = Object.keys(catalogs);
    assert.equal(first, 'en');
    assert.ok(others.includes('de') && others.includes('ar'), `languages: ${others.join(', ')}`);
    const english = Object.keys(catalogs.en ?? {}).sort();
    for (const lang of others)
      assert.deepEqual(Object.keys(catalogs[lang] ?? {}).sort(), english, `${lang} has every string`);
  });
});
