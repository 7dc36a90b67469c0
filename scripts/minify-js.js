// The JavaScript minification of the script-tag bundle, shared by rollup.config.js and the
// size benchmark (which bundles a peer widget the same way).
import { transform } from 'esbuild';
import { minify } from 'terser';

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
 *
 * Which names the `_$` properties get depends on the chunk minified first, since later chunks
 * reuse its names; rollup renders chunks concurrently, so terser runs here one chunk at a time
 * in the order of the chunks' names, and the same sources always give the same bytes (the size
 * budget is checked against them). @rollup/plugin-terser minifies in a pool in whatever order
 * its workers finish, which made two builds of one tree differ by up to 50 bytes gzip.
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
    terserInOrder({
      ecma: 2022,
      module: true,
      compress: { passes: 2, keep_fargs: false },
      mangle: { properties: { regex: /^_\$/, reserved: reservedList } },
      format: { comments: false },
    }),
  ];
}

/** terser over every chunk of an output, one at a time, in the order of the chunks' names. */
function terserInOrder(options) {
  const nameCache = {};
  /** Per output: each chunk's turn, settled when its minification is over. */
  let turns = new Map();
  const order = (chunks) =>
    Object.values(chunks)
      .map((chunk) => ({ file: chunk.fileName, key: `${chunk.name}\0${chunk.moduleIds.join('\0')}` }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ file }) => file);
  return {
    name: 'terser-in-order',
    renderStart() {
      turns = new Map();
    },
    async renderChunk(code, chunk, outputOptions, { chunks }) {
      if (turns.size === 0) {
        let previous = Promise.resolve();
        for (const file of order(chunks)) {
          let settle = () => {};
          const done = new Promise((resolve) => (settle = resolve));
          turns.set(file, { before: previous, settle });
          previous = done;
        }
      }
      const turn = turns.get(chunk.fileName);
      await turn?.before;
      try {
        const result = await minify(code, {
          ...options,
          nameCache,
          sourceMap: outputOptions.sourcemap ? { asObject: true } : false,
        });
        return { code: result.code ?? '', map: result.map ?? null };
      } finally {
        turn?.settle();
      }
    },
  };
}
