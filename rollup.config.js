// Builds the script-tag bundle: one minified ES module with Lit inside, from the compiled
// define entry. TypeScript is compiled by `tsc -b` first, so rollup never calls the compiler.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { transform } from 'esbuild';
import { minifyTemplates } from './scripts/minify-templates.js';

export default {
  input: 'packages/widget/dist/define.js',
  output: {
    file: 'packages/widget/dist/colloquy.js',
    format: 'es',
    // The map is written beside the bundle but not announced in it: the comment would cost every
    // reader bytes; attach the map in the browser's developer tools when debugging.
    sourcemap: 'hidden',
  },
  plugins: [
    minifyTemplates(),
    nodeResolve({ exportConditions: ['production'] }),
    // esbuild's syntax minifier first: it inlines functions used once and drops unused catch
    // bindings, which terser leaves; terser then compresses and mangles as before.
    {
      name: 'esbuild-minify-syntax',
      async renderChunk(code) {
        const { code: out, map } = await transform(code, {
          minifySyntax: true,
          minifyIdentifiers: true,
          format: 'esm',
          target: 'es2022',
          sourcemap: true,
        });
        return { code: out, map };
      },
    },
    terser({
      ecma: 2022,
      module: true,
      // Nothing in the bundle reads a function's length, so unused parameters may go.
      compress: { passes: 2, keep_fargs: false },
      format: { comments: false },
    }),
  ],
};
