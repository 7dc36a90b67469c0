import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { json, ORIGIN, seededApp } from '../../testing/helpers.js';

describe('unread-body-close', () => {
  const t = seededApp();
  const path = '/api/v1/topics/rsp-update/replies';

  it('closes after refusals decided before the body was read: 413 by Content-Length, cross-site 403', async () => {
    const big = JSON.stringify({ authorName: 'a', body: 'x'.repeat(t.config.maxBodyBytes) });
    const oversize = await t.app.request(path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Origin: ORIGIN,
        'Content-Length': String(Buffer.byteLength(big)),
      },
      body: big,
    });
    assert.equal(oversize.status, 413);
    assert.equal(oversize.headers.get('Connection'), 'close');
    const small = JSON.stringify({ authorName: 'a', body: 'hi' });
    const crossSite = await t.app.request(path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Origin: 'https://evil.example',
        'Content-Length': String(Buffer.byteLength(small)),
      },
      body: small,
    });
    assert.equal(crossSite.status, 403);
    assert.equal(crossSite.headers.get('Connection'), 'close');
  });

  it('keeps the connection when the body was read, refused or not, and for reads', async () => {
    const body = JSON.stringify({ authorName: 'a', body: 'hi', parentId: 'nope' });
    const refused = await t.app.request(
      path,
      json(JSON.parse(body), { 'Content-Length': String(Buffer.byteLength(body)) }),
    );
    assert.equal(refused.status, 422);
    assert.equal(refused.headers.get('Connection'), null);
    const read = await t.app.request('/api/v1/topics/rsp-update');
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('Connection'), null);
  });
});
