// The script-tag bundle as a reader's browser downloads it, next to the peer widgets' files as
// a site would include them (installed from npm into bench/.scratch/peers in the same run).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minifyJs } from '../scripts/minify-js.js';
import { BUNDLE, GZIP_BUDGET, chunkFiles, compressedSizes } from '../scripts/bundle-size.js';
import { PEERS_DIR, ensurePeers } from './peers-install.js';

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;

/** Why the core's budget is 14.25 KB and not the 12 KB aimed at. */
const BUDGET_NOTE = [
  'The aim was 12 KB for the core; it takes about 14 KB. Lit alone (lit-html, ReactiveElement,',
  'LitElement, the CSS tag and the context event) is about 5.7 KB of it, gzipped on its own; the',
  'rest is what the first render must have at hand: the three elements with their styles and the',
  'shared theme, the body document renderer, the English strings with plural forms and direction,',
  "the store's read with the reader's held replies, the context protocol, the reaction buttons",
  'with their drawn icons, the reply list with its Reply and Report buttons, the heights reserved',
  'for a returning reader and the slices of a long first render. What a reader does after the',
  'first render is in chunks: writing, posting with proof of work, reacting, editing, reporting,',
  "live updates, more pages, other languages, the form's and the editor's strings, and the API's",
  'URLs other than the topic read; the order control and the permalink follower come in a chunk',
  'loaded beside the core. What could still move is rendering itself, which a first render',
  'needs. The budget is 14.25 KB: what the core takes, and a little room. It was 14 KB until the',
  'first render stopped making the number and date formatters and measuring the elements in the',
  'task that renders them (68 bytes), which took its longest task from 40 to 27 ms of CPU (see',
  'the host page).',
].join('\n');

/** Sizes of several files a page loads, each compressed on its own (one request each). */
function sizesOf(files) {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`size: missing ${file}`);
    const s = compressedSizes(file);
    total.raw += s.raw;
    total.gzip += s.gzip;
    total.brotli += s.brotli;
  }
  return total;
}

/**
 * The giscus package is an unminified ES module importing Lit by bare specifier, so a site has to
 * bundle it: rollup with node-resolve, esbuild and terser, the same settings as our bundle
 * (without our template minifier).
 */
async function bundleGiscus() {
  const out = join(PEERS_DIR, 'giscus-bundle.js');
  const build = await rollup({
    input: join(PEERS_DIR, 'node_modules/giscus/dist/giscus.mjs'),
    plugins: [nodeResolve({ exportConditions: ['production'], rootDir: PEERS_DIR }), ...minifyJs()],
    onwarn: () => {},
  });
  try {
    await build.write({ file: out, format: 'es' });
  } finally {
    await build.close();
  }
  return out;
}

/** What each chunk holds and when the core loads it. */
const CHUNK_ROLES = {
  'reply-form':
    'the reply form, its draft and styles; loaded when its place nears the viewport, or on focus or click of it',
  'post-reply': 'posting a reply with the proof of work; loaded with the form, or when a reply is sent',
  react: 'toggling a reaction; loaded on the first click of a reaction button',
  'live-stream': 'the live event stream; loaded once the first read has been shown',
  'summary-batch': "the compact cards' batched summaries read; loaded by a page with compact cards",
  'reply-edit':
    "the Edit and Delete buttons of the reader's own replies and their editor; loaded when a reply shown is the reader's, within its edit window",
  'load-more':
    'reading more replies ("Load more", "Show more replies" in a cut thread); loaded on the first click',
  'fetch-catalog':
    "the loader of another language's strings; loaded for a reader whose language is not English",
  fields: "the text fields' styles and the style adoption shared by the reply form and the editor",
  hydrate:
    "Lit's hydration of server-rendered elements and the page's read; loaded only by a page with server-rendered elements",
  // Named by rollup after edit-tokens.ts, the first of its modules; it holds own-writes.ts too.
  'edit-tokens':
    "the merge of the reader's own kept writes into an older copy, and the kept edit tokens; loaded when this reader has writes kept, with posting, or with the editor",
  requests:
    "the API's URLs other than the topic read, and the reader's key; loaded with the first chunk that talks to the server",
  'pow-search': 'the SHA-256 proof-of-work search; loaded with the form, in the worker or on the page',
  'pow-worker': "the proof of work's Web Worker entry; started for each solve",
  'reader-controls':
    "the thread's order control and the follower of the page's hash; loaded with the page, beside the core",
  permalink:
    'going to the reply a #reply-<id> hash names (reading it when it is past the pages read); loaded only when the hash names a reply',
};

/** What a chunk is for; a chunk nobody described stops the benchmark rather than go unexplained. */
function roleOf(name) {
  const role = CHUNK_ROLES[name.replace(/-[\w-]{8}\.js$/, '')];
  if (!role) throw new Error(`size: say in CHUNK_ROLES what ${name} holds and when it loads`);
  return role;
}

export async function run() {
  const ours = compressedSizes(BUNDLE);
  const chunks = chunkFiles().map(({ name, file }) => ({ name, sizes: compressedSizes(file) }));
  const all = chunks.reduce(
    (sum, { sizes }) => ({
      raw: sum.raw + sizes.raw,
      gzip: sum.gzip + sizes.gzip,
      brotli: sum.brotli + sizes.brotli,
    }),
    { ...ours },
  );
  mkdirSync(PEERS_DIR, { recursive: true });
  const { versions, note } = ensurePeers();
  const nm = (p) => join(PEERS_DIR, 'node_modules', p);
  const giscusBundle = await bundleGiscus();

  const rows = [
    {
      widget: 'Colloquy (ours), first render',
      files: ['`widget.js` (Lit, three elements and their styles)'],
      sizes: ours,
    },
    {
      widget: 'Colloquy (ours), everything',
      files: ['`widget.js`', `${chunks.length} chunks`],
      sizes: all,
    },
    {
      widget: `Waline ${versions['@waline/client']}`,
      files: ['`dist/waline.umd.js`', '`dist/waline.css`'],
      sizes: sizesOf([nm('@waline/client/dist/waline.umd.js'), nm('@waline/client/dist/waline.css')]),
    },
    {
      widget: `Artalk ${versions.artalk}`,
      files: ['`dist/Artalk.js`', '`dist/Artalk.css`'],
      sizes: sizesOf([nm('artalk/dist/Artalk.js'), nm('artalk/dist/Artalk.css')]),
    },
    {
      widget: `ArtalkLite ${versions.artalk}`,
      files: ['`dist/ArtalkLite.js`', '`dist/ArtalkLite.css`'],
      sizes: sizesOf([nm('artalk/dist/ArtalkLite.js'), nm('artalk/dist/ArtalkLite.css')]),
    },
    {
      widget: `giscus ${versions.giscus} loader, as published`,
      files: ['`dist/giscus.mjs` (unminified; imports Lit, not counted)'],
      sizes: sizesOf([nm('giscus/dist/giscus.mjs')]),
    },
    {
      widget: `giscus ${versions.giscus} loader, bundled`,
      files: ['`dist/giscus.mjs` + Lit, rollup + esbuild + terser'],
      sizes: sizesOf([giscusBundle]),
    },
  ];

  const ratio = (n) => `${(n / ours.gzip).toFixed(2)}×`;
  const met = ours.gzip <= GZIP_BUDGET;
  return [
    '## Script-tag bundle',
    '',
    'The core, `packages/widget/dist/widget.js`, served as `/widget.js`: Lit and what the three',
    'elements need to show a topic and its replies, minified. The chunks in',
    '`packages/widget/dist/widget/`, served at `/widget/<name>`, are loaded by the core when a',
    'reader needs them. Each file is compressed on its own (one request each).',
    '',
    '| file | raw | gzip -9 | brotli -q 11 | loaded |',
    '| --- | ---: | ---: | ---: | --- |',
    `| \`widget.js\` (core) | ${ours.raw} | ${ours.gzip} (${kb(ours.gzip)}) | ${ours.brotli} (${kb(ours.brotli)}) | by the script tag |`,
    ...chunks.map(
      ({ name, sizes }) =>
        `| \`widget/${name}\` | ${sizes.raw} | ${sizes.gzip} | ${sizes.brotli} | ` + `${roleOf(name)} |`,
    ),
    `| all | ${all.raw} | ${all.gzip} (${kb(all.gzip)}) | ${all.brotli} (${kb(all.brotli)}) | |`,
    '',
    `Budget of the core: ${kb(GZIP_BUDGET)} gzip — **${met ? 'met' : 'MISSED'}** ` +
      `(${kb(ours.gzip)}, ${((ours.gzip / GZIP_BUDGET) * 100).toFixed(1)}% of it, ` +
      `${met ? `${GZIP_BUDGET - ours.gzip} bytes to spare` : `${ours.gzip - GZIP_BUDGET} bytes over`}; ` +
      'checked by `npm test`).',
    '',
    BUDGET_NOTE,
    '',
    '### Next to the peer widgets',
    '',
    `The files a site includes for each peer, from the npm packages (${note}): ` +
      Object.entries(versions)
        .map(([name, v]) => `\`${name}@${v}\``)
        .join(', ') +
      '. Each file is compressed on its own (one request each) with the same settings as ours ' +
      "(gzip level 9, brotli quality 11) and the sizes of a widget's files are added up. " +
      'Ratios are gzip bytes over ours, measured in the same run.',
    '',
    '| widget | files | raw | gzip | brotli | gzip ratio to ours |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ({ widget, files, sizes }) =>
        `| ${widget} | ${files.join(' + ')} | ${sizes.raw} | ${sizes.gzip} (${kb(sizes.gzip)}) | ` +
        `${sizes.brotli} (${kb(sizes.brotli)}) | ${ratio(sizes.gzip)} |`,
    ),
    '',
    '- Waline: the full UMD build, which renders the comment list and editor itself (Vue included).',
    '- Artalk and ArtalkLite: the UMD builds with their stylesheet (both packages ship the same CSS).',
    '- giscus: the `giscus` npm package is only the `<giscus-widget>` loader; it inserts an iframe',
    "  with the giscus.app application (its HTML, scripts and styles, plus GitHub's API behind it),",
    '  which renders the discussion. That application is not measured here (the benchmark has no',
    '  network beyond npm), so the giscus rows are a lower bound of what a reader downloads. Sites',
    '  using giscus\'s own `<script src="https://giscus.app/client.js">` load a similar loader from',
    '  giscus.app instead.',
    '- Colloquy includes everything it renders (no iframe); its styles are in the bundle. The',
    '  "first render" row is what a reader who only reads downloads; "everything" adds every chunk',
    '  (a reader who reacts, writes and stays for live updates).',
  ].join('\n');
}
