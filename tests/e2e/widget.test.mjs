// End to end: <lanes-widget> (web/js/widget.js) on another site. The
// widget's site is LANES_URL (served with COOP/COEP/CORP, as `cargo xtask
// test` does); the "blog" is the tests' static server (server.mjs) on another
// port of 127.0.0.1, so another origin, with no special headers: it serves the demo
// post (and test pages) with the widget script pointing at LANES_URL, as a
// blogger would write it. Screenshots go to SCREENSHOTS (if set).
// Timings are logged, never asserted.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { BROWSER, launch, open } from './browser.mjs';
import { serveBlog } from './server.mjs';

const URL_ = process.env.LANES_URL;
const SHOTS = process.env.SCREENSHOTS;
const DIST = process.env.LANES_DIST || fileURLToPath(new URL('../../dist/', import.meta.url));
/// Timer resolutions above this get the coarse-timer note (embed.rs).
const COARSE_NS = 20_000;
/// How far (px) the iframe's height may be from its content's.
const SLACK = 4;
/// The demo post's widgets sum 10M int8/int64 on one thread: a few seconds each.
const RUN_TIMEOUT = 60_000;
/// The widget's budget, gzip level 9, as a reader of a post fetches it.
const BUDGET = 400_000;

let widgetOrigin;
let blog;

before(async () => {
  assert.ok(URL_, 'LANES_URL names the served site');
  widgetOrigin = new URL(URL_).origin;
  blog = await serveBlog(DIST, URL_);
  assert.notEqual(blog.origin, widgetOrigin, 'the blog and the widget are on different origins');
});

after(async () => {
  await blog?.close();
});

const escape = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/// A page of the blog with one widget whose attributes are `attrs`, and
/// anything else in `extra`.
function widgetPage(attrs, extra = '') {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${escape(v)}"`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>a widget</title>
<link rel="stylesheet" href="/demo/post.css">
<script src="${URL_}js/widget.js" defer></script></head>
<body><article><h1>A test post</h1><lanes-widget${a}></lanes-widget>${extra}</article></body></html>`;
}

/// A fresh browser (fresh profile) for `body`, closed whatever happens.
async function withBrowser(body) {
  const browser = await launch();
  try {
    return await body(browser);
  } finally {
    await browser.close();
  }
}

/// The widgets of the page: each element's iframe handle, its frame, and
/// the element's attributes. Waits for `count` of them.
async function widgets(page, count) {
  const iframes = page.locator('lanes-widget iframe');
  await page
    .waitForFunction((n) => document.querySelectorAll('lanes-widget iframe').length >= n, count, { timeout: 15_000 })
    .catch(() => {});
  assert.equal(await iframes.count(), count, 'a frame per <lanes-widget>');
  const out = [];
  for (let i = 0; i < count; i++) {
    const handle = await iframes.nth(i).elementHandle();
    const attrs = await handle.evaluate((f) =>
      Object.fromEntries([...f.parentElement.attributes].map((a) => [a.name, a.value])));
    const frame = await handle.contentFrame();
    assert.ok(frame, `widget ${i} has a frame`);
    out.push({ handle, frame, attrs, src: await handle.getAttribute('src') });
  }
  return out;
}

const ready = (frame) => frame.waitForSelector('button.primary:text-is("Run"):enabled', { timeout: 30_000 });
const done = (frame) => frame.waitForSelector('.actions .muted:text-is("done")', { timeout: RUN_TIMEOUT });

/// The height of the frame's content (the root element's box: unlike
/// documentElement.scrollHeight it is not stretched to the viewport).
const contentHeight = (frame) => frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
const frameHeight = (handle) => handle.evaluate((f) => f.clientHeight);

/// Waits (up to 3 s, the resize message is asynchronous) until the iframe is
/// as tall as its content, then asserts it; returns the height.
async function assertFits(w, what) {
  let h;
  let c;
  for (const end = Date.now() + 3000; ;) {
    [h, c] = [await frameHeight(w.handle), await contentHeight(w.frame)];
    if (Math.abs(h - c) <= SLACK || Date.now() > end) break;
    await w.frame.page().waitForTimeout(100);
  }
  assert.ok(Math.abs(h - c) <= SLACK, `${what}: the iframe is ${h}px tall, its content ${c}px`);
  return h;
}

/// Runs the widget from its Run button and checks its results: a chart, one
/// %timeit line per rung in `variants`.
async function runAndCheck(w, variants, what) {
  await ready(w.frame);
  await w.handle.scrollIntoViewIfNeeded();
  await w.frame.click('button.primary');
  await done(w.frame);
  await assertResults(w, variants, what);
}

async function assertResults(w, variants, what) {
  assert.equal(await w.frame.locator('figure.chart svg').count(), 1, `${what}: a chart`);
  const rungs = await w.frame.locator('ul.lines li b').allTextContents();
  assert.deepEqual(rungs, variants, `${what}: a line per rung`);
  for (const line of await w.frame.locator('ul.lines li code').allTextContents()) {
    assert.match(line, /^\d+ loops?, best of \d+: [\d.]+ (ns|µs|ms|s) per loop( \([\d.]+×\))?$/, what);
  }
}

/// The link into the playground: the widget's site, with its experiment.
async function assertPlaygroundLink(w, expect, what) {
  const link = w.frame.getByRole('link', { name: 'Open in the Lanes playground ↗' });
  const href = new URL(await link.getAttribute('href'), w.frame.url());
  assert.equal(href.origin + href.pathname, new URL(URL_).href, `${what}: the link opens the playground on the widget's site`);
  assert.equal(await link.getAttribute('target'), '_blank');
  for (const [k, v] of Object.entries(expect)) assert.equal(href.searchParams.get(k), v, `${what}: ${k} in ${href}`);
}

/// A screenshot of the whole page into SCREENSHOTS (if set). Not with
/// `fullPage`: while Chromium captures beyond the viewport it gives the
/// cross-origin frames a viewport several times taller, each widget reports
/// that as its height, and keeps it (see the last test). A viewport as tall
/// as the page shows the post as a reader scrolls through it.
async function shoot(page, name) {
  if (!SHOTS) return;
  const size = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height });
  // Two frames rendered at the new size (a wait on rendering, not on time).
  for (let i = 0; i < 2; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  await page.screenshot({ path: path.join(SHOTS, name) });
  await page.setViewportSize(size);
}

test('the demo post on another origin loads every widget, and each runs when clicked', { timeout: 150_000 }, async (t) => {
  await withBrowser(async (browser) => {
    const postUrl = `${blog.origin}/demo/post.html`;
    const requests = [];
    browser.context.on('request', (r) => requests.push(r.url()));
    const { page, errors } = await open(browser.context, postUrl);
    const ws = await widgets(page, 5);
    const envs = [];
    for (const [i, w] of ws.entries()) {
      const what = `widget ${i + 1} (${w.attrs.op} ${w.attrs.dtype})`;
      assert.equal(new URL(w.src).origin, widgetOrigin, `${what}: framed from the widget's site`);
      assert.equal(new URL(w.src).pathname, new URL('embed.html', URL_).pathname);
      assert.equal(await w.handle.getAttribute('sandbox'),
        'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox');
      assert.equal(await w.handle.getAttribute('title'), w.attrs.title, `${what}: the element's title`);
      // The frames load lazily: as a reader scrolls to them (Firefox's margin
      // is smaller than Chromium's).
      await w.handle.scrollIntoViewIfNeeded();
      await ready(w.frame);
      // Framed by a page that is not isolated, so not isolated either: one
      // thread, and the timer of a page that is not isolated.
      const env = await w.frame.evaluate(() => window.lanes.ready);
      envs.push(env);
      assert.equal(await w.frame.evaluate(() => window.crossOriginIsolated), false, what);
      assert.equal(env.cross_origin_isolated, false, what);
      assert.equal(env.threads, false, what);
      assert.equal(env.max_threads, 1, what);
      const footer = await w.frame.locator('main.embed footer').textContent();
      // The worker's reason speaks of headers; a framed widget explains frames.
      assert.ok(footer.includes('One thread here: threads need a cross-origin isolated page, and this post is not one.'),
        `${what}: ${footer}`);
      assert.equal(/timer ticks every/.test(footer), env.timer_resolution_ns > COARSE_NS,
        `${what}: the coarse-timer note iff the timer ticks every ${env.timer_resolution_ns} ns: ${footer}`);
      assert.equal(await w.frame.locator('main.embed ul.notes').count(), 0, `${what}: its parameters are all good`);
      await assertPlaygroundLink(w, {
        op: w.attrs.op, dtype: w.attrs.dtype, size: w.attrs.size, variants: w.attrs.variants, repeats: w.attrs.repeats,
      }, what);
    }
    t.diagnostic(`in the post: timer ${envs[0].timer_resolution_ns} ns, build "${envs[0].build}", threads: ${envs[0].threads_reason}`);
    // The python widget fetches CPython on Run only, from its own site.
    const pyodide = () => requests.filter((u) => u.includes('/pyodide/'));
    assert.deepEqual(pyodide(), [], 'nothing of Pyodide before a python widget runs');
    // One after the other: five runs at once would fight over two cores.
    for (const [i, w] of ws.entries()) {
      const what = `widget ${i + 1} (${w.attrs.op} ${w.attrs.dtype})`;
      const started = Date.now();
      await runAndCheck(w, w.attrs.variants.split(','), what);
      t.diagnostic(`${what} ran in ${Date.now() - started} ms`);
      assert.equal(await w.frame.locator('.actions button').count(), 1, `${what}: Stop is gone`);
    }
    assert.ok(pyodide().length >= 4, `CPython was fetched: ${pyodide()}`);
    assert.deepEqual(pyodide().filter((u) => new URL(u).origin !== widgetOrigin), [], 'from the widget\'s site');
    for (const [i, w] of ws.entries()) await assertFits(w, `widget ${i + 1} after its run`);
    await shoot(page, 'post-light.png');
    assert.deepEqual(errors, []);

    // Dark: the reader's preference, read when a widget starts.
    if (BROWSER === 'firefox') {
      t.diagnostic("dark: skipped, Firefox ESR's WebDriver BiDi cannot emulate prefers-color-scheme");
      return;
    }
    const dark = await open(browser.context, 'about:blank');
    await dark.page.emulateMedia({ colorScheme: 'dark' });
    await dark.page.goto(postUrl);
    const dws = await widgets(dark.page, 5);
    for (const [i, w] of dws.entries()) {
      await w.handle.scrollIntoViewIfNeeded();
      await ready(w.frame);
      const classes = await w.frame.evaluate(() => [...document.documentElement.classList]);
      assert.ok(classes.includes('dark') && !classes.includes('light'), `dark widget ${i + 1}: ${classes}`);
    }
    for (const [i, w] of dws.entries()) await runAndCheck(w, w.attrs.variants.split(','), `dark widget ${i + 1}`);
    for (const [i, w] of dws.entries()) await assertFits(w, `dark widget ${i + 1} after its run`);
    await shoot(dark.page, 'post-dark.png');
    assert.deepEqual(dark.errors, []);
  });
});

test('a widget with malformed parameters shows its note and still works', { timeout: 60_000 }, async () => {
  await withBrowser(async (browser) => {
    const bad = {
      op: 'nope', size: '-5', dtype: 'f7', theme: '<b>x</b>', autorun: 'yes', variants: 'simd,<img src=x onerror=alert(1)>',
    };
    const { page, errors } = await open(browser.context, blog.page('/malformed.html', widgetPage(bad)));
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss();
    });
    const [w] = await widgets(page, 1);
    await ready(w.frame);
    const notes = await w.frame.locator('main.embed ul.notes li').allTextContents();
    assert.ok(notes.length >= 4, notes.join(' | '));
    // The bad values are echoed, as text.
    for (const v of ['nope', '-5', 'f7', '<b>x</b>', 'yes', '<img src=x onerror=alert(1)>']) {
      assert.ok(notes.some((n) => n.includes(v)), `a note shows ${v}: ${notes.join(' | ')}`);
    }
    assert.equal(await w.frame.locator('main.embed img').count(), 0, 'no img from the parameters');
    assert.equal(await w.frame.locator('main.embed ul.notes *:not(li)').count(), 0, 'the notes are text');
    // autorun=yes is not 1: it waits for Run.
    assert.equal(await w.frame.locator('.actions .muted').textContent(), '');
    assert.equal(await w.frame.locator('ul.lines').count(), 0, 'nothing ran');
    // The defaults, with the one good rung.
    assert.equal(await w.frame.locator('main.embed h1').textContent(), 'a + b');
    assert.match(await w.frame.locator('main.embed header .muted').textContent(), /^float32 · /);
    await assertPlaygroundLink(w, { op: 'add', dtype: 'f32', variants: 'simd' }, 'malformed');
    await runAndCheck(w, ['simd'], 'malformed');
    await assertFits(w, 'malformed, after its run');
    assert.deepEqual(dialogs, [], 'no script ran from the parameters');
    assert.deepEqual(errors, []);
  });
});

test('messages from a foreign origin or another window are ignored', { timeout: 60_000 }, async () => {
  await withBrowser(async (browser) => {
    // Beside the widget: a frame of the blog's origin, and a frame of the
    // widget's own embed.html that is not the widget's (right origin, other
    // window; it posts its own height, 1500 px, as soon as it renders).
    const foreign = blog.page('/foreign.html', '<!doctype html><title>foreign</title><p>a frame of the blog</p>');
    const navigated = blog.page('/navigated.html', `<!doctype html><title>navigated</title><script>
      parent.postMessage({ type: 'lanes:height', height: 2600 }, '*');</script>`);
    const stray = `${URL_}embed.html?op=sum&size=1000`;
    const extra = `<iframe id="foreign" src="${foreign}"></iframe>
      <iframe id="stray" src="${escape(stray)}" style="height:1500px;border:0"></iframe>`;
    const attrs = { op: 'sum', size: '100000', variants: 'scalar,simd', repeats: '3' };
    const { page, errors } = await open(browser.context, blog.page('/messages.html', widgetPage(attrs, extra)));
    const [w] = await widgets(page, 1);
    await ready(w.frame);
    const strayFrame = await (await page.$('#stray')).contentFrame();
    const foreignFrame = await (await page.$('#foreign')).contentFrame();
    await ready(strayFrame);
    // Every message the page gets, with the widget's height right after the
    // widget's own listener has read it (listeners run in order).
    await page.evaluate(() => {
      const iframe = document.querySelector('lanes-widget iframe');
      window.__seen = [];
      window.addEventListener('message', (e) =>
        window.__seen.push({ origin: e.origin, own: e.source === iframe.contentWindow, data: e.data, height: iframe.style.height }));
    });
    // Settled: the frame fits its content (polled, not slept on).
    const settled = await assertFits(w, 'before the messages');
    const seen = () => page.evaluate(() => window.__seen.splice(0));
    await seen();

    // (a) The page itself, (b) a frame of another origin, (c) a frame of the
    // widget's origin that is not the widget's.
    await page.evaluate(() => window.postMessage({ type: 'lanes:height', height: 3000 }, '*'));
    await foreignFrame.evaluate(() => parent.postMessage({ type: 'lanes:height', height: 2500 }, '*'));
    await strayFrame.evaluate(() => parent.postMessage({ type: 'lanes:height', height: 2200 }, '*'));
    // (d) The widget's own frame, in shapes other than the expected one.
    const malformed = [
      { type: 'lanes:height', height: '3333' }, { type: 'lanes:height', height: NaN },
      { type: 'lanes:height', height: Infinity }, { type: 'lanes:height', height: null }, { type: 'lanes:height' },
      { type: 'other', height: 3333 }, { height: 3333 }, 'lanes:height', 3333, null, [3333],
    ];
    await w.frame.evaluate((ms) => {
      for (const m of ms) parent.postMessage(m, '*');
    }, malformed);
    // Wait until every one of them has reached the page (and so, listeners
    // running in order, the widget's listener too).
    await page.waitForFunction(
      (n) => [3000, 2500, 2200].every((h) => window.__seen.some((m) => m.data?.height === h))
        && window.__seen.filter((m) => m.own).length >= n,
      malformed.length,
    );
    const got = await seen();
    const from = (h) => got.filter((m) => m.data?.height === h).map((m) => [m.origin, m.own]);
    assert.deepEqual(from(3000), [[blog.origin, false]], 'the page itself');
    assert.deepEqual(from(2500), [[blog.origin, false]], 'a frame of another origin');
    assert.deepEqual(from(2200), [[widgetOrigin, false]], 'a frame of the widget origin, not the widget');
    assert.ok(got.filter((m) => m.own).length >= malformed.length, `the malformed ones arrived: ${JSON.stringify(got)}`);
    assert.ok(got.every((m) => m.height === `${settled}px`), `the height stayed ${settled}px: ${JSON.stringify(got)}`);
    assert.equal(await frameHeight(w.handle), settled);

    // The listener does work: the widget's own messages, clamped to 120..4000
    // and rounded up...
    await w.frame.evaluate(() => {
      parent.postMessage({ type: 'lanes:height', height: 50 }, '*');
      parent.postMessage({ type: 'lanes:height', height: 300.2 }, '*');
    });
    await page.waitForFunction(() => window.__seen.length >= 2);
    assert.deepEqual((await seen()).slice(0, 2).map((m) => [m.own, m.height]), [[true, '120px'], [true, '301px']]);
    // ...and a run that makes the card taller: it grows to fit.
    await runAndCheck(w, ['scalar', 'simd'], 'messages');
    const grown = await assertFits(w, 'after the run');
    assert.notEqual(grown, settled, 'the run changed the height');

    // (e) The widget's own window, once it shows another origin's page.
    await seen();
    await w.frame.evaluate((u) => (location.href = u), navigated);
    await page.waitForFunction(() => window.__seen.some((m) => m.data?.height === 2600));
    const last = (await seen()).find((m) => m.data?.height === 2600);
    assert.deepEqual([last.own, last.origin], [true, blog.origin]);
    assert.equal(await frameHeight(w.handle), grown, 'a foreign page in the widget frame cannot resize it');
    assert.deepEqual(errors, []);
  });
});

test('autorun=1 runs without a click and theme=dark applies', { timeout: 60_000 }, async () => {
  await withBrowser(async (browser) => {
    const attrs = { autorun: '1', theme: 'dark', op: 'sum', size: '100000', variants: 'scalar,simd', repeats: '3' };
    const { page, errors } = await open(browser.context, blog.page('/autorun.html', widgetPage(attrs)));
    const [w] = await widgets(page, 1);
    const query = new URL(w.src).searchParams;
    assert.ok(query.get('autorun') === '1' && query.get('theme') === 'dark', `autorun and theme reach the frame: ${w.src}`);
    // Nothing clicks: "done" comes from autorun or not at all.
    await w.frame.waitForSelector('.actions .muted:text-is("done")', { timeout: 30_000 });
    await assertResults(w, ['scalar', 'simd'], 'autorun');
    assert.equal(await w.frame.locator('main.embed ul.notes').count(), 0);
    const classes = await w.frame.evaluate(() => [...document.documentElement.classList]);
    assert.ok(classes.includes('dark') && !classes.includes('light'), classes.join(' '));
    // The reader prefers light; theme=dark wins.
    assert.equal(await w.frame.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), false);
    await assertFits(w, 'autorun');
    await shoot(page, 'widget-autorun-dark.png');
    assert.deepEqual(errors, []);
  });
});

/// Collects every response the context gets from now on, except blob: and
/// data: URLs (not transfers); the function returned reads them (those whose
/// URL passes `keep`) as rows of url, status, raw and gzip-9 bytes.
function transfers(context) {
  const responses = [];
  context.on('response', (r) => {
    if (!/^(blob|data):/.test(r.url())) responses.push(r);
  });
  return async (keep = () => true) => {
    const rows = [];
    for (const r of responses.filter((r) => keep(r.url()))) {
      const body = await r.body();
      rows.push({ url: r.url(), status: r.status(), raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length });
    }
    return rows;
  };
}

function table(rows) {
  const w = Math.max(...rows.map((r) => r.url.length));
  return [
    `${'url'.padEnd(w)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)}`,
    ...rows.map((r) => `${r.url.padEnd(w)} ${String(r.raw).padStart(9)} ${String(r.gzip).padStart(9)}`),
    `${'total'.padEnd(w)} ${String(rows.reduce((s, r) => s + r.raw, 0)).padStart(9)} ${String(rows.reduce((s, r) => s + r.gzip, 0)).padStart(9)}`,
  ].join('\n');
}

test('the widget transfers under 400 KB gzip', { timeout: 60_000 }, async (t) => {
  // As a reader of a post gets it: framed by another origin, so not
  // isolated, with the single-threaded worker. Everything the widget's site
  // sends counts, widget.js included.
  await withBrowser(async (browser) => {
    const collected = transfers(browser.context);
    const attrs = { op: 'add', size: '100000' };
    const { page, errors } = await open(browser.context, blog.page('/transfer.html', widgetPage(attrs)));
    const [w] = await widgets(page, 1);
    await ready(w.frame);
    const firstRun = await w.frame.evaluate(() => performance.now());
    await page.waitForLoadState('networkidle');
    const rows = await collected((u) => new URL(u).origin === widgetOrigin);
    const total = rows.reduce((s, r) => s + r.gzip, 0);
    console.log(`the widget in a post (not isolated), every response from ${widgetOrigin}:\n${table(rows)}`);
    console.log(`the widget in a post: Run enabled ${firstRun.toFixed(0)} ms after its frame's navigation started`);
    assert.ok(rows.every((r) => r.status === 200), JSON.stringify(rows));
    assert.ok(rows.some((r) => r.url.endsWith('/widget/lanes_widget_bg.wasm')), 'the widget app was counted');
    assert.ok(rows.some((r) => r.url.endsWith('/pkg/lanes_worker_bg.wasm')), 'the single-threaded worker was counted');
    assert.ok(total < BUDGET, `${total} bytes gzip`);
    t.diagnostic(`widget in a post: ${total} bytes gzip, Run enabled after ${firstRun.toFixed(0)} ms`);
    assert.deepEqual(errors, []);
  });
  // embed.html opened by itself on the (isolated) site: the threaded worker
  // and its pool, which fetches its scripts once per thread. Logged only.
  await withBrowser(async (browser) => {
    const collected = transfers(browser.context);
    const started = Date.now();
    const { page, errors } = await open(browser.context, `${URL_}embed.html?op=add&size=100000`);
    await ready(page.mainFrame());
    const enabled = Date.now() - started;
    const inPage = await page.evaluate(() => performance.now());
    await page.waitForLoadState('networkidle');
    const rows = await collected();
    const total = rows.reduce((s, r) => s + r.gzip, 0);
    const build = (await page.evaluate(() => window.lanes.ready)).build;
    console.log(`embed.html opened directly (isolated, ${build}):\n${table(rows)}`);
    console.log(`embed.html opened directly: Run enabled ${inPage.toFixed(0)} ms after navigation start`
      + ` (${enabled} ms around goto)`);
    t.diagnostic(`embed.html directly: ${total} bytes gzip (${build}), Run enabled after ${inPage.toFixed(0)} ms`);
    assert.deepEqual(errors, []);
  });
});

test("the widget's height follows its content, down as well as up", { timeout: 60_000 }, async () => {
  // A frame that reports document.documentElement.scrollHeight (never less
  // than its own viewport) can grow to its content but never shrink back:
  // checked before a run, after it, and when a narrower window makes the
  // card shorter. Every mismatch is reported at the end.
  await withBrowser(async (browser) => {
    const attrs = { op: 'add', dtype: 'f32', size: '1000000', variants: 'js-array,scalar,simd', repeats: '3' };
    const { page, errors } = await open(browser.context, blog.page('/heights.html', widgetPage(attrs)));
    const [w] = await widgets(page, 1);
    await ready(w.frame);
    const misfits = [];
    const check = async (what) => {
      try {
        await assertFits(w, what);
      } catch (e) {
        misfits.push(e.message);
      }
    };
    await check('before its run (the card has no chart yet)');
    await runAndCheck(w, ['js-array', 'scalar', 'simd'], 'heights');
    await check('after its run');
    // post.css: the article is 60rem wide from 1100px up, 44rem below; the
    // chart scales with the width, so a narrower window makes a shorter card.
    await page.setViewportSize({ width: 900, height: 720 });
    await check('in a 900px window');
    await page.setViewportSize({ width: 1280, height: 720 });
    await check('back in a 1280px window');
    assert.deepEqual(misfits, []);
    assert.deepEqual(errors, []);
  });
});
