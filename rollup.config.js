// Builds the script-tag bundle: one minified ES module with Lit inside, from the compiled
// define entry. TypeScript is compiled by `tsc -b` first, so rollup never calls the compiler.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: 'packages/widget/dist/define.js',
  output: {
    file: 'packages/widget/dist/colloquy.js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    nodeResolve({ exportConditions: ['production'] }),
    terser({
      ecma: 2022,
      module: true,
      compress: { passes: 2 },
      format: { comments: false },
    }),
  ],
};
