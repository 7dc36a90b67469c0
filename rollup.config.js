// Builds the script-tag bundle: a minified ES module with Lit inside, from the compiled define
// entry (the core, served as /widget.js), and the modules it loads on intent (the reply form,
// proof of work and its worker, the live stream), written as hashed chunks to dist/widget/ and served at
// /widget/<name>. A chunk imports the core as `../widget.js`, so the core keeps that name.
// TypeScript is compiled by `tsc -b` first, so rollup never calls the compiler.
import { rmSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minifyJs } from './scripts/minify-js.js';
import { minifyTemplates } from './scripts/minify-templates.js';
import { workerChunks } from './scripts/worker-chunks.js';

const HYDRATE = /[/\\]ssr[/\\]hydrate\.js$/;
const plugins = () => [minifyTemplates(), nodeResolve({ exportConditions: ['production'] }), ...minifyJs()];

// Chunk names change with their content: no chunk of an older build stays beside the new ones.
rmSync('packages/widget/dist/widget', { recursive: true, force: true });

export default [
  {
    input: 'packages/widget/dist/define.js',
    // The core exports setMessages() to pages, and what the chunks share with it to them: one
    // module, no facade before it.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'packages/widget/dist',
      entryFileNames: 'widget.js',
      chunkFileNames: 'widget/[name]-[hash].js',
      // A module too small for a request of its own (a shared constant) joins a chunk it serves.
      experimentalMinChunkSize: 500,
      format: 'es',
      // The map is written beside the bundle but not announced in it: the comment would cost every
      // reader bytes; attach the map in the browser's developer tools when debugging.
      sourcemap: 'hidden',
    },
    // The proof-of-work worker becomes a chunk of its own, found through its URL.
    plugins: [workerChunks(), ...plugins()],
  },
  // The elements for servers (@colloquy/ssr), with their templates minified as in the bundle
  // above, so that what a server renders is what the bundle's elements hydrate. Lit and the
  // other packages stay imports, resolved by Node to their server builds.
  {
    input: 'packages/widget/dist/ssr/server.js',
    // Hydration support is for browsers: its dynamic import stays one, to the module beside.
    external: (id, importer) =>
      isAbsolute(id)
        ? HYDRATE.test(id)
        : !id.startsWith('.') || (!!importer && HYDRATE.test(join(dirname(importer), id))),
    // One file: what the elements load on intent in a browser is at hand on a server.
    output: { file: 'packages/widget/dist/ssr/elements.js', format: 'es', inlineDynamicImports: true },
    plugins: [minifyTemplates()],
  },
  // The moderation console, served at /admin: a bundle of its own, so readers never load it.
  {
    input: 'packages/widget/dist/console/console.define.js',
    // One file: the console's few lazily loaded modules (proof of work, live stream) come inline.
    output: {
      file: 'packages/widget/dist/console.js',
      format: 'es',
      sourcemap: 'hidden',
      inlineDynamicImports: true,
    },
    plugins: plugins(),
  },
];
