// Builds the script-tag bundle: one minified ES module with Lit inside, from the compiled
// define entry. TypeScript is compiled by `tsc -b` first, so rollup never calls the compiler.
import { dirname, isAbsolute, join } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minifyJs } from './scripts/minify-js.js';
import { minifyTemplates } from './scripts/minify-templates.js';

const HYDRATE = /[/\\]ssr[/\\]hydrate\.js$/;
const plugins = () => [minifyTemplates(), nodeResolve({ exportConditions: ['production'] }), ...minifyJs()];

export default [
  {
    input: 'packages/widget/dist/define.js',
    output: {
      file: 'packages/widget/dist/colloquy.js',
      format: 'es',
      // The map is written beside the bundle but not announced in it: the comment would cost every
      // reader bytes; attach the map in the browser's developer tools when debugging.
      sourcemap: 'hidden',
      inlineDynamicImports: true,
    },
    plugins: plugins(),
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
    output: { file: 'packages/widget/dist/ssr/elements.js', format: 'es' },
    plugins: [minifyTemplates()],
  },
  // The moderation console, served at /admin: a bundle of its own, so readers never load it.
  {
    input: 'packages/widget/dist/console/console.define.js',
    output: {
      file: 'packages/widget/dist/console.js',
      format: 'es',
      sourcemap: 'hidden',
      inlineDynamicImports: true,
    },
    plugins: plugins(),
  },
];
