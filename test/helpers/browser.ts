import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** Debian's `chromium` package; the README's test command installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where browser tests leave screenshots to look at (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts', import.meta.url));

// The machine has no network: without these Chromium waits on connections it will never get.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/**
 * Starts one real headless Chromium for a test file (reuse it across the file's
 * tests, a context each); playwright gives it a fresh --user-data-dir and removes it on close.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the chromium package (the README's test command does)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The path of a named screenshot in the artefacts folder, creating the folder. */
export async function artifactPath(name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
