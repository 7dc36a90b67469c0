// The JavaScript minification of the script-tag bundle, shared by rollup.config.js and the
// size benchmark (which bundles a peer widget the same way).
import terser from '@rollup/plugin-terser';
import { transform } from 'esbuild';

/**
 * `code` with every `const` declaration made a `let` one, written `let  ` so that every other
 * character keeps its place (and a source map of `code` stays right); the minifier after it
 * drops the spaces. In a module that runs, a `const` is never assigned again, so `let` binds
 * the same way, and terser joins `let` declarations that follow each other, which it does not
 * do for `const`. `parse` is rollup's ESTree parser.
 */
function constToLet(code, parse) {
  const starts = [];
  const stack = [parse(code)];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node.type === 'VariableDeclaration' && node.kind === 'const') starts.push(node.start);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) {
        for (const child of value) if (child && typeof child.type === 'string') stack.push(child);
      } else if (value && typeof value.type === 'string') stack.push(value);
    }
  }
  let out = code;
  for (const start of starts.sort((a, b) => b - a)) {
    if (!out.startsWith('const', start)) throw new Error(`const-to-let: no const at ${start}`);
    out = `${out.slice(0, start)}let  ${out.slice(start + 5)}`;
  }
  return out;
}

/**
 * esbuild's syntax minifier, then terser. esbuild inlines functions used once and drops unused
 * catch bindings, which terser leaves; terser then compresses and mangles. terser also drops
 * unused function parameters: nothing in the bundle reads a function's length.
 *
 * terser also mangles the properties whose names start with `_$`: Lit's production build gives
 * the private fields its packages share such short, fixed names so that separately built Lit
 * packages agree on them, and the script-tag bundle holds all of its Lit, which nothing outside
 * the bundle reaches into. The names are shared across the chunks of a build (`nameCache`), so
 * chunks of one build would still agree.
 */
export function minifyJs() {
  // Every word of every module bundled, but the `_$` names mangled: property names a mangled
  // name must never take. Terser already avoids the property names of the chunk it minifies;
  // a `_$` name mangled in one chunk keeps its name (nameCache) in the others, where that name
  // could be an unmangled property of theirs. Reserving every word of the build rules that out.
  const reserved = new Set();
  const reservedList = [];
  return [
    {
      name: 'reserve-property-names',
      transform(code) {
        for (const word of code.match(/[A-Za-z_$][\w$]*/g) ?? [])
          if (!word.startsWith('_$') && !reserved.has(word)) {
            reserved.add(word);
            reservedList.push(word);
          }
        return null;
      },
    },
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
        return { code: constToLet(out, (source) => this.parse(source)), map };
      },
    },
    terser({
      ecma: 2022,
      module: true,
      compress: { passes: 2, keep_fargs: false },
      mangle: { properties: { regex: /^_\$/, reserved: reservedList } },
      nameCache: {},
      format: { comments: false },
    }),
  ];
}
