// The framework types made from the manifest, checked by each framework's own checker: the
// correct use in good.* passes, and each mistake in mistakes.* (a misspelt attribute, a value
// the attribute does not take, a handler for another event) fails on its own line, and nothing
// else fails. Run after `npm run build`, which generates the types.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const bin = (pkg, path) => join(require.resolve(`${pkg}/package.json`).replace(/package\.json$/, ''), path);

/** Runs a checker; its diagnostics as `{ file, line, message }`, whatever its exit code. */
function check(args, parse) {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: here, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ failed: Boolean(error), diagnostics: parse(`${stdout}\n${stderr}`) }),
    );
  });
}

/** `path(line,col): error TS…: message` and its indented lines, as tsc and vue-tsc print without --pretty. */
const tscDiagnostics = (output) =>
  [...output.matchAll(/^(?:.*\/)?([^/\s(]+)\((\d+),\d+\): error (TS\d+: .*(?:\n {2}.*)*)$/gm)].map(
    ([, file, line, message]) => ({ file, line: Number(line), message }),
  );

/** `<time> ERROR "file" line:col "message"`, svelte-check's machine output. */
const svelteDiagnostics = (output) =>
  [...output.matchAll(/^\d+ (?:ERROR|WARNING) "([^"]+)" (\d+):\d+ "(.*)"$/gm)].map(
    ([, file, line, message]) => ({
      file,
      line: Number(line),
      message,
    }),
  );

const checkers = {
  tsc: (dir) => check([bin('typescript', 'bin/tsc'), '-p', dir, '--pretty', 'false'], tscDiagnostics),
  'vue-tsc': (dir) =>
    check([bin('vue-tsc', 'bin/vue-tsc.js'), '-p', dir, '--pretty', 'false'], tscDiagnostics),
  'svelte-check': (dir) =>
    check(
      [
        bin('svelte-check', 'bin/svelte-check'),
        '--workspace',
        dir,
        '--tsconfig',
        './tsconfig.json',
        '--output',
        'machine',
      ],
      svelteDiagnostics,
    ),
};

/** The mistakes a fixture holds, each a token found on the line that must fail. */
const MISTAKES = [/\btopc=/, /"drak"/, /=\{?"?onError"?\}?/];

const cases = [
  {
    name: 'React 19 JSX and the @lit/react components',
    dir: 'react',
    checker: 'tsc',
    files: ['good.tsx', 'mistakes.tsx'],
  },
  { name: 'Preact JSX', dir: 'preact', checker: 'tsc', files: ['good.tsx', 'mistakes.tsx'] },
  {
    name: 'Vue templates (strictTemplates)',
    dir: 'vue',
    checker: 'vue-tsc',
    files: ['Good.vue', 'Mistakes.vue'],
  },
  {
    name: 'Svelte markup',
    dir: 'svelte',
    checker: 'svelte-check',
    files: ['Good.svelte', 'Mistakes.svelte'],
  },
];

for (const { name, dir, checker, files } of cases) {
  test(`${name}: ${checker} passes the correct use and fails each mistake on its line`, async () => {
    const [good, mistakes] = files;
    const lines = readFileSync(join(here, dir, mistakes), 'utf8').split('\n');
    const mistakeLines = lines.flatMap((text, i) => (MISTAKES.some((m) => m.test(text)) ? [i + 1] : []));
    assert.ok(mistakeLines.length >= 3, `${mistakes} holds its mistakes`);

    const { failed, diagnostics } = await checkers[checker](join(here, dir));
    assert.equal(failed, true, `${checker} must fail on ${mistakes}`);
    assert.deepEqual(
      diagnostics.filter((d) => d.file === good),
      [],
      `${good} is correct and must pass`,
    );
    const failing = [...new Set(diagnostics.filter((d) => d.file === mistakes).map((d) => d.line))].sort(
      (a, b) => a - b,
    );
    assert.deepEqual(
      failing,
      mistakeLines,
      `exactly the mistake lines of ${mistakes} fail:\n${JSON.stringify(diagnostics, null, 2)}`,
    );
    assert.deepEqual(
      diagnostics.filter((d) => !files.includes(d.file)),
      [],
      'no other file fails',
    );
    const misspelt = diagnostics.find((d) => lines[d.line - 1].includes('topc='));
    assert.match(misspelt.message, /topc\W+ does not exist/);
  });
}
