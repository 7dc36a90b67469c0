// The published packages as npm would publish them: each is packed with `npm pack`, and the
// tarball (not the work tree) is checked by publint and arethetypeswrong and read for what
// must be in it. Run after `npm run build`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['@colloquy/api', '@colloquy/widget', '@colloquy/react', '@colloquy/ssr'];

/** A command the root package installs. */
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(file, args, options = {}) {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: root, maxBuffer: 64 << 20, ...options }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, output: `${stdout}${stderr}` }),
    );
  });
}

let dir;
/** Package name → { tarball, files (paths inside the tarball, without `package/`) }. */
const packed = new Map();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'colloquy-pack-'));
  const workspaces = PACKAGES.flatMap((name) => ['-w', name]);
  const { code, stdout, output } = await run('npm', [
    'pack',
    '--json',
    '--pack-destination',
    dir,
    ...workspaces,
  ]);
  assert.equal(code, 0, output);
  for (const entry of JSON.parse(stdout)) {
    packed.set(entry.name, {
      tarball: join(dir, entry.filename),
      files: new Set(entry.files.map((f) => f.path)),
    });
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Every file an `exports` map names (wildcards left out), with the condition that names it. */
function exportTargets(exports, subpath = '.', condition = 'default') {
  if (typeof exports === 'string') return [{ subpath, condition, target: exports }];
  return Object.entries(exports).flatMap(([key, value]) =>
    key.startsWith('.') ? exportTargets(value, key, 'default') : exportTargets(value, subpath, key),
  );
}

for (const name of PACKAGES) {
  describe(name, () => {
    const manifest = () => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));

    test('publint finds nothing in the packed tarball, not even a suggestion', async () => {
      const { code, output } = await run(bin('publint'), ['run', packed.get(name).tarball, '--strict']);
      assert.equal(code, 0, output);
      assert.match(output, /All good!/, output);
    });

    test('arethetypeswrong finds every export typed in the packed tarball (ESM only)', async () => {
      // The packages are ES modules only, by design: require() and node10's resolution, which
      // ignores `exports`, are out of scope (`--profile esm-only`); everything else must pass.
      const { code, output } = await run(bin('attw'), [
        packed.get(name).tarball,
        '--profile',
        'esm-only',
        '--format',
        'ascii',
      ]);
      assert.equal(code, 0, output);
    });

    test('the tarball has its README and LICENSE, every file its exports name, and no tests', () => {
      const { files } = packed.get(name);
      assert.ok(files.has('README.md'), 'README.md');
      assert.ok(files.has('LICENSE'), 'LICENSE');
      for (const { subpath, target } of exportTargets(manifest().exports)) {
        if (target.includes('*')) continue;
        assert.ok(files.has(target.replace(/^\.\//, '')), `${subpath} → ${target} is in the tarball`);
      }
      const unwanted = [...files].filter((f) => /\.test\.|\.fixtures\.|test-env\.|tsbuildinfo/.test(f));
      assert.deepEqual(unwanted, []);
    });
  });
}

describe('@colloquy/widget manifest', () => {
  const cem = () => JSON.parse(readFileSync(join(root, 'packages/widget/custom-elements.json'), 'utf8'));

  test('every module path in custom-elements.json is a file the tarball ships', () => {
    const { files } = packed.get('@colloquy/widget');
    const paths = new Set();
    const collect = (value) => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object')
        for (const [key, child] of Object.entries(value))
          if ((key === 'path' || key === 'module') && typeof child === 'string') paths.add(child);
          else collect(child);
    };
    collect(cem().modules);
    assert.ok(paths.size > 10);
    assert.deepEqual(
      [...paths].filter((path) => !files.has(path)),
      [],
    );
  });

  test('every element event has its event class as type, declared in the manifest', () => {
    const classes = new Map(
      cem().modules.flatMap((m) => (m.declarations ?? []).map((d) => [d.name, m.path])),
    );
    const events = cem().modules.flatMap((m) =>
      (m.declarations ?? []).filter((d) => d.customElement && d.tagName).flatMap((d) => d.events ?? []),
    );
    assert.ok(events.length >= 6);
    for (const event of events) {
      assert.match(event.type?.text ?? '', /^Colloquy\w+Event$/, `${event.name} has a type`);
      assert.equal(
        event.type.references?.[0]?.module,
        classes.get(event.type.text),
        `${event.name}'s class module`,
      );
    }
  });

  test('each tag is defined by a typed per-tag export of the package', () => {
    const { exports } = JSON.parse(readFileSync(join(root, 'packages/widget/package.json'), 'utf8'));
    const definitions = cem().modules.flatMap((m) =>
      (m.exports ?? [])
        .filter((e) => e.kind === 'custom-element-definition')
        .map((e) => ({ tag: e.name, module: m.path })),
    );
    assert.deepEqual(definitions.map((d) => d.tag).sort(), ['reply-thread', 'source-list', 'topic-card']);
    for (const { tag, module } of definitions) {
      const entry = exports[`./${tag}.js`];
      assert.equal(entry?.default, `./${module}`, `@colloquy/widget/${tag}.js runs ${module}`);
      assert.equal(
        entry?.types,
        `./${module.replace(/\.js$/, '.d.ts')}`,
        `@colloquy/widget/${tag}.js is typed`,
      );
    }
  });

  test('the editor data lists every element, and web-types is announced in package.json', () => {
    const tags = cem()
      .modules.flatMap((m) => m.declarations ?? [])
      .filter((d) => d.customElement && d.tagName)
      .map((d) => d.tagName)
      .sort();
    const dist = (file) => JSON.parse(readFileSync(join(root, 'packages/widget/dist', file), 'utf8'));
    assert.deepEqual(
      dist('vscode.html-custom-data.json')
        .tags.map((t) => t.name)
        .sort(),
      tags,
    );
    const webTypes = dist('web-types.json');
    assert.deepEqual(webTypes.contributions.html.elements.map((e) => e.name).sort(), tags);
    for (const element of webTypes.contributions.html.elements)
      assert.ok(
        packed.get('@colloquy/widget').files.has(element.source.module.replace(/^\.\//, '')),
        element.name,
      );
    const properties = dist('vscode.css-custom-data.json').properties.map((p) => p.name);
    assert.ok(properties.includes('--colloquy-accent'));
    const { 'web-types': announced } = JSON.parse(
      readFileSync(join(root, 'packages/widget/package.json'), 'utf8'),
    );
    assert.ok(packed.get('@colloquy/widget').files.has(announced.replace(/^\.\//, '')));
  });
});
