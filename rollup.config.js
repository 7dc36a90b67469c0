// Builds the script-tag bundle: one minified ES module with Lit inside, from the compiled
// define entry. TypeScript is compiled by `tsc -b` first, so rollup never calls the compiler.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minifyJs } from './scripts/minify-js.js';
import { minifyTemplates } from './scripts/minify-templates.js';

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
    },
    plugins: plugins(),
  },
  // The moderation console, served at /admin: a bundle of its own, so readers never load it.
  {
    input: 'packages/widget/dist/console/console.define.js',
    output: { file: 'packages/widget/dist/console.js', format: 'es', sourcemap: 'hidden' },
    plugins: plugins(),
  },
];
