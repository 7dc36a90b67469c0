import type { Doc } from '@colloquy/api';
import { docToMarkdown } from '../markdown/from-doc.js';

/**
 * Rows stored before bodies kept their Markdown source (migration 9 of SQLite, 8 of
 * PostgreSQL) get one written back from their tree, when the store opens after the migration:
 * each dialect runs these statements a batch at a time, in its own driver's way, until none is
 * left. Readers see nothing change, so no version moves. Once done, the partial indexes of the
 * migration make the first lookup find nothing.
 */
export const SOURCE_FILL_BATCH = 500;

export const FILLED_TABLES = ['replies', 'topics'] as const;

/** The next batch of rows without a source, with `?` for the limit. */
export const selectWithoutSource = (table: (typeof FILLED_TABLES)[number]) =>
  `SELECT id, body FROM ${table} WHERE source IS NULL ORDER BY id LIMIT ${SOURCE_FILL_BATCH}`;

/** The source of a row, with the source then the id as parameters. */
export const setSource = (table: (typeof FILLED_TABLES)[number], placeholders: [string, string]) =>
  `UPDATE ${table} SET source = ${placeholders[0]} WHERE id = ${placeholders[1]} AND source IS NULL`;

/** A stored tree (JSON text, as both dialects read it back) written as Markdown. */
export const sourceOfStored = (body: string): string => docToMarkdown(JSON.parse(body) as Doc);

/** A row as selectWithoutSource() reads it. */
export interface RowWithoutSource {
  id: string;
  body: string;
}
