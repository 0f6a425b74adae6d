/**
 * Launches Debian's Chromium through playwright-core. A missing browser is a failure with the
 * install command, never a skip: CI installs it in .ci/run, a developer installs it once.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Where the browser tests save screenshots: docs/screenshots/ for the README with
 * UPDATE_SCREENSHOTS=1, a temp dir otherwise (so a test run leaves the checkout clean).
 */
export function screenshotDir(): string {
  const dir =
    process.env.UPDATE_SCREENSHOTS === '1'
      ? join(process.cwd(), 'docs', 'screenshots')
      : join(tmpdir(), 'postroom-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
