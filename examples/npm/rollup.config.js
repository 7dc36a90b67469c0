// A developer's own app bundle: the elements come from the npm package as ES modules and are
// bundled together with the app's code (Lit once, shared).
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'build/main.js',
  output: { file: 'public/bundle.js', format: 'es' },
  plugins: [nodeResolve()],
};
