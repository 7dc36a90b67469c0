/**
 * Large JSON files read value by value: the values at the given paths (a subset of JSONPath,
 * e.g. `$.data.Comment.*`) arrive one at a time and are dropped from the parser once handed over,
 * so memory is that of the largest such value. Each value, and each object or array inside it,
 * knows the line and column where it starts.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { TokenParser, Tokenizer, TokenType } from '@streamparser/json';
import type { JsonTypes } from '@streamparser/json';
import { ImportFormatError, type ProgressCounter, type SourcePosition } from './records.js';

export type JsonValue = JsonTypes.JsonPrimitive | JsonTypes.JsonStruct;
export type JsonObject = JsonTypes.JsonObject;

export interface JsonItem {
  readonly value: JsonValue;
  /** The keys and indexes from the document's root to the value, e.g. `['data', 'Comment', 3]`. */
  readonly path: readonly (string | number)[];
  readonly position: SourcePosition;
  /** Where an object or array inside the value starts; the value's own position otherwise. */
  readonly positionOf: (inner: object) => SourcePosition;
}

export interface JsonReadOptions {
  readonly paths: readonly string[];
  /** Read several documents one after another in the file (what `gh api --paginate` writes). */
  readonly concatenated?: boolean;
}

/** Turns byte offsets into lines and columns while the bytes stream past, in one forward scan. */
class LineCounter {
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkStart = 0;
  private scanned = 0;
  private line = 1;
  private column = 1;

  push(chunk: Uint8Array): void {
    this.advance(this.chunkStart + this.chunk.length);
    this.chunkStart += this.chunk.length;
    this.chunk = chunk;
  }

  /** The line and column of the byte at `offset`, which is in the current chunk and not before the last asked. */
  at(offset: number): { line: number; column: number } {
    this.advance(offset);
    return { line: this.line, column: this.column };
  }

  end(): { line: number; column: number } {
    return this.at(this.chunkStart + this.chunk.length);
  }

  private advance(to: number): void {
    const limit = Math.min(to, this.chunkStart + this.chunk.length);
    for (let offset = this.scanned; offset < limit; offset++) {
      const byte = this.chunk[offset - this.chunkStart] as number;
      if (byte === 0x0a) {
        this.line++;
        this.column = 1;
      } else if ((byte & 0xc0) !== 0x80) {
        // a character starts here (UTF-8 continuation bytes are 10xxxxxx)
        this.column++;
      }
    }
    if (limit > this.scanned) this.scanned = limit;
  }
}

/** Post-order walk of the objects and arrays in a value, the order in which they were closed. */
function containersInCloseOrder(value: JsonValue, into: object[]): void {
  if (typeof value !== 'object' || value === null) return;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) containersInCloseOrder(child, into);
  into.push(value);
}

export async function* readJsonValues(
  file: string,
  options: JsonReadOptions,
  progress: ProgressCounter,
): AsyncGenerator<JsonItem, void, undefined> {
  progress.total = (await stat(file)).size;
  const separator = options.concatenated === true ? '' : undefined;
  const tokenizer = new Tokenizer(separator === undefined ? {} : { separator });
  const parser = new TokenParser({
    paths: [...options.paths],
    keepStack: false,
    ...(separator === undefined ? {} : { separator }),
  });
  const lines = new LineCounter();
  const queue: JsonItem[] = [];
  const position = (where: { line: number; column: number }): SourcePosition => ({
    kind: 'text',
    file,
    line: where.line,
    column: where.column,
  });

  /** Start positions of the open objects and arrays, outermost first. */
  const open: { line: number; column: number; closedBefore: number }[] = [];
  /** Start positions of closed objects and arrays not yet handed over with a value. */
  const closed: { line: number; column: number }[] = [];
  let lastOffset = 0;
  let lastContainer: { line: number; column: number; closedBefore: number } | undefined;

  tokenizer.onToken = (info) => {
    lastOffset = info.offset;
    const { token } = info;
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) {
      open.push({ ...lines.at(info.offset), closedBefore: closed.length });
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) {
      lastContainer = open.pop();
      if (lastContainer !== undefined)
        closed.push({ line: lastContainer.line, column: lastContainer.column });
    } else {
      lastContainer = undefined;
    }
    parser.write(info);
  };
  parser.onValue = ({ value, key, stack }) => {
    if (value === undefined) return;
    const path: (string | number)[] = [];
    for (const element of stack) if (element.key !== undefined) path.push(element.key);
    if (key !== undefined) path.push(key);
    if (typeof value === 'object' && value !== null && lastContainer !== undefined) {
      // The containers closed since this one opened are the ones inside it, in post-order.
      const inner = closed.splice(lastContainer.closedBefore);
      const own = position(lastContainer);
      const walked: object[] = [];
      containersInCloseOrder(value, walked);
      const map = new WeakMap<object, SourcePosition>();
      if (walked.length === inner.length)
        for (const [index, container] of walked.entries()) {
          map.set(container, position(inner[index] as { line: number; column: number }));
        }
      queue.push({ value, path, position: own, positionOf: (container) => map.get(container) ?? own });
    } else {
      const own = position(lines.at(lastOffset));
      queue.push({ value, path, position: own, positionOf: () => own });
    }
  };

  const failed = (error: unknown, where: { line: number; column: number }): ImportFormatError => {
    if (error instanceof ImportFormatError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const absolute = /absolute position "(\d+)"/.exec(message)?.[1];
    const at = absolute === undefined ? where : lines.at(Number(absolute));
    const reason = message
      .replace(/ at chunk position "\d+" \(absolute position "\d+"\)/, '')
      .replace(/ in state \w+$/, '');
    return new ImportFormatError(position(at), `the JSON is not well-formed: ${reason}`, { cause: error });
  };

  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  let first = true;
  try {
    for await (const buffer of stream as AsyncIterable<Buffer>) {
      let chunk: Uint8Array = buffer;
      if (first) {
        first = false;
        // A UTF-8 byte order mark is not JSON; skipping it keeps lines and columns right.
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      lines.push(chunk);
      try {
        tokenizer.write(chunk);
      } catch (error) {
        throw failed(error, lines.at(lastOffset));
      }
      progress.done = stream.bytesRead;
      yield* queue;
      queue.length = 0;
    }
    if (progress.total === 0) throw new ImportFormatError(position(lines.end()), 'the file is empty');
    if (open.length > 0 || (!parser.isEnded && separator === undefined)) {
      throw new ImportFormatError(
        position(lines.end()),
        'the file ends in the middle of the JSON document: it is truncated',
      );
    }
    try {
      if (!tokenizer.isEnded) tokenizer.end();
      if (!parser.isEnded) parser.end();
    } catch (error) {
      throw failed(error, lines.end());
    }
    yield* queue;
    queue.length = 0;
  } finally {
    stream.destroy();
  }
}

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or a number written as one (ids); undefined otherwise. */
export function stringOf(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
