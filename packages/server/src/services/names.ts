import { MAX_NAME_LENGTH } from '@colloquy/api';

/**
 * The comparison key of a display name: NFKC (so full-width and other compatibility forms fold
 * together), invisible format characters removed, spaces collapsed, trimmed, case folded.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(
      // biome-ignore lint/suspicious/noMisleadingCharacterClass: a list of single invisible code points, each removed on its own
      /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g,
      '',
    )
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase()
    .toLowerCase();
}

/**
 * The name a host site's sign-in token gives, as shown with the reply: NFKC, trimmed, and held
 * to the rules of a typed name (1–60 characters, no control or bidirectional override
 * characters, no lone surrogates); null when it breaks them.
 */
export function signedInName(claim: string): string | null {
  const name = claim.normalize('NFKC').trim();
  const broken =
    name.length === 0 ||
    name.length > MAX_NAME_LENGTH ||
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\p{Cs}/u.test(name);
  return broken ? null : name;
}
