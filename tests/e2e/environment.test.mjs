// End to end, in Chromium and (LANES_BROWSER=firefox) Firefox: the
// environment card tells the truth about the browser it runs in. Served
// cross-origin isolated (LANES_URL) and bare (LANES_BARE_URL: no headers, no
// service worker), the card's isolation, threads and timer resolution match
// what the page and its worker measure, and show how the two browsers
// differ (Chromium's isolated timer steps 5 µs, Firefox's 20 µs; without
// isolation 100 µs and 1 ms).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BROWSER, envCard, launch, open } from './browser.mjs';

const SITES = { isolated: process.env.LANES_URL, bare: process.env.LANES_BARE_URL };
let browser;

before(async () => {
  assert.ok(SITES.isolated && SITES.bare, 'LANES_URL and LANES_BARE_URL name the served site');
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/// The smallest step of the page's own performance.now().
const pageStepNs = (p) => p.evaluate(() => {
  let step = Infinity;
  let last = performance.now();
  for (let i = 0; i < 200_000 && step > 1e-6; i++) {
    const now = performance.now();
    if (now > last) step = Math.min(step, now - last);
    last = now;
  }
  return step * 1e6;
});

for (const [mode, url] of Object.entries(SITES)) {
  test(`${BROWSER}, served ${mode}: the environment card matches the browser`, { timeout: 60_000 }, async (t) => {
    const opened = await open(browser.context, url);
    const { page: p, errors } = opened;
    await envCard(opened);
    const env = await p.evaluate(() => window.lanes.ready);
    const card = Object.fromEntries(await p.locator('.env dl dt').evaluateAll((dts) =>
      dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    const isolated = await p.evaluate(() => crossOriginIsolated);
    const step = await pageStepNs(p);
    t.diagnostic(`card: ${JSON.stringify(card)}; page timer step ${step.toFixed(0)} ns; worker ${env.timer_resolution_ns} ns`);
    assert.equal(isolated, mode === 'isolated');
    assert.equal(env.cross_origin_isolated, isolated);
    assert.equal(card['Cross-origin isolated'], isolated ? 'yes' : 'no');
    assert.match(card.Browser, BROWSER === 'firefox' ? /^Firefox \d+$/ : /^Chrome \d+$/);
    assert.match(card.Threads, isolated ? /^yes: a pool of \d+ Web Workers/ : /^no: /);
    assert.equal(env.threads, isolated);
    // The card shows the worker's measured step; the page's clock agrees
    // to within a factor of two.
    const r = env.timer_resolution_ns;
    const shown = r >= 1e6 ? `${r / 1e6} ms` : r >= 1000 ? `${(r / 1000).toFixed(0)} µs` : `${r.toFixed(0)} ns`;
    assert.equal(card['Timer resolution'], shown);
    assert.ok(env.timer_resolution_ns < 2 * step + 1 && step < 2 * env.timer_resolution_ns + 1,
      `worker ${env.timer_resolution_ns} ns, page ${step} ns`);
    // What each browser gives, isolated or not.
    const expected = { chromium: { isolated: 5_000, bare: 100_000 }, firefox: { isolated: 20_000, bare: 1_000_000 } };
    const want = expected[BROWSER][mode];
    assert.ok(env.timer_resolution_ns <= want * 1.5 && env.timer_resolution_ns >= want / 1.5,
      `${BROWSER} ${mode}: ${env.timer_resolution_ns} ns, expected about ${want}`);
    const bareErrors = mode === 'bare'
      ? errors.filter((e) => !/coi-serviceworker\.js|404 \(Not Found\)/.test(e)) : errors;
    assert.deepEqual(bareErrors, []);
    await p.close();
  });
}
