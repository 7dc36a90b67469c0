import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createProgressReporter } from './progress.js';
import { readDisqus } from './disqus.js';
import { fixture } from './testing.js';

/** A stream that is not a terminal, keeping what is written to it. */
function collector(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

describe('import progress', () => {
  test('writes plain lines with counts, rate and share of the file when not on a terminal', async () => {
    const stream = collector();
    let clock = 0;
    const reporter = createProgressReporter({
      stream,
      label: 'Importing disqus.xml',
      interval: 1000,
      now: () => clock,
    });
    const reader = readDisqus(fixture('disqus.xml'));
    for await (const record of reader) {
      clock += 250; // each record takes a quarter of a second on this clock
      reporter.record(record, reader.progress);
    }
    reporter.finish(reader.progress);
    const lines = stream.text().trimEnd().split('\n');
    assert.equal(lines.length, 4, 'one line a second of the 12 records, and the last');
    assert.match(
      lines[0] ?? '',
      /^Importing disqus\.xml: 1 comments, 2 topics, 1 skipped, 1 comments\/s \(100 % of the file\)$/,
    );
    assert.equal(lines.at(-1), 'Importing disqus.xml: 9 comments, 2 topics, 1 skipped, 3 comments/s, done');
    assert.deepEqual(reporter.counts, { threads: 2, comments: 9, skipped: 1 });
  });

  test('draws a bar on a terminal', () => {
    // A real pseudo-terminal, through util-linux's script(1).
    const program = fileURLToPath(new URL('./progress-demo.ts', import.meta.url));
    const result = spawnSync(
      'script',
      ['-qec', `node --import tsx ${program} ${fixture('disqus.xml')}`, '/dev/null'],
      {
        encoding: 'utf8',
        env: { ...process.env, COLUMNS: '160' },
      },
    );
    if (result.error !== undefined) throw result.error;
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stdout,
      /Importing disqus\.xml [█░]+ 100% \| 9 comments, 2 topics, 1 skipped \| \d+\/s/,
    );
  });
});
