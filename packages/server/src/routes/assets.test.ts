import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expectProblem, testApp } from '../testing/helpers.js';

type TestApp = Awaited<ReturnType<typeof testApp>>;

describe('GET /widget.js', () => {
  let t: TestApp;
  let bundle: string;
  before(async () => {
    t = await testApp();
    bundle = join(t.dir, 'colloquy.js');
    t.config.widgetBundlePath = bundle;
  });
  after(() => t.close());

  it('answers 503 with a hint while the bundle is not built', async () => {
    const problem = await expectProblem(await t.app.request('/widget.js'), 503);
    assert.equal(problem.detail, 'The widget bundle has not been built; run npm run build.');
  });

  it('serves the bundle with caching headers, CORS and a strong ETag; 304 when unchanged', async () => {
    await writeFile(bundle, 'export const v = 1;\n');
    const res = await t.app.request('/widget.js', { headers: { Origin: 'https://any.example' } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'export const v = 1;\n');
    assert.equal(res.headers.get('Content-Type'), 'text/javascript; charset=utf-8');
    assert.equal(res.headers.get('Cache-Control'), 'public, max-age=3600, stale-while-revalidate=86400');
    assert.equal(res.headers.get('Access-Control-Allow-Origin'), '*');
    const etag = res.headers.get('ETag')!;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/, 'a strong ETag');
    const again = await t.app.request('/widget.js');
    assert.equal(again.headers.get('ETag'), etag);
    const notModified = await t.app.request('/widget.js', { headers: { 'If-None-Match': etag } });
    assert.equal(notModified.status, 304);
    assert.equal(await notModified.text(), '');
    assert.equal(notModified.headers.get('ETag'), etag);
    const weak = await t.app.request('/widget.js', { headers: { 'If-None-Match': `"other", W/${etag}` } });
    assert.equal(weak.status, 304);
  });

  it('sends it brotli- or gzip-compressed as the client accepts, each coding with its own ETag', async () => {
    const source = `export const words = ${JSON.stringify('colloquy '.repeat(500))};\n`;
    await writeFile(bundle, source);
    const plain = await t.app.request('/widget.js', { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(plain.headers.get('Content-Encoding'), null);
    assert.equal(plain.headers.get('Vary'), 'Accept-Encoding');
    const br = await t.app.request('/widget.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers.get('Content-Encoding'), 'br');
    const brBytes = Buffer.from(await br.arrayBuffer());
    assert.equal(brotliDecompressSync(brBytes).toString(), source);
    assert.ok(brBytes.length < source.length / 10, `brotli sent ${brBytes.length} of ${source.length} bytes`);
    const gz = await t.app.request('/widget.js', { headers: { 'Accept-Encoding': 'gzip;q=1, br;q=0' } });
    assert.equal(gz.headers.get('Content-Encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), source);
    const etags = new Set([plain, br, gz].map((r) => r.headers.get('ETag')));
    assert.equal(etags.size, 3, 'a strong ETag names one representation');
    const notModified = await t.app.request('/widget.js', {
      headers: { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.get('ETag')! },
    });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.get('Content-Encoding'), 'br');
  });

  it('changes the ETag when the file changes', async () => {
    const before = (await t.app.request('/widget.js')).headers.get('ETag');
    await writeFile(bundle, 'export const v = 22;\n');
    const res = await t.app.request('/widget.js', { headers: { 'If-None-Match': before! } });
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.get('ETag'), before);
    assert.equal(await res.text(), 'export const v = 22;\n');
  });
});

describe('GET /widget/:file (the chunks the bundle loads on demand)', () => {
  let t: TestApp;
  const chunk = 'reply-form-Ab_12-x.js';
  const source = `export const form = ${JSON.stringify('reply '.repeat(400))};\n`;
  before(async () => {
    t = await testApp();
    t.config.widgetBundlePath = join(t.dir, 'widget.js');
    await mkdir(join(t.dir, 'widget'));
    await writeFile(join(t.dir, 'widget', chunk), source);
    // Beside the chunk directory, where a traversal would land.
    await writeFile(join(t.dir, 'secret.js'), 'export const secret = 1;\n');
  });
  after(() => t.close());

  it('serves a chunk compressed as the client accepts, cached for good, with CORS and strong ETags', async () => {
    const codings = [
      ['identity', null],
      ['gzip', 'gzip'],
      ['br, gzip', 'br'],
    ] as const;
    const etags = new Set<string | null>();
    for (const [accept, coding] of codings) {
      const res = await t.app.request(`/widget/${chunk}`, {
        headers: { 'Accept-Encoding': accept, Origin: 'https://any.example' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Content-Type'), 'text/javascript; charset=utf-8');
      assert.equal(res.headers.get('Cache-Control'), 'public, max-age=31536000, immutable');
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), '*');
      assert.equal(res.headers.get('Vary'), 'Accept-Encoding');
      assert.equal(res.headers.get('Content-Encoding'), coding);
      const bytes = Buffer.from(await res.arrayBuffer());
      const text =
        coding === 'br'
          ? brotliDecompressSync(bytes).toString()
          : coding === 'gzip'
            ? gunzipSync(bytes).toString()
            : bytes.toString();
      assert.equal(text, source);
      const etag = res.headers.get('ETag');
      assert.match(etag ?? '', /^"[A-Za-z0-9_-]+"$/, 'a strong ETag');
      etags.add(etag);
      const again = await t.app.request(`/widget/${chunk}`, {
        headers: { 'Accept-Encoding': accept, 'If-None-Match': etag ?? '' },
      });
      assert.equal(again.status, 304);
    }
    assert.equal(etags.size, 3, 'each coding has a tag of its own');
  });

  it('answers 404 problems for unknown names and for anything that is not a plain chunk name', async () => {
    for (const name of [
      'reply-form-unknown.js',
      '..%2Fsecret.js',
      '%2E%2E%2Fsecret.js',
      '..%5Csecret.js',
      'widget.js.map',
      `${chunk}.map`,
      `${'a'.repeat(200)}.js`,
    ]) {
      const res = await t.app.request(`/widget/${name}`);
      const problem = await expectProblem(res, 404);
      assert.match(problem.detail ?? '', /^No widget chunk/, name);
    }
  });
});
