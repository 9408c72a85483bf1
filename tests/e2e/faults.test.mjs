// End to end: limits and faults in the playground (LANES_URL, served
// cross-origin isolated). Faults are injected through `window.lanes`: the
// worker's memory spent before a run or in the middle of one (so the
// engine's own allocation fails), and the worker terminated mid-run.
// Every test then checks what a visitor would: a clear message, the
// samples that arrived still on screen and in the exports, and a page that
// runs again.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { browserForTests, envCard, open } from './browser.mjs';

const URL_ = process.env.LANES_URL;
const browser = browserForTests();

async function page(query) {
  const p = await open(browser().context, URL_ + query);
  await envCard(p);
  await p.page.evaluate(() => window.lanes.ready);
  return p;
}

const run = (p) => p.getByRole('button', { name: 'Run', exact: true }).click();
const dots = (p) => p.locator('.chart svg circle').count();

async function runAgain(p) {
  // The page recovers: a fresh worker, and the next run completes.
  await p.evaluate(() => window.lanes.ready);
  await run(p);
  await p.waitForSelector('.results h2 .muted:text-is("done")', { timeout: 120_000 });
}

async function exported(p) {
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    p.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  return JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
}

test('sizes beyond the tab are refused up front with the bytes they need', async (t) => {
  const { page: p, errors } = await page('?op=add&dtype=f64&size=1e10&repeats=3');
  const note = await p.locator('.notes').textContent();
  t.diagnostic(note);
  assert.match(note, /size "1e10" would need 240\.0 GB, more than this tab allows: using the largest that fits, \d+/);
  // The engine refuses what the page would not offer.
  const refused = await p.evaluate(() => window.lanes.run({
    op: 'matmul', strategy: 'blocked', dtype: 'f64', shape: [40000, 40000], variants: ['simd'],
  }).then(() => 'ran', (e) => e.message));
  t.diagnostic(refused);
  assert.match(refused, /^shape \(40000, 40000\) needs 38\.4 GB, more than a 32-bit memory can address$/);
  const big = await p.evaluate(() => window.lanes.run({
    op: 'add', dtype: 'f32', shape: [100000000], variants: ['simd'],
  }).then(() => 'ran', (e) => e.message));
  t.diagnostic(big);
  assert.match(big, /^add f32 at shape \(100000000,\) needs 1\.2 GB \(a: 400\.0 MB, b: 400\.0 MB, out: 400\.0 MB\), but this tab allows 1\.1 GB$/);
  await runAgain(p);
  assert.deepEqual(errors, []);
});

test('memory that cannot be had is refused before the run, and a fresh worker takes over', async (t) => {
  const { page: p, errors } = await page('?op=add&dtype=f32&size=1000000&variants=scalar,simd&repeats=3');
  const before = await p.evaluate(() => window.lanes.worker);
  await p.evaluate(() => window.lanes.inject({ kind: 'grow' }));
  await run(p);
  const alert = await p.waitForSelector('.results [role=alert]', { timeout: 60_000 });
  const text = await alert.textContent();
  t.diagnostic(text);
  assert.match(text, /^out of memory: this run needs 24\.0 MB and the worker could not get it \(its memory is [\d.]+ GB now\); try a smaller size$/);
  assert.ok(await p.evaluate((w) => window.lanes.worker !== w, before), 'the worker was replaced');
  await runAgain(p);
  assert.equal(await p.locator('.results tbody tr').count(), 2);
  assert.deepEqual(errors, []);
});

test('a worker that runs out of memory mid-run is replaced; what arrived stays on screen and in the export', async (t) => {
  const { page: p, errors } = await page('?op=sum&dtype=f32&size=1000000&variants=scalar,simd&repeats=5');
  await p.evaluate(() => window.lanes.inject({ kind: 'exhaust', after: 'sample' }));
  await run(p);
  const alert = await p.waitForSelector('.results [role=alert]', { timeout: 60_000 });
  const text = await alert.textContent();
  t.diagnostic(text);
  assert.match(text, /^the worker crashed \(.+\) with \d+ MB of wasm memory: most likely out of memory$/);
  assert.ok((await dots(p)) >= 1, 'the sample that arrived is still charted');
  const json = await exported(p);
  const partial = json.records.filter((r) => r.partial);
  assert.ok(partial.length >= 1, JSON.stringify(json.records));
  assert.ok(partial[0].samples_ns.length >= 1);
  await runAgain(p);
  assert.equal(await dots(p), 2 * 5);
  assert.deepEqual(errors, []);
});

test('a worker terminated mid-run is noticed and replaced; what arrived stays', async (t) => {
  const { page: p, errors } = await page('?op=exp&dtype=f64&size=3000000&variants=js-array,scalar,simd&repeats=20');
  await run(p);
  await p.waitForSelector('.chart svg circle', { timeout: 60_000 });
  const received = await dots(p);
  // As the browser would kill it: nobody tells the page.
  await p.evaluate(() => window.lanes.worker.terminate());
  const alert = await p.waitForSelector('.results [role=alert]', { timeout: 30_000 });
  const text = await alert.textContent();
  t.diagnostic(text);
  assert.match(text, /the worker stopped unexpectedly \(it was terminated or crashed\): a new one was started/);
  assert.ok((await dots(p)) >= received, 'samples received stay on screen');
  const partial = (await exported(p)).records.filter((r) => r.partial);
  assert.ok(partial.length >= 1);
  await p.getByRole('combobox', { name: 'Operation' }).selectOption('sum');
  await p.getByRole('spinbutton', { name: 'Repeats' }).fill('3');
  await p.getByRole('spinbutton', { name: 'Repeats' }).press('Tab');
  await runAgain(p);
  assert.equal(await dots(p), 3 * 3);
  assert.deepEqual(errors, []);
});

test('Stop in the middle of a sweep leaves a consistent page', async () => {
  const { page: p, errors } = await page('?op=sum&dtype=f32&variants=js-array,scalar,simd&repeats=3');
  await p.getByRole('button', { name: 'Sweep sizes' }).click();
  await p.waitForSelector('.sweep tbody tr:nth-child(2)', { timeout: 60_000 });
  await p.getByRole('button', { name: 'Stop' }).click();
  const status = await (await p.waitForSelector('.sweep h2 .muted:text-matches("stopped after")')).textContent();
  const rows = await p.locator('.sweep tbody tr').count();
  assert.match(status, new RegExp(`stopped after ${rows} of \\d+`), status);
  assert.ok((await p.locator('.sweep svg polyline').count()) >= 1, 'the points so far stay charted');
  // Nothing else arrives after Stop: a whole run on the new worker finishes
  // (a sweep still going would have queued its next size before it) and
  // the sweep has not grown.
  await runAgain(p);
  assert.equal(await p.locator('.sweep tbody tr').count(), rows);
  await p.getByRole('button', { name: 'Sweep sizes' }).isEnabled();
  assert.deepEqual(errors, []);
});
