/**
 * Launches Debian's Chromium through playwright-core. A missing browser is a failure with the
 * install command, never a skip: CI installs it in .ci/run, a developer installs it once.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The dashboard browser tests need Chromium at ${CHROMIUM_PATH}, and it is not there.\n` +
        'Install it with:  apt-get update && apt-get install -y chromium   (Debian/Ubuntu, as root)\n' +
        'or set CHROMIUM_PATH to a Chromium binary. These tests are never skipped.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}
