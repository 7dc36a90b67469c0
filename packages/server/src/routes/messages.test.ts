import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expectProblem, testApp } from '../testing/helpers.js';

type TestApp = Awaited<ReturnType<typeof testApp>>;

describe('GET /api/v1/messages/:lang', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    t.config.catalogsPath = join(t.dir, 'catalogs.json');
  });
  after(() => t.close());

  it('answers 503 with a hint while the catalogs are not built', async () => {
    const problem = await expectProblem(await t.app.request('/api/v1/messages/de'), 503);
    assert.equal(problem.detail, "The widget's message catalogs have not been built; run npm run build.");
  });

  it('serves one language of the built catalogs, cacheable for a day, and 404 naming the others', async () => {
    await writeFile(
      t.config.catalogsPath,
      JSON.stringify({ en: { like: 'Like' }, de: { like: 'Gefällt mir' } }),
    );
    const res = await t.app.request('/api/v1/messages/de');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Content-Type'), 'application/json');
    assert.equal(res.headers.get('Cache-Control'), 'public, max-age=86400, stale-while-revalidate=604800');
    assert.deepEqual(await res.json(), { like: 'Gefällt mir' });
    const etag = res.headers.get('ETag');
    assert.ok(etag);
    assert.equal(
      (await t.app.request('/api/v1/messages/de', { headers: { 'If-None-Match': etag } })).status,
      304,
    );
    const missing = await expectProblem(await t.app.request('/api/v1/messages/fr'), 404);
    assert.equal(missing.detail, 'No UI strings for "fr"; available: en, de.');
    await expectProblem(await t.app.request('/api/v1/messages/__proto__'), 404);
  });

  it('follows the file when the catalogs are built again', async () => {
    await writeFile(
      t.config.catalogsPath,
      JSON.stringify({ en: { like: 'Like' }, de: { like: 'Mag ich' }, fr: { like: 'J’aime' } }),
    );
    assert.deepEqual(await (await t.app.request('/api/v1/messages/de')).json(), { like: 'Mag ich' });
    assert.deepEqual(await (await t.app.request('/api/v1/messages/fr')).json(), { like: 'J’aime' });
  });
});
