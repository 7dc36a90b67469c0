/** Reads an export with the progress reporter on standard error, for the terminal test. */
import { basename } from 'node:path';
import { readDisqus } from './disqus.js';
import { createProgressReporter } from './progress.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: progress-demo.ts <disqus export>');
const reader = readDisqus(file);
const reporter = createProgressReporter({ label: `Importing ${basename(file)}` });
for await (const record of reader) reporter.record(record, reader.progress);
reporter.finish(reader.progress);
