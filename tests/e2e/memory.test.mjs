// End to end: 200 consecutive runs of a 1e7-element experiment through the
// playground (LANES_URL, cross-origin isolated, the threaded worker) leave
// memory on a plateau: the worker's wasm memory, the page's JS heap after a
// forced GC, DOM nodes and event listeners, and the number of workers (a
// leak of the JavaScript rung's 120 MB of copies in the worker would crash
// the tab long before run 200). Every 10th run goes through the Run button,
// the others through `window.lanes.run`, the same worker, with 1 ms samples.
// The figures go to the test's diagnostics.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserForTests, envCard, open } from './browser.mjs';

const URL_ = process.env.LANES_URL;
const RUNS = Number(process.env.LANES_MEMORY_RUNS || 200);
/// Runs before the first reading: the allocator and JIT settle.
const WARM = 10;
const browser = browserForTests();

const MB = (b) => `${(b / 1e6).toFixed(1)} MB`;

test(`${RUNS} runs of a 1e7-element experiment leave memory on a plateau`, { timeout: 900_000 }, async (t) => {
  // js-typed allocates the JavaScript copies (120 MB) in the worker on every
  // run, simd the wasm arrays: both sides are exercised.
  const opened = await open(browser().context,
    `${URL_}?op=add&dtype=f32&size=10000000&variants=js-typed,simd,simd-threads&repeats=1&budget=5`);
  const { page: p, errors } = opened;
  await envCard(opened);
  await p.evaluate(() => window.lanes.ready);
  const cdp = await p.context().newCDPSession(p);

  async function reading() {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const dom = await cdp.send('Memory.getDOMCounters');
    const wasm = wasmBytes;
    return { heap, wasm, nodes: dom.nodes, listeners: dom.jsEventListeners, workers: p.workers().length };
  }

  let wasmBytes = 0;
  const request = {
    op: 'add', dtype: 'f32', shape: [10_000_000], variants: ['js-typed', 'simd', 'simd-threads'],
    threads: (await p.evaluate(() => window.lanes.ready)).max_threads, repeats: 1, min_sample_ms: 1,
  };
  let n = 0;
  const run = async () => {
    if (n++ % 10 === 0) {
      await p.getByRole('button', { name: 'Run', exact: true }).click();
      // A locator, not waitForSelector: the handle that returns would keep
      // the status node of every run alive, detached (a leak of the test's).
      await p.locator('.results h2 .muted:text-is("done")').waitFor({ timeout: 60_000 });
      const text = await p.locator('.memory').textContent();
      wasmBytes = Number(/wasm memory after the run: ([\d.]+) MB/.exec(text)[1]) * 1e6;
    } else {
      const summary = await p.evaluate((r) => window.lanes.run(r), request);
      assert.equal(summary.results.length, 3);
      wasmBytes = summary.wasm_memory_bytes;
    }
  };
  const started = Date.now();
  for (let i = 0; i < WARM; i++) await run();
  const first = await reading();
  const mid = [];
  for (let i = WARM; i < RUNS; i++) {
    await run();
    if ((i + 1) % 50 === 0) mid.push({ run: i + 1, ...(await reading()) });
  }
  const last = mid.at(-1)?.run === RUNS ? mid.at(-1) : { run: RUNS, ...(await reading()) };
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(`${RUNS} runs in ${seconds.toFixed(0)} s`);
  const readings = [{ run: WARM, ...first }, ...mid];
  if (readings.at(-1).run !== RUNS) readings.push(last);
  for (const r of readings) {
    const label = `after run ${r.run}`;
    t.diagnostic(`${label}: wasm ${MB(r.wasm)}, page heap ${MB(r.heap)}, ` +
      `${r.nodes} DOM nodes, ${r.listeners} listeners, ${r.workers} workers`);
  }
  // A wasm memory never shrinks: any growth after the warm-up is a leak.
  assert.equal(last.wasm, first.wasm, 'wasm memory grew');
  assert.ok(last.heap < first.heap * 1.1 + 2e6, `page heap ${MB(first.heap)} -> ${MB(last.heap)}`);
  // Live and detached nodes: the chart's SVG may differ by a few ticks.
  assert.ok(last.nodes <= first.nodes + 50, `DOM nodes ${first.nodes} -> ${last.nodes}`);
  assert.equal(last.listeners, first.listeners, 'event listeners accumulated');
  assert.equal(last.workers, first.workers, 'workers accumulated');
  assert.deepEqual(errors, []);
});
