// End to end: the playground in Chromium, on the built site served with
// cross-origin isolation (LANES_URL). Screenshots go to SCREENSHOTS (if set).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BROWSER, envCard, launch, open } from './browser.mjs';
import { phoneLayout } from './layout.mjs';

const URL = process.env.LANES_URL;
const SHOTS = process.env.SCREENSHOTS;
let browser;

before(async () => {
  assert.ok(URL, 'LANES_URL names the served site');
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function page(query = '') {
  const p = await open(browser.context, URL + query);
  // Long tasks on the UI thread, from the start.
  await p.page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => window.__longTasks.push(...l.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask', buffered: true });
  });
  await envCard(p);
  return p;
}

async function runAndWait(p) {
  await p.getByRole('button', { name: 'Run', exact: true }).click();
  await p.waitForSelector('.results h2 .muted:text-is("done")', { timeout: 120_000 });
}

test('a chapter runs and shows its chart and %timeit lines', async (t) => {
  const { page: p, errors } = await page('?chapter=1&size=100000&repeats=3');
  await p.evaluate(() => (window.__longTasks = []));
  // Served isolated: the threaded worker adds simd-threads to the ladder.
  const env = await p.evaluate(() => window.lanes.ready);
  assert.equal(env.threads, true, env.threads_reason);
  const n = 6;
  await runAndWait(p);
  const rows = await p.locator('.results tbody tr').count();
  assert.equal(rows, n, 'js-array, js-typed, scalar, auto, simd, simd-threads');
  const lines = await p.locator('.results td.timeit code').allTextContents();
  for (const l of lines) assert.match(l, /^\d+ loops?, best of 3: [\d.]+ (ns|µs|ms|s) per loop$/);
  const dots = await p.locator('.chart svg circle').count();
  assert.equal(dots, n * 3, 'one dot per sample');
  assert.match(await p.locator('.memory').textContent(), /wasm memory after the run: [\d.]+ MB/);
  const speedups = await p.locator('.results tbody td:nth-child(4)').allTextContents();
  assert.ok(speedups.every((s) => /×/.test(s)), speedups.join(' | '));
  // Export: valid JSON in the bench schema, a CSV row per sample, the chart as SVG.
  let lastFile;
  const saved = async (name) => {
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name }).click()]);
    lastFile = await download.path();
    return fs.readFileSync(lastFile, 'utf8');
  };
  const exported = JSON.parse(await saved('Export JSON'));
  // Import it back: its medians show as rings over the samples.
  const exportedFile = lastFile;
  await p.getByLabel('Import a JSON export').setInputFiles(exportedFile);
  await p.waitForSelector('text=Rings: medians imported from');
  assert.equal(await p.locator('.chart svg circle').count(), n * 3 + n);
  assert.equal(exported.schema, 'lanes-bench/1');
  assert.equal(exported.records.length, n);
  const threaded = exported.records.find((r) => r.variant === 'simd-threads');
  assert.equal(threaded.threads, env.useful_threads, 'simd-threads ran on the threads that help (the probe\'s)');
  assert.equal(exported.env.cross_origin_isolated, true);
  for (const r of exported.records) assert.equal(r.samples_ns.length, 3);
  const csv = (await saved('Export CSV')).trim().split('\n');
  assert.equal(csv[0], 'op,strategy,dtype,shape,variant,round,ns_per_loop');
  assert.equal(csv.length, 1 + n * 3);
  assert.match(await saved('Chart as SVG'), /^<svg[^>]*>/);
  const junk = path.join(path.dirname(exportedFile), 'junk.json');
  fs.writeFileSync(junk, '{"schema":"lanes-bench/1","records":[{"variant":"<img src=x>"}]}');
  await p.getByLabel('Import a JSON export').setInputFiles(junk);
  await p.waitForSelector('text=Import: the export has no usable records');
  const longest = Math.max(0, ...(await p.evaluate(() => window.__longTasks)));
  t.diagnostic(`longest main-thread task during the run: ${longest} ms`);
  assert.ok(longest < 50, `longest main-thread task during the run: ${longest} ms`);
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, 'chapter1-light.png'), fullPage: true });
  await p.getByRole('button', { name: /dark/ }).click();
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, 'chapter1-dark.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('a permalink restores the controls, and bad parameters leave a note', async () => {
  const { page: p, errors } = await page('?op=sum&dtype=i8&size=5000&variants=scalar,simd&repeats=3&budget=15');
  assert.equal(await p.getByRole('combobox', { name: 'Operation' }).inputValue(), 'sum');
  assert.equal(await p.getByRole('combobox', { name: 'dtype' }).inputValue(), 'i8');
  assert.equal(await p.getByRole('spinbutton', { name: 'Repeats' }).inputValue(), '3');
  assert.equal(await p.getByRole('combobox', { name: 'Time budget' }).inputValue(), '15');
  assert.ok(p.url().includes('variants=scalar,simd'), p.url());
  await runAndWait(p);
  assert.equal(await p.locator('.results tbody tr').count(), 2);

  const bad = await page('?op=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&size=abc');
  const note = await bad.page.locator('.notes').textContent();
  assert.ok(note.includes('<img src=x onerror=alert(1)>'), 'the bad value is shown as text');
  assert.equal(await bad.page.locator('.notes img').count(), 0, 'and never as HTML');
  assert.equal(await bad.page.getByRole('combobox', { name: 'Operation' }).inputValue(), 'add');
  assert.deepEqual(errors, []);
  assert.deepEqual(bad.errors, []);
});

test('the code panel fetches the kernels when it opens and shows each rung\'s code', async () => {
  const { page: p, errors } = await page('?op=sum&dtype=f32&size=5000');
  const fetched = [];
  p.on('request', (r) => fetched.push(new globalThis.URL(r.url()).pathname));
  // Everything the page loads by itself has loaded: no request for half a
  // second (Playwright's networkidle), and none of them was a source file.
  await p.waitForLoadState('networkidle');
  assert.deepEqual(fetched.filter((f) => f.includes('/src/')), [], 'nothing is fetched while the panel is closed');
  await p.locator('details.code summary').click();
  const blocks = p.locator('details.code .code-block code');
  await p.waitForFunction(() => !document.querySelector('details.code').textContent.includes('Loading'));
  const [numpy, python, js, scalar, simd] = await blocks.allTextContents();
  assert.match(numpy, /np\.sum/);
  // The python rung's code is the catalogue's: nothing to fetch.
  assert.equal(python, '# timed:\nsum(a)');
  assert.match(js, /=>/);
  assert.match(scalar, /fn each</);
  assert.match(simd, /fn vectors</);
  // The op's one file, named after it, fetched once for both blocks.
  assert.deepEqual(fetched.filter((f) => f.includes('/src/')).map((f) => f.replace(/.*\/src\//, 'src/')), ['src/ops/sum.rs']);
  // Another op: its own files, fetched as the panel is open.
  await p.getByRole('combobox', { name: 'Operation' }).selectOption('add');
  await p.waitForFunction(() => /x\.add\(y\)/.test(document.querySelector('details.code').textContent));
  assert.match((await blocks.allTextContents())[4], /fn vectors<[^]*x\.add\(y\)/);
  assert.equal((await blocks.allTextContents())[1], 'l1 = a.tolist()\nl2 = b.tolist()\n# timed:\n[x + y for x, y in zip(l1, l2)]');
  assert.deepEqual(errors, []);

  // A file that cannot be had says so in its blocks; the page keeps working.
  // (i-k-j: both a scalar and a SIMD kernel, in the op's file.)
  const { page: q } = await page('?op=matmul&strategy=ikj&size=64');
  await q.route('**/src/ops/matmul.rs', (r) => r.fulfill({ status: 404, body: 'gone' }));
  await q.locator('details.code summary').click();
  // Every block has settled: the missing file says so, the others show code.
  await q.waitForFunction(() => {
    const text = document.querySelector('details.code').textContent;
    return text.includes('Could not load') && !text.includes('Loading');
  });
  const shown = await q.locator('details.code .code-block code').allTextContents();
  assert.equal(shown[3], 'Could not load src/ops/matmul.rs: HTTP 404.');
  assert.equal(shown[4], 'Could not load src/ops/matmul.rs: HTTP 404.');
  assert.match(shown[2], /=>/);
  assert.match(shown[1], /^\(no python rung: /);
  await runAndWait(q);
});

test('Stop ends a long run, keeps what arrived, keeps what was typed meanwhile, and the page keeps working', async () => {
  const { page: p, errors } = await page('?op=exp&dtype=f64&size=3000000&variants=js-array,scalar,simd&repeats=100');
  await p.getByRole('button', { name: 'Run', exact: true }).click();
  await p.waitForSelector('.chart svg circle', { timeout: 60_000 });
  // The count for the next run is typed while this one runs: every sample
  // re-renders the controls, and none of them may put the old count back,
  // not even over a field cleared to type a new one.
  const repeats = p.getByRole('spinbutton', { name: 'Repeats' });
  const moreSamples = async (k) => {
    const n = await p.locator('.chart svg circle').count();
    await p.waitForFunction((m) => document.querySelectorAll('.chart svg circle').length >= m, n + k, { timeout: 60_000 });
  };
  await repeats.fill('');
  await moreSamples(2);
  assert.equal(await repeats.inputValue(), '', 'a cleared field stays cleared while samples arrive');
  await repeats.fill('3');
  await moreSamples(2);
  assert.equal(await repeats.inputValue(), '3', 'a typed count stays while samples arrive');
  await p.getByRole('button', { name: 'Stop' }).click();
  await p.waitForSelector('.results h2 .muted:text-matches("stopped")');
  assert.ok((await p.locator('.chart svg circle').count()) >= 1, 'samples received stay on screen');
  assert.equal(await repeats.inputValue(), '3');
  // The same page runs again, with the count typed during the last run.
  await p.getByRole('combobox', { name: 'Operation' }).selectOption('sum');
  await runAndWait(p);
  assert.equal(await p.locator('.chart svg circle').count(), 3 * 3);
  assert.deepEqual(errors, []);
});

test('every chapter runs its ready experiment', async () => {
  const { page: p, errors } = await page();
  const tabs = p.getByRole('tab');
  assert.equal(await tabs.count(), 6);
  for (let i = 0; i < 6; i++) {
    await tabs.nth(i).click();
    await p.getByRole('button', { name: 'Run this experiment' }).click();
    await p.waitForSelector('.results h2 .muted:text-is("done")', { timeout: 180_000 });
    const lines = await p.locator('.results td.timeit code').allTextContents();
    assert.ok(lines.length >= 2, `chapter ${i + 1}: ${lines}`);
    for (const l of lines) assert.match(l, /best of 7/, `chapter ${i + 1}`);
    // Plausible numbers: times between 10 ns and 10 s, and in the chapters
    // about vectorization, built-ins and dtypes, SIMD beats the plain loop.
    const rows = await p.locator('.results tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('td:nth-child(4)').textContent]));
    for (const l of lines) {
      const [, v, unit] = l.match(/best of 7: ([\d.]+) (ns|µs|ms|s) per loop/);
      const ns = Number(v) * { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 }[unit];
      assert.ok(ns > 10 && ns < 1e10, `chapter ${i + 1}: ${l}`);
    }
    if ([0, 2, 3].includes(i)) {
      const simd = rows.find(([name]) => name === 'simd');
      assert.ok(simd && parseFloat(simd[1]) > 1, `chapter ${i + 1}: simd vs js-array ${simd}`);
    }
    if (SHOTS) {
      for (const mode of ['light', 'dark']) {
        const dark = await p.evaluate(() => document.documentElement.classList.contains('dark'));
        if (dark !== (mode === 'dark')) await p.getByRole('button', { name: 'Toggle dark mode' }).click();
        await p.screenshot({ path: path.join(SHOTS, `chapter${i + 1}-${mode}.png`), fullPage: true });
      }
    }
  }
  assert.deepEqual(errors, []);
});

test("chapter 4 sums 10**7 numbers of each dtype beside the post's figures, in one click", { timeout: 240_000 }, async () => {
  const { page: p, errors } = await page();
  await p.getByRole('tab', { name: /^4 · Dtypes/ }).click();
  const card = p.locator('.dtype-sums');
  const rows = () => card.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  // The bytes are computed beside the post's; the post's sums are quoted;
  // this device's are not there until it has run.
  assert.deepEqual((await rows()).map((r) => r.slice(0, 4)), [
    ['int64', '76.29 MB', '76.29 MB', '7.23 ms'],
    ['int32', '38.15 MB', '38.15 MB', '6.89 ms'],
    ['int16', '19.07 MB', '–', '–'],
    ['int8', '9.54 MB', '9.54 MB', '–'],
  ]);
  assert.deepEqual((await rows()).map((r) => r[4]), ['–', '–', '–', '–']);
  await card.getByRole('button', { name: /^Sum 10\*\*7 numbers of each dtype/ }).click();
  await card.locator('.verdict').waitFor({ timeout: 200_000 });
  await p.waitForSelector('.sweep h2 .muted:text-is("done")', { timeout: 200_000 });
  const here = (await rows()).map((r) => r[4]);
  for (const t of here) assert.match(t, /^[\d.]+ (ns|µs|ms|s)$/, here.join(', '));
  assert.match(await card.locator('.verdict').textContent(),
    /^(Stronger here|Holds as the post measured it|Weaker here): int32 took [\d.]+× of int64's time on this device against the post's 0\.95×, and int8 [\d.]+× \(the post did not time it\)/);
  // What ran is on the controls and in the sweep: sum at 10**7, simd, every dtype.
  assert.equal(await p.getByLabel('Operation', { exact: true }).inputValue(), 'sum');
  assert.equal(await p.getByRole('checkbox', { name: 'simd', exact: true }).isChecked(), true);
  assert.equal(await p.getByRole('checkbox', { name: 'scalar' }).isChecked(), false);
  assert.equal(await p.locator('.sweep tbody tr').count(), 6);
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, 'chapter4-sums.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('sweeps over sizes and dtypes chart and tabulate every point; Stop ends a sweep', async () => {
  const { page: p, errors } = await page('?op=sum&dtype=f32&variants=scalar,simd&repeats=3');
  await p.getByRole('button', { name: 'Sweep sizes' }).click();
  await p.waitForSelector('.sweep h2 .muted:text-is("done")', { timeout: 180_000 });
  const sizes = await p.locator('.sweep tbody tr').count();
  assert.ok(sizes >= 10, `${sizes} sizes`);
  assert.ok((await p.locator('.sweep svg polyline').count()) >= 2, 'a line per rung');
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, 'sweep-sizes.png'), fullPage: true });
  await p.getByRole('button', { name: 'Compare dtypes' }).click();
  await p.waitForSelector('.sweep h2 .muted:text-is("done")', { timeout: 180_000 });
  assert.equal(await p.locator('.sweep tbody tr').count(), 6, 'every dtype sum takes');
  const cells = await p.locator('.sweep tbody tr th').allTextContents();
  assert.deepEqual(cells, ['int8', 'int16', 'int32', 'int64', 'float32', 'float64']);
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, 'sweep-dtypes.png'), fullPage: true });

  await p.getByRole('checkbox', { name: 'js-array' }).check();
  await p.getByRole('button', { name: 'Sweep sizes' }).click();
  await p.waitForSelector('.sweep tbody tr', { timeout: 60_000 });
  await p.getByRole('button', { name: 'Stop' }).click();
  await p.waitForSelector('.sweep h2 .muted:text-matches("stopped after")');
  // A consistent state: Run works again.
  await runAndWait(p);
  assert.deepEqual(errors, []);
});

test('threads: the control and permalink set the count, and a sweep scales simd-threads over the pool', async () => {
  const { page: p, errors } = await page('?op=exp&dtype=f32&size=100000&repeats=3&threads=1');
  const env = await p.evaluate(() => window.lanes.ready);
  assert.ok(env.max_threads >= 2, 'the isolated page has a pool');
  await p.waitForSelector('button.primary:text-is("Run")');
  // The link's thread count is the control's, and the run's.
  const threads = p.getByLabel('Threads', { exact: true });
  assert.equal(await threads.inputValue(), '1');
  assert.equal(await threads.isDisabled(), false);
  await runAndWait(p);
  const rungs = await p.locator('.results tbody th').allTextContents();
  assert.ok(rungs.some((r) => r.includes('simd-threads')), rungs.join(' | '));
  // The default ("all (N)", or "K that help (of N)" where the probe found
  // fewer) is written to the permalink as no threads=.
  await threads.selectOption('0');
  await p.waitForFunction(() => !location.search.includes('threads='));
  await threads.selectOption(String(env.max_threads));
  await p.waitForFunction((n) => location.search.includes(`threads=${n}`), env.max_threads);
  // Unticking simd-threads leaves the count nothing to do: it says so.
  await p.getByRole('checkbox', { name: 'simd-threads' }).uncheck();
  assert.equal(await threads.isDisabled(), true);
  assert.match(await p.locator('label:has(select[aria-label="Threads"])').getAttribute('title'), /tick simd-threads/);
  // The link remembers the unticked rung, even on a device with a pool.
  const link = await p.evaluate(() => location.search);
  assert.ok(link.includes('variants=') && !link.includes('simd-threads'), link);

  await p.getByRole('button', { name: 'Scale over threads' }).click();
  await p.waitForSelector('.sweep h2 .muted:text-is("done")', { timeout: 120_000 });
  const rows = await p.locator('.sweep tbody tr th').allTextContents();
  assert.deepEqual(rows, Array.from({ length: env.max_threads }, (_, i) => String(i + 1)));
  const speedups = await p.locator('.sweep tbody tr td:last-child').allTextContents();
  // The harness's speed-up, as the results table shows it: medians, with an interval.
  assert.ok(speedups.every((s) => /^\d+\.\d\d× \(\d+\.\d\d–\d+\.\d\d\)$/.test(s)), speedups.join(' | '));
  assert.match(await p.locator('.sweep figure svg').innerHTML(), /speed-up over simd/);
  if (SHOTS) await p.screenshot({ path: path.join(SHOTS, 'sweep-threads.png'), fullPage: true });
  // An op without a threaded rung: the sweep says why it cannot run.
  await p.selectOption('select[aria-label="Operation"]', 'sort');
  const scale = p.getByRole('button', { name: 'Scale over threads' });
  assert.equal(await scale.isDisabled(), true);
  assert.match(await p.locator('.sweep').textContent(), /sort \(float32\) has no simd-threads rung/);
  assert.deepEqual(errors, []);
});

test('the embed code reproduces the experiment as a widget', async () => {
  const { page: p, errors } = await page('?op=sum&dtype=i8&size=5000&variants=scalar,simd&repeats=3');
  await p.getByText('Embed this experiment in a page').click();
  const component = await p.locator('#embed-component').inputValue();
  assert.ok(component.startsWith(`<script src="${URL}js/widget.js" defer></script>\n`), component);
  assert.match(component, /<lanes-widget op="sum" strategy="default" dtype="i8" size="5000" variants="scalar,simd" repeats="3"><\/lanes-widget>$/);
  const iframe = await p.locator('#embed-iframe').inputValue();
  const src = iframe.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  // The iframe snippet's page is the widget, with the same experiment.
  const w = await p.context().newPage();
  await w.goto(src);
  await w.waitForSelector('main.embed button.primary:text-is("Run")');
  assert.equal(await w.locator('main.embed h1').textContent(), 'np.sum(a)');
  assert.match(await w.locator('main.embed header .muted').textContent(), /int8 · 5\u2009000 elements/);
  await w.close();
  assert.deepEqual(errors, []);
});

test('phones: the playground and the widget at 390 x 844 and 360 x 800 scroll only down, with 44 px targets', { timeout: 180_000 }, async () => {
  for (const [width, height] of [[390, 844], [360, 800]]) {
    for (const [name, query] of [['playground', '?op=add&dtype=f32&size=100000&variants=js-typed,scalar,simd&repeats=3'],
      ['widget', 'embed.html?op=add&dtype=f32&size=100000&variants=scalar,simd&repeats=3']]) {
      const { page: p, errors } = await open(browser.context, 'about:blank');
      await p.setViewportSize({ width, height });
      await p.goto(URL + query);
      await p.waitForSelector('button.primary:text-is("Run"):enabled', { timeout: 60_000 });
      await p.click('button.primary');
      await p.waitForSelector(':is(.results h2, .actions) .muted:text-is("done")', { timeout: 120_000 });
      const l = await p.evaluate(phoneLayout);
      const what = `${name} at ${width} x ${height}`;
      assert.ok(l.overflow <= 0, `${what}: scrolls ${l.overflow} px sideways`);
      assert.ok(l.targets.length >= (name === 'widget' ? 1 : 4), `${what}: ${JSON.stringify(l.targets)}`);
      for (const t of l.targets) assert.ok(t.w >= 44 && t.h >= 44, `${what}: ${t.what} is ${t.w} x ${t.h} px`);
      // The chart fills the phone's width (drawn at it, its text stays legible).
      assert.ok(l.chart.length >= 1 && l.chart.every((w) => w >= width - 80 && w <= width), `${what}: chart ${l.chart}`);
      if (SHOTS) await p.screenshot({ path: path.join(SHOTS, `phone-${name}-${width}.png`), fullPage: true });
      assert.deepEqual(errors, [], what);
      await p.close();
    }
  }
});

test('fast navigation: permalinks opened one after another raise no page error', { timeout: 120_000 }, async () => {
  const { page: p, errors } = await open(browser.context, 'about:blank');
  const links = ['?op=sum&dtype=i8', '?chapter=3', '?op=exp&dtype=f64&size=1000', 'embed.html?op=add', '?op=sort&size=100',
    '?variants=python,simd&op=add&dtype=i64', '?op=matmul&size=4096', '?chapter=5&threads=1', 'embed.html?op=max&dtype=f32', '?op=where'];
  for (let round = 0; round < 3; round++) {
    for (const [i, link] of links.entries()) {
      // Left at every stage of the start: before the worker, while it loads, after.
      // (Firefox reports the page's own history.replaceState of the link it
      // settled as a navigation that interrupts this one: that is not an
      // error of the page.)
      await p.goto(URL + link, { waitUntil: 'commit' }).catch((e) => {
        if (!/interrupted by another navigation/.test(e.message)) throw e;
      });
      await p.waitForTimeout(100 + ((i * 137 + round * 59) % 600));
    }
  }
  await p.goto(URL);
  await envCard({ page: p, errors });
  // Firefox logs, as an error of the page, an import that was in flight in
  // a worker torn down as its page was left (the worker's own catch never
  // runs: its global is gone). The page is gone too; nothing of it shows.
  // Every other error counts, in every engine.
  const torn = /^pageerror: error loading dynamically imported module: /;
  const counted = BROWSER === 'firefox' ? errors.filter((e) => !torn.test(e)) : errors;
  assert.deepEqual(counted, []);
});

test("a worker whose script came back as a page (a rebuild in progress) is started again and the page works", { timeout: 90_000 }, async () => {
  const { context } = browser;
  let served = 0;
  const route = (r) => {
    served += 1;
    if (served > 1) return r.continue();
    // As `trunk serve` answers a file missing mid-rebuild: with index.html
    // (here under a script's type, so that it is parsed, and fails).
    return r.fulfill({ status: 200, contentType: 'text/javascript', body: '<!doctype html><title>a page where a script was asked for</title>' });
  };
  await context.route('**/js/worker.js*', route);
  try {
    const opened = await open(context, URL);
    await envCard(opened);
    assert.equal(served, 2, 'the worker was started again once');
    const card = await opened.page.locator('.env').textContent();
    assert.match(card, /SIMD128yes/);
    assert.deepEqual(opened.errors, [], 'no uncaught error: the failure is handled and the start retried');
    await opened.page.close();
  } finally {
    await context.unroute('**/js/worker.js*', route);
  }
});
