// Measuring this checkout against another one in the same run. COLLOQUY_BENCH_BASELINE names a
// checkout built with `npm ci && npm run build` (for example a worktree of main:
// `git worktree add ../colloquy-baseline main`); the throughput and data-scale parts then load
// both server builds and measure them in turn, round by round, so that a slow moment of a
// shared machine hits both alike.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const THIS_CHECKOUT = fileURLToPath(new URL('..', import.meta.url));

/** The baseline checkout named by COLLOQUY_BENCH_BASELINE, or null; throws when it is not built. */
export function baselineRoot() {
  const root = process.env.COLLOQUY_BENCH_BASELINE;
  if (!root) return null;
  const entry = join(resolve(root), 'packages/server/dist/index.js');
  if (!existsSync(entry))
    throw new Error(`COLLOQUY_BENCH_BASELINE: ${entry} is missing; run npm ci && npm run build in ${root}`);
  return resolve(root);
}

/** A module of the server build of the checkout at `root` (this one when omitted). */
export function serverBuild(root, module = 'index.js') {
  return import(pathToFileURL(join(root ?? THIS_CHECKOUT, 'packages/server/dist', module)).href);
}

/**
 * A checkout as the results name it: its commit, marked when its code has uncommitted changes
 * (bench/RESULTS.md, which a run rewrites, does not count).
 */
export function checkoutName(root = THIS_CHECKOUT) {
  const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
  try {
    const changed = git('status', '--porcelain', '--', '.', ':!bench/RESULTS.md') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? ' with uncommitted changes' : ''}`;
  } catch {
    return root;
  }
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The q-quantile (0 ≤ q ≤ 1) of `values`, by the nearest rank. */
export const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
};

export const percent = (ratio) => `${ratio >= 0 ? '+' : '−'}${Math.abs(ratio * 100).toFixed(1)}%`;

/**
 * This build's gain over the baseline, pair by pair: `gains[k]` compares the k-th measurement
 * of each, taken one right after the other (+ is better for this build). Pairing cancels the
 * slow moments of a shared machine, which hit both alike; the quartiles of the pairs show what
 * remains of the noise.
 */
export function pairedGain(gains) {
  return { median: median(gains), low: quantile(gains, 0.25), high: quantile(gains, 0.75) };
}

export const gainCell = (g) => `${percent(g.median)} (${percent(g.low)} … ${percent(g.high)})`;

/** The sentence under a comparison table: `rows` are { name, gain: pairedGain(…) }. */
export function verdict(rows) {
  const worst = rows.reduce((a, b) => (b.gain.median < a.gain.median ? b : a));
  const best = rows.reduce((a, b) => (b.gain.median > a.gain.median ? b : a));
  const apart = rows.filter((r) => r.gain.low > 0 || r.gain.high < 0);
  return (
    `Pair by pair, this build's median gain over the baseline ranges from ${percent(worst.gain.median)} (${worst.name}) ` +
    `to ${percent(best.gain.median)} (${best.name}). ` +
    (apart.length === 0
      ? 'In every row the middle half of the pairs holds both signs: the two builds differ by less than the noise.'
      : `In ${apart.map((r) => `${r.name} (${percent(r.gain.median)})`).join(', ')} the middle half of the pairs favours one build; ` +
        'in the other rows the two builds differ by less than the noise.')
  );
}
