import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { epochSecondsInstant, isoInstant, rfc2822Instant } from './time.js';

describe('source times', () => {
  test('read offsets, fractions and zone-less times as UTC', () => {
    assert.equal(isoInstant('2011-08-31T15:16:29Z'), '2011-08-31T15:16:29.000Z');
    assert.equal(isoInstant('2017-12-20T15:18:22.472041-06:00'), '2017-12-20T21:18:22.472Z');
    assert.equal(isoInstant('2024-05-11T21:10:00+0300'), '2024-05-11T18:10:00.000Z');
    assert.equal(isoInstant('2019-01-07 10:00:00'), '2019-01-07T10:00:00.000Z');
    assert.equal(isoInstant('2012-12-12T12:12:12'), '2012-12-12T12:12:12.000Z');
  });

  test('refuse what is not a date', () => {
    assert.throws(() => isoInstant('2011-x09-30T22:48:43Z'), /is not a date and time/);
    assert.throws(() => isoInstant('2023-02-30 10:00:00'), /is not a date and time/);
    assert.throws(() => rfc2822Instant('yesterday'), /not an RFC 2822 date/);
  });

  test('read RSS dates and Unix seconds', () => {
    assert.equal(rfc2822Instant('Tue, 14 Jan 2014 17:31:03 +0100'), '2014-01-14T16:31:03.000Z');
    assert.equal(epochSecondsInstant(1698765432.123456), '2023-10-31T15:17:12.123Z');
  });
});
