/**
 * The rules of a display name (a reply's author, typed or from a sign-in token), shared by the
 * request schema and the server. A name is NFKC-normalized first, so full-width and other
 * compatibility forms are stored as their plain letters, then held to what a reader can see:
 * no invisible character, no bidirectional control, something visible in it.
 */
import { MAX_NAME_LENGTH } from './limits.js';

/** Invisible joiners that are part of how some text is written, removed before the checks. */
const JOINERS_IN_CONTEXT = new RegExp(
  [
    // Emoji sequences: 👩‍💻 (ZWJ between pictographs), ❤️ (variation selector after one).
    String.raw`(?<=\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?)\u200D(?=\p{Extended_Pictographic})`,
    String.raw`(?<=[\p{Extended_Pictographic}#*0-9])[\uFE0E\uFE0F]`,
    // ZWNJ and ZWJ inside a word of a script that spells with them (Persian, Indic scripts).
    String.raw`(?<=[\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Malayalam}\p{Script=Kannada}\p{Script=Telugu}\p{Script=Tamil}\p{Script=Gujarati}\p{Script=Gurmukhi}\p{Script=Oriya}\p{Script=Sinhala}\p{M}])[\u200C\u200D](?=\p{L})`,
  ].join('|'),
  'gu',
);

/**
 * Characters that show nothing or change how the text around them is shown: the Unicode
 * Default_Ignorable_Code_Point set (zero-width spaces and joiners, soft hyphen, word joiner,
 * BOM, Hangul fillers, variation selectors, tags…) and the Braille blank, which passes for a
 * symbol but draws nothing.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/u;

/** Bidirectional embeddings, overrides, isolates and marks: they can make a name read as another. */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Any control character: C0, DEL and C1. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** Something a reader sees: a letter, digit, symbol or punctuation mark. */
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/** More than this many combining marks on one character stack up over the lines around it. */
const STACKED_MARKS = /\p{M}{5,}/u;

/**
 * The name as stored and shown: NFKC, runs of spaces made one, trimmed. Line breaks and tabs
 * are controls, kept for nameProblem() to refuse.
 */
export function normalizeName(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\p{Zs}+/gu, ' ')
    .trim();
}

/**
 * Why `name` (already normalized) is not a display name, or null when it is one. `field` names
 * it in the message.
 */
export function nameProblem(name: string, field = 'authorName'): string | null {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH)
    return `${field} must be 1–${MAX_NAME_LENGTH} characters`;
  if (/\p{Cs}/u.test(name)) return `${field} must be valid Unicode text (it has a lone surrogate)`;
  if (CONTROL.test(name)) return `${field} must be a single line without control characters`;
  if (BIDI_CONTROL.test(name)) return `${field} must not contain bidirectional control characters`;
  if (INVISIBLE.test(name.replace(JOINERS_IN_CONTEXT, '')))
    return `${field} must not contain invisible characters (zero-width spaces or joiners, fillers, soft hyphens…)`;
  if (!VISIBLE.test(name)) return `${field} must contain a visible letter, digit or symbol`;
  if (STACKED_MARKS.test(name)) return `${field} must not stack more than 4 combining marks on one character`;
  return null;
}

/** Removes every invisible character, joiners in context included (see nameKey on the server). */
export const withoutInvisibles = (name: string): string =>
  name.replace(new RegExp(`${INVISIBLE.source}|${BIDI_CONTROL.source}`, 'gu'), '');
