// The script-tag bundle as a reader's browser downloads it, next to the peer widgets' files as
// a site would include them (installed from npm into bench/.scratch/peers in the same run).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minifyJs } from '../scripts/minify-js.js';
import { BUNDLE, GZIP_BUDGET, compressedSizes } from '../scripts/bundle-size.js';
import { PEERS_DIR, ensurePeers } from './peers-install.js';

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;

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

export async function run() {
  const ours = compressedSizes(BUNDLE);
  mkdirSync(PEERS_DIR, { recursive: true });
  const { versions, note } = ensurePeers();
  const nm = (p) => join(PEERS_DIR, 'node_modules', p);
  const giscusBundle = await bundleGiscus();

  const rows = [
    {
      widget: 'Colloquy (ours)',
      files: ['`colloquy.js` (Lit, three elements and their styles)'],
      sizes: ours,
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
    '`packages/widget/dist/colloquy.js`, served as `/widget.js`: Lit and all three elements, minified.',
    '',
    '| | bytes | |',
    '| --- | ---: | --- |',
    `| raw | ${ours.raw} | ${kb(ours.raw)} |`,
    `| gzip -9 | ${ours.gzip} | ${kb(ours.gzip)} |`,
    `| brotli -q 11 | ${ours.brotli} | ${kb(ours.brotli)} |`,
    '',
    `Budget: ${kb(GZIP_BUDGET)} gzip — **${met ? 'met' : 'MISSED'}** ` +
      `(${kb(ours.gzip)}, ${((ours.gzip / GZIP_BUDGET) * 100).toFixed(1)}% of it, ` +
      `${met ? `${GZIP_BUDGET - ours.gzip} bytes to spare` : `${ours.gzip - GZIP_BUDGET} bytes over`}; ` +
      'checked by `npm test`).',
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
    '- Colloquy includes everything it renders (no iframe, no further script); its styles are in',
    '  the bundle.',
  ].join('\n');
}
