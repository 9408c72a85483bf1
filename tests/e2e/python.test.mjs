// End to end: the python rung, CPython (Pyodide) in the worker. Nothing of
// it is fetched until a run asks for the rung; then its download is shown
// and it is checked and timed like every other rung. A size its lists
// cannot hold is refused with the bytes, and a CPython that cannot load
// leaves the other rungs running.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserForTests, envCard, open } from './browser.mjs';

const URL = process.env.LANES_URL;
const browser = browserForTests();

/// A page of the site whose every request (the page's, its workers') is
/// listed in `requests`, and which `blocked` requests fail.
async function tracked(url, { blocked = null } = {}) {
  const { context } = browser();
  const requests = [];
  const onRequest = (r) => requests.push(r.url());
  context.on('request', onRequest);
  if (blocked) await context.route(blocked, (route) => route.abort('blockedbyclient'));
  const opened = await open(context, url);
  return {
    ...opened,
    requests,
    async close() {
      context.off('request', onRequest);
      if (blocked) await context.unroute(blocked);
      await opened.page.close();
    },
  };
}

/// Runs `request` on the page's worker, with every event it streamed.
function run(page, request) {
  return page.evaluate(async (request) => {
    const events = [];
    try {
      const summary = await window.lanes.run(request, (e) => events.push(e));
      return { summary, events };
    } catch (e) {
      return { error: e.message, kind: e.kind, events };
    }
  }, request);
}

const pyodide = (requests) => requests.filter((u) => u.includes('/pyodide/'));

test('python: add and sum as the post writes them, checked and timed beside simd, loaded only when asked for', async () => {
  const t = await tracked(URL);
  try {
    await envCard(t);
    // The page and a run without the rung fetch nothing of CPython.
    const plain = await run(t.page, { op: 'add', dtype: 'i64', shape: [1000], variants: ['simd'], repeats: 3, min_sample_ms: 1 });
    assert.ok(plain.summary, plain.error);
    assert.deepEqual(pyodide(t.requests), [], 'nothing of Pyodide before the python rung is chosen');

    const add = await run(t.page, { op: 'add', dtype: 'i64', shape: [1000000], variants: ['python', 'simd'], repeats: 3, min_sample_ms: 1 });
    assert.ok(add.summary, `${add.error}: ${JSON.stringify(add.events.filter((e) => e.type === 'error'))}`);
    const loading = add.events.filter((e) => e.type === 'loading');
    assert.ok(loading.length >= 2, 'the download is shown');
    assert.equal(loading[0].stage, 'downloading Python');
    assert.ok(loading[0].total > 5e6, `${loading[0].total} bytes`);
    const bytes = loading.map((e) => e.bytes);
    assert.deepEqual(bytes, [...bytes].sort((a, b) => a - b), 'bytes only grow');
    assert.equal(bytes.at(-1), loading[0].total, 'every byte counted');
    const stages = [...new Set(loading.map((e) => e.stage))];
    assert.deepEqual(stages, ['downloading Python', 'starting Python']);
    assert.ok(add.events.findIndex((e) => e.type === 'loading') < add.events.findIndex((e) => e.type === 'started'));
    const verified = add.events.find((e) => e.type === 'verified' && e.variant === 'python');
    // a, b and the result as lists (a 4-byte slot per element on wasm32),
    // and a and b as arrays.
    assert.ok(verified.held_bytes > 3 * 4 * 1e6 + 2 * 8 * 1e6, `${verified.held_bytes} bytes held`);
    const by = Object.fromEntries(add.summary.results.map((r) => [r.variant, r]));
    assert.deepEqual(Object.keys(by), ['python', 'simd']);
    for (const r of Object.values(by)) {
      assert.ok(r.verified);
      assert.match(r.timeit, /^\d+ loops?, best of 3: [\d.]+ (ns|µs|ms|s) per loop$/);
    }
    assert.ok(by.python.median_ns > 20 * by.simd.median_ns, `python ${by.python.median_ns} ns, simd ${by.simd.median_ns} ns`);

    // Loaded once: the next run fetches nothing more and shows no download.
    const before = pyodide(t.requests).length;
    const sum = await run(t.page, { op: 'sum', dtype: 'i64', shape: [10000000], variants: ['python', 'simd'], repeats: 3, min_sample_ms: 1 });
    assert.ok(sum.summary, sum.error);
    assert.equal(sum.events.filter((e) => e.type === 'loading').length, 0);
    assert.equal(pyodide(t.requests).length, before);
    assert.deepEqual(sum.summary.results.map((r) => r.variant), ['python', 'simd']);
    assert.ok(sum.summary.results.every((r) => r.verified));

    const origin = new globalThis.URL(URL).origin;
    const foreign = t.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'no request leaves the site');
    assert.deepEqual(t.errors, []);
  } finally {
    await t.close();
  }
});

test('python: every op with a Python form matches the reference over dtypes, tails and matrices', async () => {
  const t = await tracked(URL);
  try {
    await envCard(t);
    const catalogue = await t.page.evaluate(() => fetch('js/catalogue.json').then((r) => r.json()));
    const cases = [];
    for (const row of catalogue.ops) {
      for (const form of row.forms) {
        if (!form.python) continue;
        for (const dtype of row.dtypes) {
          const shape = row.matrix ? [17, 13] : [1003];
          cases.push({ op: row.op, strategy: form.strategy, dtype, shape });
        }
      }
    }
    assert.ok(cases.length >= 60, `${cases.length} cases`);
    const failures = [];
    for (const c of cases) {
      const r = await run(t.page, { ...c, variants: ['python'], repeats: 1, min_sample_ms: 0.1, budget_ms: 2000 });
      const ok = r.summary && r.summary.results.length === 1 && r.summary.results[0].verified;
      if (!ok) failures.push(`${c.op}/${c.strategy} ${c.dtype}: ${r.error || JSON.stringify(r.summary?.failed)}`);
    }
    assert.deepEqual(failures, []);
    // The ops without one do not offer the rung.
    const matmul = await run(t.page, { op: 'matmul', dtype: 'f32', shape: [64, 64], variants: ['python'] });
    assert.match(matmul.error, /python is not offered for matmul/);
    assert.deepEqual(t.errors, []);
  } finally {
    await t.close();
  }
});

test('python: a size its lists cannot hold is refused with the bytes, before anything loads', async () => {
  const t = await tracked(URL);
  try {
    await envCard(t);
    const r = await run(t.page, { op: 'add', dtype: 'i64', shape: [10000000], variants: ['python', 'simd'] });
    assert.equal(r.kind, 'refused');
    assert.match(r.error, /^python at shape \(10000000,\) needs up to 1\.3 GB: 3 Python lists of 10000000 numbers/);
    assert.deepEqual(pyodide(t.requests), [], 'a refused run loads nothing');
    assert.deepEqual(t.errors, []);
  } finally {
    await t.close();
  }
});

test('python: when CPython cannot load, the rung says why and the others still run', async () => {
  const t = await tracked(URL, { blocked: '**/pyodide/pyodide.asm.wasm' });
  try {
    await envCard(t);
    const r = await run(t.page, { op: 'sum', dtype: 'f64', shape: [100000], variants: ['python', 'simd'], repeats: 3, min_sample_ms: 1 });
    assert.ok(r.summary, r.error);
    assert.deepEqual(r.summary.results.map((x) => x.variant), ['simd']);
    const [[rung, why]] = r.summary.failed;
    assert.equal(rung, 'python');
    assert.match(why, /^Python did not load: /);
    // The page keeps working, and the rung loads once the file is back.
    await t.page.context().unroute('**/pyodide/pyodide.asm.wasm');
    const again = await run(t.page, { op: 'sum', dtype: 'f64', shape: [100000], variants: ['python', 'simd'], repeats: 3, min_sample_ms: 1 });
    assert.ok(again.summary, again.error);
    assert.deepEqual(again.summary.results.map((x) => x.variant), ['python', 'simd']);
    // The blocked request is the browser's error in the console, not ours.
    assert.deepEqual(t.errors.filter((e) => !/ERR_BLOCKED_BY_CLIENT|Failed to load resource/.test(e)), []);
  } finally {
    await t.close();
  }
});

test('python: the playground shows the download, the Python code, its memory, and the claim\'s verdict', { timeout: 240_000 }, async () => {
  const t = await tracked(`${URL}?chapter=3`);
  const { page: p } = t;
  // A slow network, so that the download is there to be seen.
  const slow = async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  };
  await p.context().route('**/pyodide/pyodide.asm.wasm', slow);
  try {
    await envCard(t);
    const claim = p.locator('.claim');
    assert.match(await claim.textContent(), /sum\(big_array\)[^]*10 loops, best of 5: 352 ms per loop[^]*100 loops, best of 5: 7\.23 ms per loop/);
    await p.getByRole('button', { name: /^Test the claim on this device/ }).click();
    const bar = p.locator('progress[aria-label="Loading Python"]');
    await bar.waitFor({ timeout: 30_000 });
    assert.match(await p.locator('.loading').textContent(), /^downloading Python: [\d.]+ (B|KB|MB) of 13\.\d MB$/);
    await p.locator('.claim .verdict').waitFor({ timeout: 200_000 });
    const verdict = await p.locator('.claim .verdict').textContent();
    assert.match(verdict, /^(Holds on this device|Smaller here|Larger here): \d+× (here|on this device) against the post's 49×; python took [\d.]+ (ms|s) here \(the post: 352 ms\), simd [\d.]+ (µs|ms) \(the post: 7\.23 ms\)\./);
    const cells = await p.locator('.claim-table tbody td code').allTextContents();
    assert.equal(cells.length, 4);
    assert.match(cells[1], /^\d+ loops?, best of 5: [\d.]+ (ms|s) per loop$/, 'this device\'s python line');
    assert.match(cells[3], /^\d+ loops?, best of 5: [\d.]+ (µs|ms) per loop$/, 'this device\'s simd line');
    // The controls show what ran: the claim's problem and its two rungs.
    assert.equal(await p.getByRole('checkbox', { name: /^python/ }).isChecked(), true);
    assert.equal(await p.getByRole('checkbox', { name: 'scalar' }).isChecked(), false);
    const row = p.locator('.results tbody tr', { hasText: 'python' });
    assert.match(await row.textContent(), /MB of Python objects/);
    assert.match(await p.locator('.memory').textContent(), /The python rung's objects hold [\d.]+ MB \(measured by tracemalloc/);
    await p.locator('details.code summary').click();
    assert.equal((await p.locator('details.code .code-block code').allTextContents())[1], '# timed:\nsum(a)');
    if (process.env.SCREENSHOTS) {
      await p.screenshot({ path: `${process.env.SCREENSHOTS}/python-claim.png`, fullPage: true });
    }
    assert.deepEqual(t.errors, []);
  } finally {
    await p.context().unroute('**/pyodide/pyodide.asm.wasm', slow);
    await t.close();
  }
});
