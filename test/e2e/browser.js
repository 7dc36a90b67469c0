// Headless Chromium for the end-to-end tests and benchmarks, from the machine's own install.
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, findChrome } from '../../scripts/find-chrome.js';

export function launchBrowser() {
  return puppeteer.launch({ executablePath: findChrome(), headless: true, args: CHROME_ARGS });
}
