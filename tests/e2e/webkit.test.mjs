// End to end in WebKit (Safari's engine): WebKitGTK's MiniBrowser, driven
// through WebKitWebDriver (LANES_WEBDRIVER, which `cargo xtask test` starts
// under Xvfb with JSC_useSharedArrayBuffer=1) by selenium-webdriver. The
// driver has no console log and no BiDi: the test servers add record.js to
// every HTML page, and every test fails on what it kept (page errors,
// unhandled rejections, console errors, CSP violations), as the Chromium
// tests fail on the console. Screenshots go to SCREENSHOTS (if set).
// Timings are logged, never asserted.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Builder, By } from 'selenium-webdriver';
import { phoneLayout } from './layout.mjs';
import { serveBlog } from './server.mjs';

const DRIVER = process.env.LANES_WEBDRIVER;
const URL_ = process.env.LANES_URL;
const PLAIN = process.env.LANES_PLAIN_URL;
const BARE = process.env.LANES_BARE_URL;
const SHOTS = process.env.SCREENSHOTS;
const DIST = process.env.LANES_DIST || fileURLToPath(new URL('../../dist/', import.meta.url));
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

let blog;

before(async () => {
  assert.ok(DRIVER, 'LANES_WEBDRIVER names WebKitWebDriver (cargo xtask test starts it)');
  assert.ok(URL_ && PLAIN && BARE, 'LANES_URL, LANES_PLAIN_URL and LANES_BARE_URL name the served site');
  blog = await serveBlog(DIST, URL_, { record: true });
});

after(async () => {
  await blog?.close();
});

/// A fresh MiniBrowser (a session of its own) for `body`, quit whatever
/// happens; fails on anything the recorder kept on the pages it opened.
async function withWebKit(body) {
  const driver = await new Builder()
    .usingServer(DRIVER)
    .withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    })
    .build();
  try {
    await driver.manage().setTimeouts({ script: 240_000, pageLoad: 60_000 });
    await driver.manage().window().setRect({ width: 1280, height: 1000 });
    const w = webkit(driver);
    await body(w);
    await w.assertClean();
  } finally {
    await driver.quit();
  }
}

/// The session with the helpers the tests use.
function webkit(driver) {
  const kept = [];
  const w = {
    driver,
    /// Evaluates `fn(...args)` in the page (or the current frame).
    js: (fn, ...args) => driver.executeScript(`return (${fn}).apply(null, arguments)`, ...args),
    /// Awaits the promise of `fn(...args)` in the page.
    async: (fn, ...args) =>
      driver.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
         Promise.resolve((${fn}).apply(null, [...arguments].slice(0, -1)))
           .then((v) => done({ v }), (e) => done({ e: String(e && e.message || e) }));`,
        ...args,
      ).then((r) => {
        if (r.e !== undefined) throw new Error(r.e);
        return r.v;
      }),
    /// Waits until `fn(...args)` in the page is truthy; returns it.
    async until(what, fn, { timeout = 60_000, args = [] } = {}) {
      let v;
      const end = Date.now() + timeout;
      while (!(v = await w.js(fn, ...args).catch(() => null))) {
        if (Date.now() > end) {
          const shown = await w.js(() => `${location.href}: ${document.querySelector('.env, footer')?.textContent}`).catch((e) => String(e));
          throw new Error(`${what}: not within ${timeout / 1000} s (${shown})`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return v;
    },
    /// Opens `url` and waits for the environment card.
    async open(url) {
      await driver.get(url);
      await w.collect();
      await w.until(`the environment card of ${url}`, () => document.querySelector('.env dl, .env .error'));
    },
    /// Takes what the recorder kept on this page (and forgets it there).
    async collect() {
      const got = await w.js(() => (window.__lanesRecorded ? window.__lanesRecorded(true) : null));
      assert.ok(got, `the recorder runs on ${await driver.getCurrentUrl()}`);
      kept.push(...got);
    },
    async assertClean() {
      await w.collect().catch(() => {});
      assert.deepEqual(kept, [], 'no page error, rejection, console error or CSP violation');
    },
    /// The environment card as { label: text }.
    card: () =>
      w.js(() => Object.fromEntries([...document.querySelectorAll('.env dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]))),
    click: async (css, text) => {
      const els = await driver.findElements(By.css(css));
      for (const el of els) {
        if (text === undefined || (await el.getText()).trim() === text) {
          await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', el);
          return el.click();
        }
      }
      throw new Error(`no ${css}${text === undefined ? '' : ` saying "${text}"`}`);
    },
    async shoot(name) {
      if (!SHOTS) return;
      fs.writeFileSync(path.join(SHOTS, name), await driver.takeScreenshot(), 'base64');
    },
  };
  return w;
}

const run = (w, request) =>
  w.async(async (request) => {
    const summary = await window.lanes.run(request, () => {});
    return summary;
  }, request);

test('webkit, served isolated, plain and bare: the card names WebKit, its rounded cores, and the threads that help', { timeout: 180_000 }, async (t) => {
  await withWebKit(async (w) => {
    await w.open(URL_);
    const env = await w.js(() => window.lanes.ready);
    t.diagnostic(`${env.user_agent}: cores ${env.hardware_concurrency}, pool ${env.max_threads}, ` +
      `probe ${env.thread_probe_ns.map(Math.round).join(', ')} ns: ${env.useful_threads} help; timer ${env.timer_resolution_ns} ns`);
    let card = await w.card();
    assert.equal(card.Browser, 'WebKit', "WebKitGTK is not Safari, and 605 is WebKit's frozen build");
    assert.equal(card.SIMD128, 'yes');
    assert.equal(card['Cross-origin isolated'], 'yes');
    if ([4, 8].includes(env.hardware_concurrency)) {
      assert.match(card.Cores, /as the browser reports it \(WebKit rounds: 4 below 8 cores, 8 from 8 up\)/);
    }
    assert.match(card.Threads, /^yes: a pool of \d+ Web Workers on shared memory/, 'JSC_useSharedArrayBuffer=1: the threaded engine');
    assert.equal(env.thread_probe_ns.length, env.max_threads, 'the probe timed every thread count of the pool');
    if (env.useful_threads < env.max_threads) {
      assert.match(card.Threads, new RegExp(`of which ${env.useful_threads} help here`));
    }
    await w.shoot('env-isolated.png');

    // Plain: the service worker isolates the page after one reload.
    await w.open(PLAIN);
    await w.until('the reload by the service worker', () => window.crossOriginIsolated, { timeout: 30_000 });
    await w.until('the card after the reload', () => document.querySelector('.env dl'));
    card = await w.card();
    assert.equal(card['Cross-origin isolated'], 'yes');
    assert.match(card.Threads, /^yes: /);

    // Bare: not isolated, one thread, and why (SharedArrayBuffer exists
    // here, JSC_useSharedArrayBuffer=1: the reason is the isolation).
    await w.open(BARE);
    card = await w.card();
    assert.equal(card['Cross-origin isolated'], 'no');
    assert.match(card.Threads, /^no: the page is not cross-origin isolated/);
  });
});

test('webkit: a chapter runs, and its exports hold every rung', { timeout: 300_000 }, async () => {
  await withWebKit(async (w) => {
    await w.open(`${URL_}?chapter=1&size=100000&repeats=3`);
    await w.until('Run enabled', () => [...document.querySelectorAll('button.primary')].some((b) => b.textContent === 'Run' && !b.disabled));
    await w.click('button.primary', 'Run');
    await w.until('the run done', () => document.querySelector('.results h2 .muted')?.textContent === 'done', { timeout: 240_000 });
    const rungs = await w.js(() => [...document.querySelectorAll('.results tbody th')].map((th) => th.textContent.trim()));
    const lines = await w.js(() => [...document.querySelectorAll('.results td.timeit code')].map((c) => c.textContent));
    assert.ok(lines.length >= 4, lines.join(' | '));
    for (const l of lines) assert.match(l, /^\d+ loops?, best of 3: [\d.]+ (ns|µs|ms|s) per loop$/);
    assert.ok(await w.js(() => document.querySelectorAll('.chart svg circle').length > 0), 'the chart has its samples');
    await w.shoot('chapter1.png');
    // The exports, caught at the link the page clicks (WebDriver sees no
    // download): the JSON has a record per rung, the CSV a row per sample.
    await w.js(() => {
      window.__saved = [];
      const blobs = new Map();
      const create = URL.createObjectURL;
      URL.createObjectURL = (blob) => {
        const url = create(blob);
        blobs.set(url, blob);
        return url;
      };
      HTMLAnchorElement.prototype.click = function () {
        const a = this;
        window.__saved.push(blobs.get(a.href).text().then((text) => ({ name: a.download, text })));
      };
    });
    for (const name of ['Export JSON', 'Export CSV']) await w.click('.results button', name);
    const [json, csv] = await w.async(() => Promise.all(window.__saved));
    assert.match(json.name, /\.json$/);
    const exported = JSON.parse(json.text);
    assert.equal(exported.schema, 'lanes-bench/1');
    assert.equal(exported.records.length, rungs.length);
    assert.match(exported.env.user_agent, /AppleWebKit/);
    const rows = csv.text.trim().split('\n');
    assert.equal(rows[0], 'op,strategy,dtype,shape,variant,round,ns_per_loop');
    assert.equal(rows.length, 1 + 3 * rungs.length);
  });
});

test('webkit: a permalink restores the controls', { timeout: 60_000 }, async () => {
  await withWebKit(async (w) => {
    await w.open(`${URL_}?op=sum&dtype=i8&size=5000&variants=scalar,simd&repeats=3`);
    const controls = await w.js(() => ({
      op: document.querySelector('select[aria-label="Operation"]').value,
      dtype: document.querySelector('select[aria-label="dtype"]').value,
      checked: [...document.querySelectorAll('.rung input:checked')].map((i) => i.parentElement.textContent.trim()),
    }));
    assert.equal(controls.op, 'sum');
    assert.equal(controls.dtype, 'i8');
    assert.deepEqual(controls.checked.map((c) => c.split(/\s/)[0]), ['scalar', 'simd']);
  });
});

test('webkit: the threaded engine runs simd-threads, on the threads that help unless told', { timeout: 180_000 }, async (t) => {
  await withWebKit(async (w) => {
    await w.open(URL_);
    let env = await w.js(() => window.lanes.ready);
    assert.equal(env.threads, true, env.threads_reason);
    assert.ok(env.useful_threads >= 1 && env.useful_threads <= env.max_threads);
    const best = Math.min(...env.thread_probe_ns);
    assert.equal(env.useful_threads, env.thread_probe_ns.findIndex((ns) => ns <= best * 1.1) + 1);
    for (const threads of new Set([env.useful_threads, env.max_threads])) {
      const s = await run(w, { op: 'add', dtype: 'f32', shape: [100_000], variants: ['simd', 'simd-threads'], threads, repeats: 3, min_sample_ms: 2 });
      assert.equal(s.info.threads, threads);
      for (const r of s.results) assert.equal(r.verified, true, r.variant);
      const [simd, par] = s.results.map((r) => r.min_ns);
      t.diagnostic(`add f32 1e5: simd ${Math.round(simd)} ns, simd-threads x${threads} ${Math.round(par)} ns`);
    }
    // The playground's default is its worker's probe's.
    await w.open(`${URL_}?op=add&dtype=f32&size=100000&repeats=3`);
    env = await w.js(() => window.lanes.ready);
    const label = await w.js(() => document.querySelector('select[aria-label="Threads"] option[value="0"]').textContent);
    assert.equal(label, env.useful_threads < env.max_threads
      ? `${env.useful_threads} that help (of ${env.max_threads})`
      : `all (${env.max_threads})`);
  });
});

test('webkit: the demo post on another origin loads every widget, and each runs when clicked', { timeout: 300_000 }, async (t) => {
  await withWebKit(async (w) => {
    await w.driver.get(`${blog.origin}/demo/post.html`);
    await w.collect();
    const frames = await w.until('five widgets', () => {
      const f = document.querySelectorAll('lanes-widget iframe');
      return f.length === 5 && f.length;
    }, { timeout: 20_000 });
    for (let i = 0; i < frames; i++) {
      const frame = (await w.driver.findElements(By.css('lanes-widget iframe')))[i];
      await w.driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', frame);
      const variants = (await w.driver.executeScript('return arguments[0].parentElement.getAttribute("variants")', frame)).split(',');
      await w.driver.switchTo().frame(frame);
      await w.until(`widget ${i + 1} ready`, () => {
        const b = document.querySelector('button.primary');
        return b && b.textContent === 'Run' && !b.disabled;
      }, { timeout: 60_000 });
      assert.equal(await w.js(() => window.crossOriginIsolated), false, 'framed by a page that is not isolated');
      const started = Date.now();
      await w.click('button.primary', 'Run');
      await w.until(`widget ${i + 1} done`, () => document.querySelector('.actions .muted')?.textContent === 'done', { timeout: 240_000 });
      const rungs = await w.js(() => [...document.querySelectorAll('ul.lines li b')].map((b) => b.textContent));
      assert.deepEqual(rungs, variants, `widget ${i + 1}: a line per rung`);
      t.diagnostic(`widget ${i + 1} (${variants}) ran in ${Date.now() - started} ms`);
      await w.collect();
      await w.driver.switchTo().defaultContent();
    }
    await w.shoot('post.png');
  });
});

test('webkit phones: the playground and the widget at 390 x 844 and 360 x 800 scroll only down, with 44 px targets', { timeout: 300_000 }, async () => {
  await withWebKit(async (w) => {
    // MiniBrowser's window is never narrower than about 450 px: a phone's
    // viewport is a frame of its size, on a page of the blog's origin (the
    // page's media queries and charts follow the frame's width).
    for (const [width, height] of [[390, 844], [360, 800]]) {
      for (const [name, query] of [['playground', '?op=add&dtype=f32&size=100000&variants=js-typed,scalar,simd&repeats=3'],
        ['widget', 'embed.html?op=add&dtype=f32&size=100000&variants=scalar,simd&repeats=3']]) {
        const phone = blog.page(`/phone-${name}-${width}.html`, `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>a phone</title></head><body style="margin:0"><iframe src="${URL_}${query}" width="${width}" height="${height}"
style="border:0;display:block" title="a phone"></iframe></body></html>`);
        await w.driver.get(phone);
        await w.collect();
        await w.driver.switchTo().frame(await w.driver.findElement(By.css('iframe')));
        await w.until('Run enabled', () => [...document.querySelectorAll('button.primary')].some((b) => b.textContent === 'Run' && !b.disabled));
        assert.equal(await w.js(() => window.innerWidth), width);
        await w.click('button.primary', 'Run');
        const status = name === 'widget' ? '.actions .muted' : '.results h2 .muted';
        await w.until('the run done', (css) => document.querySelector(css)?.textContent === 'done', { timeout: 120_000, args: [status] });
        const l = await w.js(phoneLayout);
        const what = `${name} at ${width} x ${height}`;
        assert.ok(l.overflow <= 0, `${what}: scrolls ${l.overflow} px sideways`);
        assert.ok(l.targets.length >= (name === 'widget' ? 1 : 4), `${what}: ${JSON.stringify(l.targets)}`);
        for (const x of l.targets) assert.ok(x.w >= 44 && x.h >= 44, `${what}: ${x.what} is ${x.w} x ${x.h} px`);
        assert.ok(l.chart.length >= 1 && l.chart.every((c) => c >= width - 80 && c <= width), `${what}: chart ${l.chart}`);
        await w.collect();
        await w.driver.switchTo().defaultContent();
        await w.shoot(`phone-${name}-${width}.png`);
      }
    }
  });
});

test('webkit fast navigation: permalinks opened one after another raise no page error', { timeout: 180_000 }, async () => {
  await withWebKit(async (w) => {
    const links = ['?op=sum&dtype=i8', '?chapter=3', '?op=exp&dtype=f64&size=1000', 'embed.html?op=add', '?op=sort&size=100',
      '?op=matmul&size=4096', '?chapter=5&threads=1', 'embed.html?op=max&dtype=f32', '?op=where'];
    for (let round = 0; round < 2; round++) {
      for (const [i, link] of links.entries()) {
        // WebDriver's get waits for the load event; the worker's start is
        // left at whatever stage it reached after that.
        await w.driver.get(URL_ + link);
        await new Promise((r) => setTimeout(r, (i * 137 + round * 59) % 500));
      }
    }
    // The recorder's store is the tab's (sessionStorage): it kept every page's.
    await w.open(URL_);
  });
});
