#!/usr/bin/env node
// Writes a Disqus XML export of N comments for the import benchmark, streaming to the file so
// that any N fits in memory:
//
//   node bench/generate-disqus.js [--comments 1000000] [--out bench/data/disqus-1m.xml] [--seed 1]
//
// The file has the shape of a real export (categories, then threads, then posts in time order
// across many threads), with replies nested up to six deep, bodies of one to four paragraphs in
// Disqus's HTML (links, emphasis, code, quotes, lists, line breaks, entities), names in several
// scripts, and about 1 % spam and 2 % deleted posts. The same seed writes the same file.
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    comments: { type: 'string', default: '1000000' },
    out: { type: 'string', default: 'bench/data/disqus-1m.xml' },
    seed: { type: 'string', default: '1' },
  },
});
const total = Number(values.comments);
if (!Number.isInteger(total) || total < 0)
  throw new Error(`--comments must be a whole number, not ${values.comments}`);
const out = resolve(values.out);

// mulberry32: small, fast and seedable, so a benchmark file can be written again byte for byte.
let state = Number(values.seed) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const chance = (p) => random() < p;

const firstNames = [
  'Anna',
  'Ben',
  'Chloé',
  'Dmitri',
  'Emeka',
  'Fatima',
  'Gustav',
  'Hana',
  'Ivan',
  'Jürgen',
  'Kenji',
  'Lucía',
  'Mei',
  'Noor',
  'Olu',
  'Priya',
  'Юлия',
  'Михаил',
  '李雷',
  '韩梅梅',
  'Σοφία',
  'محمد',
  'Zoë',
  'Łukasz',
];
const lastNames = [
  'Smith',
  'Müller',
  'García',
  'Ivanova',
  'Okafor',
  'Khan',
  'Sato',
  'Nguyen',
  'Rossi',
  'Kowalski',
  'Смирнов',
  '王',
  'Παπαδόπουλος',
  "O'Neill",
  'da Silva',
];
const words =
  'the a policy model safety evaluation threshold risk capability team release notes question answer agree think because data training results paper review update thanks interesting point argument evidence source link version change future research open community scale compute audit report'.split(
    ' ',
  );
const topics = [
  'Scaling policy',
  'Release notes',
  'Weekly digest',
  'Podcast episode',
  'Interview',
  'Research update',
  'Community call',
  'Обзор',
  '周报',
  'Entrevista',
];

function escapeXml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
function sentence() {
  const length = 6 + Math.floor(random() * 14);
  const parts = [];
  for (let i = 0; i < length; i++) parts.push(pick(words));
  let text = parts.join(' ');
  text = text[0].toUpperCase() + text.slice(1);
  if (chance(0.15)) text += ' &amp; more';
  if (chance(0.1)) text += ' &quot;in quotes&quot;';
  return `${text}${pick(['.', '.', '.', '?', '!'])}`;
}
function inline() {
  const roll = random();
  if (roll < 0.12)
    return ` <a href="https://disq.us/url?url=https%3A%2F%2Fexample.org%2F${pick(words)}%3AeVRrBOE8tNtAXNrOz8_hQ9S3dYQ&amp;cuid=${Math.floor(random() * 9999)}" rel="nofollow noopener" title="https://example.org/">example.org/${pick(words)}</a>`;
  if (roll < 0.2) return ` <b>${pick(words)}</b>`;
  if (roll < 0.28) return ` <i>${pick(words)} ${pick(words)}</i>`;
  if (roll < 0.33) return ` <code>${pick(words)}()</code>`;
  return '';
}
function body() {
  const paragraphs = [];
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.06) paragraphs.push(`<blockquote>${sentence()}</blockquote>`);
    else if (roll < 0.1) paragraphs.push(`<ul><li>${sentence()}</li><li>${sentence()}</li></ul>`);
    else if (roll < 0.12)
      paragraphs.push(`<pre><code>if (score &gt;= threshold) {\n  escalate(model);\n}</code></pre>`);
    else if (roll < 0.2) paragraphs.push(`<p>${sentence()}<br>${sentence()}${inline()}</p>`);
    else paragraphs.push(`<p>${sentence()}${inline()} ${chance(0.5) ? sentence() : ''}</p>`);
  }
  return paragraphs.join('');
}

mkdirSync(dirname(out), { recursive: true });
const stream = createWriteStream(out);
async function write(text) {
  if (!stream.write(text)) await once(stream, 'drain');
}

// About 50 comments a thread on average, as on a busy blog; a long tail of bigger threads.
const threadCount = Math.max(1, Math.ceil(total / 50));
const start = Date.UTC(2012, 0, 1);
const span = Date.UTC(2024, 11, 31) - start;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

await write(
  '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd http://disqus.com/api/schemas/1.0/disqus-internals.xsd">\n' +
    '<category dsq:id="1"><forum>bench</forum><title>General</title><isDefault>true</isDefault></category>\n',
);
for (let t = 0; t < threadCount; t++) {
  const created = start + Math.floor((t / threadCount) * span);
  await write(
    `<thread dsq:id="${1_000_000 + t}"><id>post-${t}</id><forum>bench</forum><category dsq:id="1"/>` +
      `<link>https://blog.example.org/${new Date(created).getUTCFullYear()}/post-${t}/</link>` +
      `<title>${escapeXml(`${pick(topics)} #${t}`)}</title><message/><createdAt>${iso(created)}</createdAt>` +
      `<author><email>editor@example.org</email><name>Editor</name><isAnonymous>false</isAnonymous><username>editor</username></author>` +
      `<ipAddress>203.0.113.1</ipAddress><isClosed>${chance(0.05)}</isClosed><isDeleted>false</isDeleted></thread>\n`,
  );
}

// Posts in time order across a window of threads open for discussion at once, as exports list
// them; each open thread remembers its last few posts and their depths, to reply to.
const open = [];
let nextThread = 0;
const quota = () => 1 + Math.floor(-Math.log(1 - random()) * 50);
function openThread() {
  if (nextThread >= threadCount) return;
  open.push({ index: nextThread, left: quota(), recent: [] });
  nextThread++;
}
for (let i = 0; i < 200; i++) openThread();

for (let n = 0; n < total; n++) {
  if (open.length === 0) {
    // every thread used up its share: reopen from the start
    nextThread = 0;
    for (let i = 0; i < 200; i++) openThread();
  }
  const slot = Math.floor(random() * open.length);
  const thread = open[slot];
  const threadIndex = thread.index;
  const id = 100_000_000 + n;
  let parent = null;
  let depth = 0;
  if (thread.recent.length > 0 && chance(0.55)) {
    const target = pick(thread.recent);
    if (target.depth < 6) {
      parent = target.id;
      depth = target.depth + 1;
    }
  }
  thread.recent.push({ id, depth });
  if (thread.recent.length > 12) thread.recent.shift();
  const created = start + Math.floor((n / Math.max(1, total)) * span);
  const spam = chance(0.01);
  const deleted = !spam && chance(0.02);
  const name = `${pick(firstNames)} ${pick(lastNames)}`;
  const anonymous = chance(0.3);
  await write(
    `<post dsq:id="${id}"><id/><message><![CDATA[${deleted ? '' : body()}]]></message>` +
      `<createdAt>${iso(created)}</createdAt><isDeleted>${deleted}</isDeleted><isSpam>${spam}</isSpam>` +
      `<author>${anonymous ? '<email/>' : `<email>reader${n % 50_000}@example.net</email>`}<name>${escapeXml(name)}</name>` +
      `<isAnonymous>${anonymous}</isAnonymous>${anonymous ? '' : `<username>reader${n % 50_000}</username>`}</author>` +
      `<ipAddress>198.51.100.${n % 250}</ipAddress><thread dsq:id="${1_000_000 + threadIndex}"/>` +
      `${parent === null ? '' : `<parent dsq:id="${parent}"/>`}</post>\n`,
  );
  thread.left--;
  if (thread.left === 0) {
    open[slot] = open[open.length - 1];
    open.pop();
    openThread();
  }
}
await write('</disqus>\n');
stream.end();
await once(stream, 'finish');
console.error(`wrote ${total} comments in ${threadCount} threads to ${out}`);
