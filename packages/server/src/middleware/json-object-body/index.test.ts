import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, ORIGIN, seededApp } from '../../testing/helpers.js';

describe('json-object-body', () => {
  const t = seededApp();

  describe('request bodies', () => {
    const path = '/api/v1/topics/rsp-update/replies';
    it('answers 400 to malformed JSON and 422 to JSON that is not an object', async () => {
      const bad = await t.app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
        body: '{"body":',
      });
      assert.equal((await expectProblem(bad, 400)).type, 'urn:colloquy:problem:malformed-json');
      for (const body of ['[]', '"text"', 'null', '42']) {
        await expectProblem(
          await t.app.request(path, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
            body,
          }),
          422,
        );
      }
    });

    it('answers 415 to a write without a JSON Content-Type', async () => {
      const body = JSON.stringify({ authorName: 'a', body: 'b' });
      await expectProblem(
        await t.app.request(path, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain', Origin: ORIGIN },
          body,
        }),
        415,
      );
      await expectProblem(
        await t.app.request(path, { method: 'POST', headers: { Origin: ORIGIN }, body: new Blob([body]) }),
        415,
      );
      const ok = await t.app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', Origin: ORIGIN },
        body,
      });
      assert.equal(ok.status, 201);
    });
  });
});
