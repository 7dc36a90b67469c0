// A developer's own app bundle: the elements come from the npm package as ES modules and are
// bundled together with the app's code (Lit once, shared).
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'build/main.js',
  // The elements load their reply form and a few other modules on demand: chunks beside the bundle.
  output: {
    dir: 'public',
    entryFileNames: 'bundle.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    format: 'es',
  },
  plugins: [nodeResolve()],
};
