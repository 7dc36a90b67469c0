// Every catalog of the built widget (packages/widget/dist/catalogs.json, which the server serves
// at /api/v1/messages/:lang) has every English string, each a real translation slot: a string,
// not empty, with the `#` placeholder exactly where English has one.
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

for (const [lang, catalog] of Object.entries(others)) {
  test(`the ${lang} catalog has every English string, with its placeholder`, () => {
    assert.deepEqual(Object.keys(catalog).sort(), englishKeys, `${lang} lacks or adds keys`);
    for (const key of englishKeys) {
      const text = catalog[key];
      assert.equal(typeof text, 'string', `${lang}.${key} is not a string`);
      assert.ok(text.trim() !== '', `${lang}.${key} is empty`);
      const holes = (s) => s.split('#').length - 1;
      assert.equal(holes(text), holes(en[key]), `${lang}.${key} must have ${holes(en[key])} "#"`);
    }
  });
}
