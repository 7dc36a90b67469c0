// A rollup plugin for module workers: each `new URL('./x.js', import.meta.url)` in the bundle's
// modules names a module that becomes a chunk of its own (bundled with its imports, hashed like
// the others), and the expression becomes that chunk's URL. Rollup has no such rule built in;
// this is the chunk form of its documented `import.meta.ROLLUP_FILE_URL_<id>` mechanism.
import MagicString from 'magic-string';

const MODULE_URL = /new URL\((['"])(\.{1,2}\/[\w./-]+\.js)\1,\s*import\.meta\.url\)/g;

export function workerChunks() {
  return {
    name: 'worker-chunks',
    async transform(code, id) {
      if (!code.includes('import.meta.url')) return null;
      const out = new MagicString(code);
      for (const match of code.matchAll(MODULE_URL)) {
        const [whole, , specifier] = match;
        const resolved = await this.resolve(specifier, id);
        if (!resolved) this.error(`worker-chunks: ${specifier} (from ${id}) does not resolve`);
        const ref = this.emitFile({ type: 'chunk', id: resolved.id });
        out.overwrite(match.index, match.index + whole.length, `new URL(import.meta.ROLLUP_FILE_URL_${ref})`);
      }
      return out.hasChanged() ? { code: out.toString(), map: out.generateMap({ hires: true }) } : null;
    },
  };
}
