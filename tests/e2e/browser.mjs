// Launches the system Chromium (or, with LANES_BROWSER=firefox, Debian's
// Firefox ESR: see firefox.mjs) with a fresh profile (Playwright never
// downloads a browser here) and opens a page that fails loudly: every
// console error and uncaught exception is collected.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { launchFirefox } from './firefox.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const BROWSER = process.env.LANES_BROWSER || 'chromium';

export async function launch() {
  if (BROWSER === 'firefox') return launchFirefox();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lanes-pw-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/// Opens `url` and returns the page with `errors`, the console errors and
/// page errors seen so far (an empty list is part of every test).
/// `init` runs in the page before any of its scripts (the start faults of
/// threads.test.mjs).
export async function open(context, url, init = null) {
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  return { page, errors };
}

/// Waits for the environment card, which shows once the worker has started
/// (1-5 s). If it never shows, the failure says what the page showed, the
/// stage the worker's start was in, and the console errors.
export async function envCard({ page, errors }, timeout = 45_000) {
  await page.waitForSelector('.env dl', { timeout }).catch(async (e) => {
    const text = await page.locator('body').innerText().catch((x) => `(no text: ${x.message})`);
    const stage = await page.evaluate(() => window.lanes?.stage).catch((x) => `(${x.message})`);
    throw new Error(
      `${e.message}\nthe worker's start was: ${stage}\nconsole errors: ${JSON.stringify(errors)}\npage text: ${text.slice(0, 800)}`,
    );
  });
}

/// One browser for a test file: launched before its tests (once LANES_URL is
/// known to be set), closed after them. Returns the getter of the browser.
export function browserForTests() {
  let browser;
  before(async () => {
    assert.ok(process.env.LANES_URL, 'LANES_URL names the served site');
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser;
}
