/**
 * The URL policy of every link Colloquy stores or renders: http, https and mailto only, decided
 * on what a browser would finally see. Part of the contract, so the server's renderer, its
 * validation and any other client apply the same rule.
 */

/** Whitespace, controls (C0, DEL, C1) and invisible format characters, which browsers skip or strip in URLs. */
const INVISIBLE = /[\s\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * The link target if it is safe to put in an `href`, else null. The decision is made on what a
 * browser would finally see: HTML character references are decoded first (CommonMark decodes
 * them in link targets, and `&#106;avascript:` or `javascript&colon;` must not pass), then
 * whitespace, control and invisible characters are removed (`java\nscript:`), and the scheme,
 * compared case-insensitively, must be http, https or mailto both as written and after
 * percent-decoding (`%6Aavascript:` is refused rather than trusted to stay relative). Anything
 * else, relative URLs included, stays text. The href returned is the normalized, decoded URL.
 */
export function safeHref(target: string): string | null {
  const cleaned = decodeCharacterReferences(target).replace(INVISIBLE, '');
  const scheme = schemeOf(cleaned);
  if (scheme === null || !ALLOWED_SCHEMES.has(scheme)) return null;
  if (schemeOf(percentDecode(cleaned).replace(INVISIBLE, '')) !== scheme) return null;
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return null;
  }
  if (url.protocol !== `${scheme}:`) return null;
  if (scheme === 'mailto') return url.pathname.includes('@') ? url.href : null;
  return url.hostname ? url.href : null;
}

const schemeOf = (url: string) => /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase() ?? null;

/** Percent-decoding repeated until nothing changes (double encoding included), byte by byte. */
function percentDecode(text: string): string {
  let current = text;
  for (let round = 0; round < 5; round++) {
    const next = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Named references that can spell out a scheme or its separators; others are left as written. */
const NAMED_REFERENCES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  colon: ':',
  sol: '/',
  bsol: '\\',
  tab: '\t',
  newline: '\n',
  nbsp: '\u00a0',
  lpar: '(',
  rpar: ')',
  period: '.',
  comma: ',',
  excl: '!',
  num: '#',
  percnt: '%',
  semi: ';',
  equals: '=',
  quest: '?',
  commat: '@',
  lsqb: '[',
  rsqb: ']',
  lowbar: '_',
  grave: '`',
  plus: '+',
  hyphen: '-',
  dash: '-',
  ast: '*',
  shy: '\u00ad',
  zwj: '\u200d',
  zwnj: '\u200c',
};

/**
 * Decodes numeric (`&#106;`, `&#x6A;`) and the named references above, with or without the
 * closing `;` as browsers accept them in attributes. Repeated until stable, so `&amp;#106;`
 * cannot hide a reference behind another.
 */
function decodeCharacterReferences(text: string): string {
  let current = text;
  for (let round = 0; round < 5; round++) {
    const next = current.replace(
      /&(?:#x([0-9a-f]{1,8});?|#(\d{1,10});?|([a-z]{2,10});?)/gi,
      (whole, hex?: string, dec?: string, name?: string) => {
        if (name !== undefined) return NAMED_REFERENCES[name.toLowerCase()] ?? whole;
        const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
        // Invalid code points decode to U+FFFD, as in HTML.
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
          ? String.fromCodePoint(code)
          : '\ufffd';
      },
    );
    if (next === current) break;
    current = next;
  }
  return current;
}
