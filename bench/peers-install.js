// The peer widgets the size part compares against, installed from npm into a scratch folder
// (bench/.scratch is git-ignored). The install is skipped when every package is already there
// at the version npm would pick now; the files are always measured afresh.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PEERS_DIR = fileURLToPath(new URL('./.scratch/peers/', import.meta.url));
export const PEER_PACKAGES = ['@waline/client', 'artalk', 'giscus'];
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Version of an installed peer package, or undefined. */
export function installedVersion(name) {
  const file = join(PEERS_DIR, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

/** The version `npm install` would pick now (the `latest` tag), or undefined when offline. */
function latestVersion(name) {
  try {
    return execFileSync(NPM, ['view', name, 'version'], { encoding: 'utf8', timeout: 60_000 }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the peers are installed; returns `{ versions, note }` where `note` says whether this
 * run installed them or reused the scratch copy.
 */
export function ensurePeers() {
  mkdirSync(PEERS_DIR, { recursive: true });
  const wanted = Object.fromEntries(PEER_PACKAGES.map((name) => [name, latestVersion(name)]));
  const current = Object.fromEntries(PEER_PACKAGES.map((name) => [name, installedVersion(name)]));
  const upToDate = PEER_PACKAGES.every(
    (name) => current[name] && (wanted[name] === undefined || wanted[name] === current[name]),
  );
  let note;
  if (upToDate) {
    note = 'already installed at the latest versions; install skipped';
  } else {
    const specs = PEER_PACKAGES.map((name) => (wanted[name] ? `${name}@${wanted[name]}` : name));
    execFileSync(
      NPM,
      [
        'install',
        '--no-save',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--prefix',
        PEERS_DIR,
        ...specs,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 },
    );
    note = 'installed from npm in this run';
  }
  const versions = Object.fromEntries(PEER_PACKAGES.map((name) => [name, installedVersion(name)]));
  return { versions, note };
}
