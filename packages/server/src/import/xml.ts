/**
 * A streaming view of an XML file for the readers: the elements a reader asks for arrive as
 * small, complete trees (one Disqus post, one WordPress comment); the elements around them only
 * as open and close events. Memory stays that of one such element, whatever the file's size.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';
import { ImportFormatError, type ProgressCounter, type SourcePosition } from './records.js';

export interface XmlElement {
  readonly uri: string;
  readonly local: string;
  /** Keyed by local name for attributes without a namespace, by `{uri}local` otherwise. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: XmlElement[];
  /** The element's own text and CDATA, concatenated as written. */
  text: string;
}

export type XmlEvent =
  | {
      readonly type: 'open';
      readonly path: readonly string[];
      readonly element: XmlElement;
      readonly position: SourcePosition;
    }
  | {
      readonly type: 'element';
      readonly path: readonly string[];
      readonly element: XmlElement;
      readonly position: SourcePosition;
    }
  | { readonly type: 'close'; readonly path: readonly string[] };

export interface XmlReadOptions {
  /**
   * Whether the element at this path (local names from the root, this one last) is read whole.
   * Elements inside a collected one are always part of it.
   */
  readonly collect: (path: readonly string[], uri: string) => boolean;
}

/** Shared by the elements without attributes, most of an export's: one map less for each. */
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

function attributesOf(tag: SaxesTagNS): ReadonlyMap<string, string> {
  let attributes: Map<string, string> | undefined;
  for (const name in tag.attributes) {
    const attribute = tag.attributes[name] as SaxesAttributeNS;
    attributes ??= new Map();
    attributes.set(attribute.uri ? `{${attribute.uri}}${attribute.local}` : attribute.local, attribute.value);
  }
  return attributes ?? NO_ATTRIBUTES;
}

export async function* readXmlEvents(
  file: string,
  options: XmlReadOptions,
  progress: ProgressCounter,
): AsyncGenerator<XmlEvent, void, undefined> {
  progress.total = (await stat(file)).size;
  const parser = new SaxesParser({ xmlns: true, position: true });
  const queue: XmlEvent[] = [];
  const path: string[] = [];
  /** The collected subtree being built, innermost element last; empty outside one. */
  const building: XmlElement[] = [];
  // Where the last tag's "<" is, kept as numbers: most tags are inside a collected element, and
  // only an element that starts one or is an event needs its position as an object.
  let startLine = 1;
  let startColumn = 1;
  const startPosition = (): SourcePosition => ({ kind: 'text', file, line: startLine, column: startColumn });
  /** Where the collected subtree being built starts. */
  let collectedAt: SourcePosition = startPosition();

  const here = (): SourcePosition => ({ kind: 'text', file, line: parser.line, column: parser.column + 1 });

  parser.on('xmldecl', (declaration) => {
    if (declaration.encoding !== undefined && !/^utf-?8$/i.test(declaration.encoding)) {
      throw new ImportFormatError(
        here(),
        `the file declares the ${declaration.encoding} encoding; only UTF-8 is read`,
      );
    }
  });
  parser.on('opentagstart', (tag) => {
    // Where the tag's "<" is: the parser has just read its name and the character after it.
    startLine = parser.line;
    startColumn = Math.max(1, parser.column - tag.name.length - 1);
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      uri: tag.uri,
      local: tag.local,
      attributes: attributesOf(tag),
      children: [],
      text: '',
    };
    path.push(tag.local);
    const parent = building.at(-1);
    if (parent !== undefined) {
      parent.children.push(element);
      building.push(element);
    } else if (options.collect(path, tag.uri)) {
      building.push(element);
      collectedAt = startPosition();
    } else {
      queue.push({ type: 'open', path: [...path], element, position: startPosition() });
    }
  });
  parser.on('text', (text) => {
    const current = building.at(-1);
    if (current !== undefined) current.text += text;
  });
  parser.on('cdata', (text) => {
    const current = building.at(-1);
    if (current !== undefined) current.text += text;
  });
  parser.on('closetag', () => {
    const element = building.pop();
    if (element !== undefined && building.length === 0) {
      queue.push({ type: 'element', path: [...path], element, position: collectedAt });
    } else if (element === undefined) {
      queue.push({ type: 'close', path: [...path] });
    }
    path.pop();
  });

  const failed = (error: unknown): ImportFormatError => {
    if (error instanceof ImportFormatError) return error;
    const message = error instanceof Error ? error.message : String(error);
    // saxes prefixes its messages with "line:column: ", which the position already says.
    return new ImportFormatError(
      here(),
      `the XML is not well-formed: ${message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`,
      {
        cause: error,
      },
    );
  };

  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      try {
        parser.write(chunk);
      } catch (error) {
        throw failed(error);
      }
      progress.done = stream.bytesRead;
      yield* queue;
      queue.length = 0;
    }
    try {
      parser.close();
    } catch (error) {
      throw failed(error);
    }
    yield* queue;
    queue.length = 0;
  } finally {
    stream.destroy();
  }
}

export function child(element: XmlElement, local: string): XmlElement | undefined {
  return element.children.find((candidate) => candidate.local === local);
}

/** The trimmed text of the first child with this local name; undefined when absent or empty. */
export function childText(element: XmlElement, local: string): string | undefined {
  const text = child(element, local)?.text.trim();
  return text === '' ? undefined : text;
}

export function attribute(element: XmlElement | undefined, uri: string, local: string): string | undefined {
  if (element === undefined) return undefined;
  const value = element.attributes.get(uri === '' ? local : `{${uri}}${local}`)?.trim();
  return value === '' ? undefined : value;
}
