// End to end: threads, and the three ways the same dist/ is served (set by
// `cargo xtask test`; a mode whose variable is absent is skipped):
//
//   LANES_URL        with COOP/COEP/CORP: cross-origin isolated from the start;
//   LANES_PLAIN_URL  no headers: coi-serviceworker.js registers a service
//                    worker that adds them, and reloads the page (once, or
//                    twice in Chromium) until it is isolated;
//   LANES_BARE_URL   no headers and a 404 for /coi-serviceworker.js: never
//                    isolated, so one thread, with the reason shown.
//
// Another test serves a broken copy of dist/ (server.mjs) (a "threaded" build
// whose memory is not shared) and checks that it is detected; three more
// inject start faults: a pool thread that never answers and a start that
// stalls leave a page that works on one thread and says why, and a pool
// start that blocks the worker is retried and gets its threads.
// Timings are never asserted here, only what runs and what is verified.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, open } from './browser.mjs';
import { serveDir } from './server.mjs';

const ISOLATED_URL = process.env.LANES_URL;
const PLAIN_URL = process.env.LANES_PLAIN_URL;
const BARE_URL = process.env.LANES_BARE_URL;
const DIST = process.env.LANES_DIST || fileURLToPath(new URL('../../dist/', import.meta.url));
// worker.js: the pool has every core the browser reports, at most 16.
const MAX_POOL = 16;

const env = (page) => page.evaluate(() => window.lanes.ready);
const run = (page, request) => page.evaluate((r) => window.lanes.run(r), request);
/// The message a refused request is rejected with ('ran' if it ran).
const refusal = (page, request) =>
  page.evaluate((r) => window.lanes.run(r).then(() => 'ran', (e) => e.message), request);

/// The text of the environment card's Threads row, once the card shows it.
async function threadsRow(page) {
  const dd = page.locator('dt', { hasText: /^\s*Threads\s*$/ }).locator('xpath=following-sibling::dd[1]');
  await dd.waitFor({ timeout: 30_000 });
  return (await dd.textContent()).trim();
}

/// Every requested rung ran, in order, was verified against the reference,
/// and gave one sample per repeat; nothing was refused.
function assertVerified(summary, variants, repeats) {
  assert.deepEqual(summary.failed, []);
  assert.deepEqual(summary.results.map((r) => r.variant), variants);
  for (const r of summary.results) {
    assert.equal(r.verified, true, `${r.variant} verified`);
    assert.equal(r.samples_ns.length, repeats, r.variant);
    assert.ok(r.min_ns > 0 && r.min_ns <= r.median_ns, r.variant);
  }
}

// A one-core browser has no pool: locally the threads tests skip, loudly;
// in CI (CI=true) that is a failure, or a one-core CI would pass without
// ever testing threads.
function oneCore(t, e, why) {
  assert.ok(!process.env.CI, `CI must test threads, but the browser reports ${e.hardware_concurrency} core: ${why}`);
  t.diagnostic(`THREADS NOT TESTED: the browser reports ${e.hardware_concurrency} core`);
  return t.skip(`one core: ${why}`);
}

test('served cross-origin isolated, the threaded build runs simd-threads on a pool of every core', { timeout: 90_000 }, async (t) => {
  if (!ISOLATED_URL) return t.skip('LANES_URL is not set');
  const browser = await launch();
  try {
    const { page, errors } = await open(browser.context, ISOLATED_URL);
    const e = await env(page);
    t.diagnostic(`cores ${e.hardware_concurrency}, pool ${e.max_threads}, build "${e.build}"`);
    assert.equal(e.cross_origin_isolated, true, 'served with COOP/COEP');
    if (e.hardware_concurrency < 2) {
      return oneCore(t, e, 'there is no pool to test here');
    }
    assert.equal(e.threads, true, `threads on (reason given: ${e.threads_reason})`);
    assert.equal(e.threads_reason, null);
    assert.equal(e.max_threads, Math.min(e.hardware_concurrency, MAX_POOL), 'the pool has every core, at most 16');
    assert.ok(e.max_threads >= 2);
    assert.match(e.build, /\bthreaded$/);
    // The probe timed every thread count of the pool, and the threads that
    // help are the fewest within 10% of its best time.
    t.diagnostic(`thread probe (ns per loop by threads): ${e.thread_probe_ns.map(Math.round).join(', ')}; ${e.useful_threads} help`);
    assert.equal(e.thread_probe_ns.length, e.max_threads);
    const best = Math.min(...e.thread_probe_ns);
    assert.equal(e.useful_threads, e.thread_probe_ns.findIndex((ns) => ns <= best * 1.1) + 1);

    // One thread more than the pool is refused, naming the limit...
    const max = e.max_threads;
    const refused = await refusal(page, {
      op: 'exp', dtype: 'f32', shape: [1000], variants: ['simd-threads'], threads: max + 1, repeats: 1,
    });
    assert.match(refused, new RegExp(`threads must be between 1 and ${max}\\b`));
    // ...and the pool then runs, every thread of it.
    const repeats = 3;
    const s = await run(page, {
      op: 'exp', dtype: 'f32', shape: [1_000_000], variants: ['simd', 'simd-threads'], threads: max, repeats, min_sample_ms: 5,
    });
    assertVerified(s, ['simd', 'simd-threads'], repeats);
    assert.equal(s.info.threads, max, 'the run used the whole pool');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

// The worker's start must end, whatever happens in it: a pool thread that
// never runs, or a start that hangs anywhere, leaves a page that works on
// one thread and says why; a pool start that blocks the worker is first
// tried once more with threads (lanes.js and worker.js; the faults are
// theirs).
test('a pool thread that never answers is not waited for: one thread, and the reason', { timeout: 90_000 }, async (t) => {
  if (!ISOLATED_URL) return t.skip('LANES_URL is not set');
  const browser = await launch();
  try {
    const opened = await open(browser.context, ISOLATED_URL, () => (window.lanesStartFault = 'silent-pool'));
    const { page, errors } = opened;
    const e = await env(page);
    assert.equal(e.cross_origin_isolated, true);
    if (e.hardware_concurrency < 2) return oneCore(t, e, 'no pool to check');
    assert.equal(e.threads, false);
    assert.equal(e.max_threads, 1);
    // The first thread is parked before the pool is asked: the rest answer,
    // and the start waits for it no longer than its deadline.
    const n = Math.min(e.hardware_concurrency, MAX_POOL);
    assert.equal(e.threads_reason, `only ${n - 1} of the pool's ${n} threads answered in time when asked to show that they run`);
    assert.ok((await threadsRow(page)).includes(e.threads_reason));
    const s = await run(page, { op: 'sum', dtype: 'i8', shape: [100_000], variants: ['scalar', 'simd'], repeats: 3, min_sample_ms: 2 });
    assertVerified(s, ['scalar', 'simd'], 3);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a start that makes no progress is given up for one that starts without threads', { timeout: 90_000 }, async (t) => {
  if (!ISOLATED_URL) return t.skip('LANES_URL is not set');
  const browser = await launch();
  try {
    const opened = await open(browser.context, ISOLATED_URL, () => {
      window.lanesStartFault = 'stall';
      window.lanesStallMs = 3000;
    });
    const { page, errors } = opened;
    // While it waits, the card says what the start is doing.
    await page.waitForFunction(() =>
      document.querySelector('.env')?.textContent === 'Starting the worker: loading the JavaScript rungs…');
    const e = await env(page);
    assert.equal(e.threads, false);
    assert.match(e.build, /single-threaded$/);
    assert.equal(
      e.threads_reason,
      'the threaded engine was given up: its start made no progress for 3 s (it was loading the JavaScript rungs)',
    );
    assert.ok((await threadsRow(page)).includes(e.threads_reason));
    const s = await run(page, { op: 'add', dtype: 'f32', shape: [10_000], variants: ['js-typed', 'simd'], repeats: 3, min_sample_ms: 2 });
    assertVerified(s, ['js-typed', 'simd'], 3);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a pool start that blocks the worker is tried again, and the page gets its threads', { timeout: 90_000 }, async (t) => {
  if (!ISOLATED_URL) return t.skip('LANES_URL is not set');
  const browser = await launch();
  try {
    // The first worker's pool start blocks its thread for good (no timer in
    // it can fire): the page gives that stage its limit (here cut to 3 s),
    // then starts a fresh worker, with threads, once.
    const opened = await open(browser.context, ISOLATED_URL, () => {
      window.lanesStartFault = 'blocked-pool';
      window.lanesStageLimitMs = 3000;
      window.lanesStages = [];
      window.addEventListener('lanes-stage', (e) => window.lanesStages.push(e.detail));
    });
    const { page, errors } = opened;
    const e = await env(page);
    if (e.hardware_concurrency < 2) return oneCore(t, e, 'no pool to start');
    assert.equal(e.threads, true, `threads on (reason given: ${e.threads_reason})`);
    assert.equal(e.threads_reason, null);
    const n = Math.min(e.hardware_concurrency, MAX_POOL);
    assert.equal(
      await page.evaluate(() => window.lanes.retried),
      `its start made no progress for 3 s (it was starting a pool of ${n} threads)`,
    );
    const pools = (await page.evaluate(() => window.lanesStages)).filter((x) => x.startsWith('starting a pool'));
    assert.equal(pools.length, 2, 'two pool starts: the blocked one and its retry');
    const s = await run(page, { op: 'sum', dtype: 'f32', shape: [1_000_000], variants: ['simd', 'simd-threads'], threads: n, repeats: 3, min_sample_ms: 2 });
    assertVerified(s, ['simd', 'simd-threads'], 3);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('served plain, the service worker makes the page cross-origin isolated and threads run', { timeout: 90_000 }, async (t) => {
  if (!PLAIN_URL) return t.skip('LANES_PLAIN_URL is not set');
  const browser = await launch();
  try {
    // Documents loaded in the tab: the first, then the service worker's reloads.
    let documents = 0;
    browser.context.on('request', (r) => {
      if (r.isNavigationRequest() && !r.serviceWorker() && !r.frame().parentFrame()) documents += 1;
    });
    const { page, errors } = await open(browser.context, PLAIN_URL);
    // Playwright's wait survives the reloads; it ends in the isolated document.
    await page.waitForFunction(
      () => window.crossOriginIsolated === true && !!navigator.serviceWorker?.controller && !!window.lanes,
      null,
      { timeout: 30_000 },
    );
    const reloads = documents - 1;
    t.diagnostic(`the service worker reloaded the page ${reloads} time(s)`);
    // A fresh profile has no service worker: the first document cannot be
    // isolated, so it took a reload; coi-serviceworker stops reloading once
    // isolated (Chromium sometimes takes a second: updatefound, then "active
    // but not controlling").
    assert.ok(reloads >= 1 && reloads <= 2, `${reloads} reloads`);
    const e = await env(page);
    assert.equal(e.cross_origin_isolated, true);
    assert.equal(e.threads, true, `threads on (reason given: ${e.threads_reason})`);
    assert.match(e.build, /\bthreaded$/);
    assert.ok(e.max_threads >= 2 || e.hardware_concurrency < 2, `pool of ${e.max_threads}`);

    const repeats = 3;
    const s = await run(page, {
      op: 'exp', dtype: 'f32', shape: [100_000], variants: ['simd', 'simd-threads'], threads: e.max_threads, repeats, min_sample_ms: 2,
    });
    assertVerified(s, ['simd', 'simd-threads'], repeats);
    assert.equal(s.info.threads, e.max_threads);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('served bare, without headers or service worker, the page falls back to one thread and says why', { timeout: 90_000 }, async (t) => {
  if (!BARE_URL) return t.skip('LANES_BARE_URL is not set');
  const browser = await launch();
  try {
    // Where each console error came from (open() keeps only the text).
    const located = [];
    browser.context.on('console', (m) => {
      if (m.type() === 'error') located.push({ text: m.text(), url: m.location().url });
    });
    const { page, errors } = await open(browser.context, BARE_URL);
    const e = await env(page);
    assert.equal(await page.evaluate(() => window.crossOriginIsolated), false, 'the page is not cross-origin isolated');
    assert.equal(await page.evaluate(() => navigator.serviceWorker?.controller ?? null), null, 'no service worker');
    assert.equal(e.cross_origin_isolated, false);
    assert.equal(e.threads, false, 'no threads without isolation');
    assert.equal(e.max_threads, 1);
    assert.match(e.build, /single-threaded$/);
    assert.match(e.threads_reason ?? '', /cross-origin isolat/i);
    // The card says why, in the reason's own words.
    const row = await threadsRow(page);
    assert.ok(row.includes(e.threads_reason), `Threads row: ${row}`);

    assert.match(
      await refusal(page, { op: 'exp', dtype: 'f32', shape: [1000], variants: ['simd', 'simd-threads'], threads: 1 }),
      /simd-threads is not offered/,
    );
    assert.match(
      await refusal(page, { op: 'exp', dtype: 'f32', shape: [1000], variants: ['simd'], threads: 2 }),
      /threads must be between 1 and 1\b/,
    );
    const repeats = 3;
    const s = await run(page, {
      op: 'exp', dtype: 'f32', shape: [100_000], variants: ['scalar', 'simd'], repeats, min_sample_ms: 2,
    });
    assertVerified(s, ['scalar', 'simd'], repeats);
    assert.equal(s.info.threads, 1);

    // Exactly one console error is expected, and only in this mode: the
    // server answers 404 for coi-serviceworker.js (that is what "bare"
    // means), and Chromium logs any failed <script src> as "Failed to load
    // resource". It says nothing about the page, so that one message, for
    // that one URL, is set aside; anything else is an error of the page.
    const swUrl = new URL('coi-serviceworker.js', BARE_URL).href;
    const expected = 'Failed to load resource: the server responded with a status of 404 (Not Found)';
    const is404 = (l) => l.text === expected && l.url === swUrl;
    assert.ok(located.filter(is404).length <= 1, 'the service worker script was requested once');
    assert.deepEqual(located.filter((l) => !is404(l)), [], 'no console error but the 404');
    const rest = [...errors];
    const i = located.some(is404) ? rest.indexOf(`console: ${expected}`) : -1;
    if (i >= 0) rest.splice(i, 1);
    assert.deepEqual(rest, []);
  } finally {
    await browser.close();
  }
});

test('a threaded build whose memory is not shared is detected, and the page falls back to one thread', { timeout: 90_000 }, async (t) => {
  const pkg = path.join(DIST, 'pkg');
  if (!fs.existsSync(path.join(pkg, 'lanes_worker.js')) || !fs.existsSync(path.join(DIST, 'pkg-threads'))) {
    return t.skip(`no built site with both worker builds in ${DIST}`);
  }
  // A copy of the site whose pkg-threads/ is the single-threaded build: it
  // loads where the threaded one should, but its memory is not shared.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lanes-unshared-'));
  let server;
  let browser;
  try {
    fs.cpSync(DIST, root, { recursive: true });
    fs.rmSync(path.join(root, 'pkg-threads'), { recursive: true, force: true });
    fs.cpSync(path.join(root, 'pkg'), path.join(root, 'pkg-threads'), { recursive: true });
    server = await serveDir(root, 'isolated');
    browser = await launch();
    const { page, errors } = await open(browser.context, server.url);
    const e = await env(page);
    assert.equal(e.cross_origin_isolated, true, 'isolated: the reason must be the memory, not the headers');
    assert.equal(e.threads, false, 'a build without shared memory gives no threads');
    assert.equal(e.max_threads, 1);
    assert.match(e.build, /single-threaded$/);
    assert.match(e.threads_reason ?? '', /memory is not shared/);
    const row = await threadsRow(page);
    assert.ok(row.includes(e.threads_reason), `Threads row: ${row}`);
    assert.match(
      await refusal(page, { op: 'exp', dtype: 'f32', shape: [1000], variants: ['simd-threads'] }),
      /simd-threads is not offered/,
    );
    const s = await run(page, { op: 'exp', dtype: 'f32', shape: [100_000], variants: ['simd'], repeats: 3, min_sample_ms: 2 });
    assertVerified(s, ['simd'], 3);
    assert.deepEqual(errors, []);
  } finally {
    await browser?.close();
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
