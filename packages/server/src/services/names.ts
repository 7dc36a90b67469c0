import unhomoglyph from 'unhomoglyph';
import { nameProblem, normalizeName, withoutInvisibles } from '@colloquy/api';

/**
 * The comparison key of a display name, by which a signed-in user's name is reserved: two
 * names that look alike have the same key. NFKC (compatibility forms fold together), every
 * invisible and bidirectional control character removed, spaces collapsed, case folded, then
 * the confusable skeleton of Unicode TR39 (NFD, each character mapped to its prototype by the
 * Unicode confusables data, NFD again), so "Аlice" with a Cyrillic А and "alice" meet.
 * The mapping is the `unhomoglyph` package's copy of confusables.txt; a key is only ever
 * compared with other keys, never shown ("m" becomes "rn").
 */
export function nameKey(name: string): string {
  return skeleton(plain(name).toLowerCase());
}

/**
 * Every key a name is reserved and checked under (see NewReplyRecord.moreNameKeys): nameKey();
 * the skeleton taken before case folding too, since skeletons are case-sensitive ("AIice" with
 * a capital I meets "Alice" only so, while "ERIN" meets "Erin" only after folding); and the key
 * of names claimed before skeletons were used (legacyNameKey), so those claims still hold.
 */
export function nameKeys(name: string): string[] {
  return [...new Set([nameKey(name), skeleton(skeleton(plain(name)).toLowerCase()), legacyNameKey(name)])];
}

const plain = (name: string) => withoutInvisibles(name.normalize('NFKC')).replace(/\s+/gu, ' ').trim();

/** The confusable skeleton of Unicode TR39: NFD, each character to its prototype, NFD. */
const skeleton = (text: string): string => unhomoglyph(text.normalize('NFD')).normalize('NFD');

/**
 * The key names had before confusable skeletons: names that signed-in users claimed then are
 * still reserved under it (see nameKeys()).
 */
export function legacyNameKey(name: string): string {
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
 * The name a host site's sign-in token gives, as shown with the reply: normalized and held to
 * the rules of a typed name (nameProblem); null when it breaks them.
 */
export function signedInName(claim: string): string | null {
  const name = normalizeName(claim);
  return nameProblem(name) === null ? name : null;
}
