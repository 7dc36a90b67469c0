// Locates a Chrome or Chromium binary for the element and end-to-end tests and the benchmarks.
import { accessSync, constants } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Flags for a headless browser on a machine with no network beyond loopback. */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser to use: `CHROME_PATH` when set, else the first usual install location found. */
export function findChrome() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH is set to ${fromEnv}, but no executable is there.`);
  }
  const found = CANDIDATES.find(isExecutable);
  if (found) return found;
  throw new Error(
    'No Chrome or Chromium found. Install one (on Debian: apt-get install chromium) ' +
      'or set CHROME_PATH to its executable. Looked in: ' +
      CANDIDATES.join(', '),
  );
}
