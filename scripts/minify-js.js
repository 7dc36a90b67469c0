// The JavaScript minification of the script-tag bundle, shared by rollup.config.js and the
// size benchmark (which bundles a peer widget the same way).
import terser from '@rollup/plugin-terser';
import { transform } from 'esbuild';

/**
 * esbuild's syntax minifier, then terser. esbuild inlines functions used once and drops unused
 * catch bindings, which terser leaves; terser then compresses and mangles. terser also drops
 * unused function parameters: nothing in the bundle reads a function's length.
 */
export function minifyJs() {
  return [
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
      compress: { passes: 2, keep_fargs: false },
      format: { comments: false },
    }),
  ];
}
