/**
 * Reading other systems' exports into one stream of records. Writing them into a store is the
 * caller's: records come in file order, and each format's module says what its order promises.
 */
import { readColloquy } from './colloquy.js';
import { readDisqus } from './disqus.js';
import { readGiscus } from './giscus.js';
import { readIsso } from './isso.js';
import type { ImportFormat, ImportReader, ReaderOptions } from './records.js';
import { readRemark42 } from './remark42.js';
import { readWaline } from './waline.js';
import { readWordPress } from './wordpress.js';

export const readers: Readonly<
  Record<ImportFormat, (file: string, options?: ReaderOptions) => ImportReader>
> = {
  disqus: readDisqus,
  wordpress: readWordPress,
  remark42: readRemark42,
  isso: readIsso,
  waline: readWaline,
  giscus: readGiscus,
  colloquy: readColloquy,
};

export function readImport(format: ImportFormat, file: string, options: ReaderOptions = {}): ImportReader {
  return readers[format](file, options);
}

export { disqusToMarkdown, htmlToMarkdown, markdownToMarkdown, wordpressToMarkdown } from './body.js';
export {
  createProgressReporter,
  type ImportCounts,
  type ProgressOptions,
  type ProgressReporter,
} from './progress.js';
export {
  formatPosition,
  ImportFormatError,
  importFormats,
  type CommentAuthor,
  type CommentRecord,
  type CommentState,
  type ImportFormat,
  type ImportReader,
  type ImportRecord,
  type ReaderOptions,
  type ReadProgress,
  type SkippedRecord,
  type SourcePosition,
  type ThreadRecord,
} from './records.js';
