// End to end: a small request through the real worker in Chromium, on the
// page served with cross-origin isolation (LANES_URL, set by `cargo xtask test`).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, open } from './browser.mjs';

const URL = process.env.LANES_URL;
let browser;
let page;
let errors;

before(async () => {
  assert.ok(URL, 'LANES_URL names the served site');
  browser = await launch();
  ({ page, errors } = await open(browser.context, URL));
});

after(async () => {
  await browser?.close();
});

test('the worker reports its environment', async () => {
  const env = await page.evaluate(() => window.lanes.ready);
  assert.equal(env.platform, 'browser');
  assert.equal(env.cross_origin_isolated, true, 'served with COOP/COEP');
  assert.ok(env.timer_resolution_ns > 0 && env.timer_resolution_ns <= 20_000, `${env.timer_resolution_ns} ns`);
  assert.ok(env.hardware_concurrency >= 1);
  assert.equal(env.simd, true);
});

test('a run streams its events in order and verifies every rung', async () => {
  const { summary, events } = await page.evaluate(async () => {
    const events = [];
    const summary = await window.lanes.run(
      { op: 'add', dtype: 'f32', shape: [4096], variants: ['js-array', 'js-typed', 'scalar', 'simd'], repeats: 5, min_sample_ms: 2 },
      (e) => events.push(e),
    );
    return { summary, events };
  });
  const types = events.map((e) => e.type);
  assert.equal(types[0], 'started');
  assert.equal(types.at(-1), 'run-done');
  assert.equal(types.filter((t) => t === 'verified').length, 4);
  assert.equal(types.filter((t) => t === 'sample').length, 4 * 5, 'one sample per rung per round');
  assert.equal(types.filter((t) => t === 'variant-done').length, 4);
  // Samples arrive interleaved: the first round has every rung once.
  assert.deepEqual(events.filter((e) => e.type === 'sample' && e.round === 0).map((e) => e.variant),
    ['js-array', 'js-typed', 'scalar', 'simd']);
  assert.equal(summary.results.length, 4);
  for (const r of summary.results) {
    assert.ok(r.verified, r.variant);
    assert.match(r.timeit, /^\d+ loops?, best of 5: [\d.]+ (ns|µs|ms|s) per loop$/);
    assert.ok(r.min_ns > 0 && r.min_ns <= r.median_ns, r.variant);
    assert.ok(r.gb_per_s > 0, r.variant);
    assert.equal(r.samples_ns.length, 5);
  }
  assert.ok(summary.noop_ns_per_loop > 0, 'harness overhead is reported');
  assert.equal(summary.info.bytes_per_loop, 3 * 4096 * 4);
  const by = Object.fromEntries(summary.results.map((r) => [r.variant, r]));
  assert.ok(by.simd.median_ns < by['js-array'].median_ns, 'SIMD beats a loop over a plain Array');
});

test('a request that cannot fit is refused with the bytes it needs', async () => {
  const message = await page.evaluate(() =>
    window.lanes.run({ op: 'add', dtype: 'f64', shape: [200000000], variants: ['simd'] }).then(() => 'ran', (e) => e.message));
  assert.match(message, /needs 4\.8 GB \(a: 1\.6 GB, b: 1\.6 GB, out: 1\.6 GB\)/);
  // ...and the worker still works.
  const s = await page.evaluate(() =>
    window.lanes.run({ op: 'sum', dtype: 'i8', shape: [1000], variants: ['simd'], repeats: 3, min_sample_ms: 1 }));
  assert.equal(s.results[0].verified, true);
});

test('no console errors', () => {
  assert.deepEqual(errors, []);
});
