// Every catalog of the built widget (packages/widget/dist/catalogs.json, which the server serves
// at /api/v1/messages/:lang) has every English string, each a real translation slot: a string,
// not empty, with the `#` placeholder exactly where English has one; or, for a message filled
// with a count, its plural forms: `other` and every form the language's Intl.PluralRules can
// select, each with the count's `#` (`other`) or at most that (a form saying it in words).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const catalogs = JSON.parse(
  readFileSync(new URL('../packages/widget/dist/catalogs.json', import.meta.url), 'utf8'),
);
const { en, ...others } = catalogs;
const englishKeys = Object.keys(en).sort();

test('at least 20 languages, two of them written right to left', () => {
  const languages = Object.keys(catalogs);
  assert.ok(languages.length >= 20, `only ${languages.length} catalogs: ${languages.join(', ')}`);
  const rtl = languages.filter((lang) => {
    const locale = new Intl.Locale(lang);
    // Node 20 has getTextInfo(); newer engines the textInfo accessor.
    const info = typeof locale.getTextInfo === 'function' ? locale.getTextInfo() : locale.textInfo;
    return info.direction === 'rtl';
  });
  assert.ok(rtl.length >= 2, `right-to-left catalogs: ${rtl.join(', ') || 'none'}`);
});

/** The messages filled with a count, the only ones that may have plural forms (messages.ts). */
const COUNTED = ['replies', 'newReplies', 'moreInThread'];
const holes = (s) => s.split('#').length - 1;

test('the counted messages are those English fills with a count', () => {
  for (const key of COUNTED) assert.equal(holes(en[key]), 1, `en.${key} has one "#"`);
});

for (const [lang, catalog] of Object.entries(others)) {
  test(`the ${lang} catalog has every English string, with its placeholder`, () => {
    assert.deepEqual(Object.keys(catalog).sort(), englishKeys, `${lang} lacks or adds keys`);
    const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const key of englishKeys) {
      const message = catalog[key];
      const slot = (text, name, exact) => {
        assert.equal(typeof text, 'string', `${name} is not a string`);
        assert.ok(text.trim() !== '', `${name} is empty`);
        if (exact) assert.equal(holes(text), holes(en[key]), `${name} must have ${holes(en[key])} "#"`);
        else assert.ok(holes(text) <= holes(en[key]), `${name} has more than ${holes(en[key])} "#"`);
      };
      if (typeof message !== 'object' || message === null) {
        slot(message, `${lang}.${key}`, true);
        continue;
      }
      assert.ok(COUNTED.includes(key), `${lang}.${key} has plural forms but is not filled with a count`);
      for (const form of Object.keys(message))
        assert.ok(forms.includes(form), `${lang}.${key}.${form}: ${lang} has only ${forms.join(', ')}`);
      for (const form of new Set([...forms, 'other']))
        slot(message[form], `${lang}.${key}.${form}`, form === 'other');
    }
  });
}

test('the languages that need plural forms have them', () => {
  for (const lang of ['ar', 'cs', 'he', 'pl', 'ru', 'uk'])
    for (const key of COUNTED)
      assert.equal(typeof catalogs[lang][key], 'object', `${lang}.${key} has no plural forms`);
});
