// The script-tag bundle as a reader's browser downloads it.
import { BUNDLE, GZIP_BUDGET, compressedSizes } from '../scripts/bundle-size.js';

export async function run() {
  const { raw, gzip, brotli } = compressedSizes(BUNDLE);
  const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
  return [
    '## Script-tag bundle',
    '',
    '`packages/widget/dist/colloquy.js`, served as `/widget.js`: Lit and all three elements, minified.',
    '',
    '| | bytes | |',
    '| --- | ---: | --- |',
    `| raw | ${raw} | ${kb(raw)} |`,
    `| gzip -9 | ${gzip} | ${kb(gzip)} |`,
    `| brotli -q 11 | ${brotli} | ${kb(brotli)} |`,
    '',
    `Budget: ${kb(GZIP_BUDGET)} gzip (${gzip <= GZIP_BUDGET ? 'met' : 'MISSED'}; checked by \`npm test\`).`,
  ].join('\n');
}
