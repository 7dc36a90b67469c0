// Writes the elements' UI strings as one JSON file, packages/widget/dist/catalogs.json, which
// the server serves at /api/v1/messages/:lang: English (built into the elements) and every
// other language of packages/widget/src/i18n/, a module named after its language subtag that
// exports its catalog under the same name (de.ts exports `de`). Run after tsc by `npm run build`.
import { readdirSync, writeFileSync } from 'node:fs';

const i18n = new URL('../packages/widget/dist/i18n/', import.meta.url);
const LANGUAGE_MODULE = /^([a-z]{2,3})\.js$/;

const { en } = await import(new URL('messages.js', i18n));
// English strings that a chunk carries instead of the core (see edit-messages.ts,
// form-messages.ts, controls-messages.ts).
const { editMessages } = await import(new URL('edit-messages.js', i18n));
const { formMessages } = await import(new URL('form-messages.js', i18n));
const { controlsMessages } = await import(new URL('controls-messages.js', i18n));
const catalogs = { en: { ...en, ...editMessages, ...formMessages, ...controlsMessages } };
for (const file of readdirSync(i18n).sort()) {
  const language = LANGUAGE_MODULE.exec(file)?.[1];
  if (language === undefined) continue;
  const catalog = (await import(new URL(file, i18n)))[language];
  if (typeof catalog !== 'object' || catalog === null)
    throw new Error(`${file} exports no catalog named ${language}.`);
  catalogs[language] = catalog;
}
writeFileSync(new URL('../catalogs.json', i18n), `${JSON.stringify(catalogs)}\n`);
