import assert from 'node:assert/strict';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';

export const ATOM = 'http://www.w3.org/2005/Atom';

export interface Element {
  uri: string;
  local: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

/** Parses a whole document with saxes (well-formedness and namespaces checked); throws on any error. */
export function parseXml(xml: string): Element {
  const parser = new SaxesParser({ xmlns: true });
  const stack: Element[] = [];
  let root: Element | null = null;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes: Record<string, string> = {};
    for (const a of Object.values(tag.attributes) as SaxesAttributeNS[])
      if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attributes[a.local] = a.value;
    const element: Element = { uri: tag.uri, local: tag.local, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    stack.push(element);
    root ??= element;
  });
  parser.on('text', (text) => {
    const open = stack.at(-1);
    if (open) open.text += text;
  });
  parser.on('cdata', (text) => {
    const open = stack.at(-1);
    if (open) open.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  assert.ok(root, 'a document element');
  return root;
}

const atom = (parent: Element, local: string) =>
  parent.children.filter((c) => c.uri === ATOM && c.local === local);

/** An RFC 3339 date-time, as atom:updated and atom:published must be (RFC 4287, 3.3). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkText(element: Element, where: string) {
  const type = element.attributes.type ?? 'text';
  assert.ok(['text', 'html', 'xhtml'].includes(type), `${where}: type ${type}`);
  if (type === 'text') assert.equal(element.children.length, 0, `${where}: text constructs hold no elements`);
}

function checkDate(parent: Element, local: string, where: string, required: boolean) {
  const found = atom(parent, local);
  assert.equal(found.length <= 1, true, `${where}: at most one atom:${local}`);
  if (required) assert.equal(found.length, 1, `${where}: exactly one atom:${local}`);
  for (const date of found) assert.match(date.text, RFC3339, `${where}: atom:${local} is an RFC 3339 date`);
}

function checkId(parent: Element, where: string): string {
  const ids = atom(parent, 'id');
  assert.equal(ids.length, 1, `${where}: exactly one atom:id`);
  const id = ids[0]!.text.trim();
  assert.doesNotThrow(() => new URL(id), `${where}: atom:id is an absolute IRI`);
  return id;
}

function checkAuthors(parent: Element, where: string): boolean {
  const authors = atom(parent, 'author');
  for (const author of authors) {
    assert.equal(atom(author, 'name').length, 1, `${where}: an atom:author has exactly one atom:name`);
  }
  return authors.length > 0;
}

/**
 * Checks a feed against RFC 4287's rules for atom:feed (4.1.1) and atom:entry (4.1.2): the
 * required elements once each, dates, ids, text constructs, links, authors, content.
 * Returns the parsed feed and its entries.
 */
export function validateAtom(xml: string): { feed: Element; entries: Element[] } {
  assert.match(xml, /^<\?xml version="1\.0" encoding="utf-8"\?>/);
  const feed = parseXml(xml);
  assert.equal(feed.uri, ATOM, 'the document element is in the Atom namespace');
  assert.equal(feed.local, 'feed');
  checkId(feed, 'feed');
  const titles = atom(feed, 'title');
  assert.equal(titles.length, 1, 'feed: exactly one atom:title');
  checkText(titles[0]!, 'feed title');
  for (const subtitle of atom(feed, 'subtitle')) checkText(subtitle, 'feed subtitle');
  checkDate(feed, 'updated', 'feed', true);
  const links = atom(feed, 'link');
  for (const link of links) assert.ok(link.attributes.href, 'every atom:link has an href');
  assert.equal(links.filter((l) => l.attributes.rel === 'self').length, 1, 'feed: one rel="self" link');
  const feedHasAuthor = checkAuthors(feed, 'feed');
  const entries = atom(feed, 'entry');
  const seen = new Set<string>();
  for (const [k, entry] of entries.entries()) {
    const where = `entry ${k + 1}`;
    const id = checkId(entry, where);
    const updated = atom(entry, 'updated')[0]?.text ?? '';
    assert.ok(!seen.has(`${id} ${updated}`), `${where}: no two entries with the same id and updated`);
    seen.add(`${id} ${updated}`);
    const entryTitles = atom(entry, 'title');
    assert.equal(entryTitles.length, 1, `${where}: exactly one atom:title`);
    checkText(entryTitles[0]!, `${where} title`);
    checkDate(entry, 'updated', where, true);
    checkDate(entry, 'published', where, false);
    assert.ok(checkAuthors(entry, where) || feedHasAuthor, `${where}: an atom:author, or one on the feed`);
    const contents = atom(entry, 'content');
    assert.ok(contents.length <= 1, `${where}: at most one atom:content`);
    const alternate = atom(entry, 'link').filter((l) => (l.attributes.rel ?? 'alternate') === 'alternate');
    assert.ok(contents.length === 1 || alternate.length > 0, `${where}: atom:content or an alternate link`);
    for (const content of contents) checkText(content, `${where} content`);
  }
  return { feed, entries };
}

/** The text of an entry's child element. */
export const childText = (element: Element, local: string) => atom(element, local)[0]?.text ?? '';
export const atomChildren = atom;
