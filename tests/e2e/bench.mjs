// The headless bench runner: reads run requests (a JSON array) from stdin,
// runs each through `window.lanes.run` on the served page, in the same
// worker the UI uses, and writes one JSON object per line to stdout:
// {"type":"load",...} (the page's first and warm loads: time to a usable
// Run button, and every file it fetched with its gzip size; left out with
// `--no-load` after the URL), then
// {"type":"ready","env":...}, then {"type":"run-done","summary":...} or
// {"type":"error","request":...,"message":...} per request.

import zlib from 'node:zlib';
import { launch, open } from './browser.mjs';

/// Milliseconds from navigation to the first frame where Run is enabled:
/// the app started, the worker (and in the threaded build its pool)
/// answered. Polled per animation frame, so within ~16 ms.
async function interactive(page) {
  return page.waitForFunction(
    () => {
      const run = [...document.querySelectorAll('button.primary')].find((b) => b.textContent === 'Run');
      return run && !run.disabled && performance.now();
    },
    null,
    { polling: 'raf', timeout: 30000 },
  ).then((h) => h.jsonValue());
}

/// A first load in a fresh profile (nothing cached) recording every
/// response, then two reloads.
async function measureLoad(browser, url) {
  const files = new Map();
  const seen = [];
  const record = (response) => {
    seen.push(
      response.body().then(
        (body) => {
          const u = new URL(response.url());
          if (u.protocol.startsWith('http') && response.status() === 200) {
            files.set(u.pathname, { raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length });
          }
        },
        () => {},
      ),
    );
  };
  browser.context.on('response', record);
  const page = await browser.context.newPage();
  await page.goto(url);
  const first = await interactive(page);
  browser.context.off('response', record);
  await Promise.all(seen);
  const warm = [];
  for (let i = 0; i < 2; i++) {
    await page.reload();
    warm.push(await interactive(page));
  }
  await page.close();
  return { type: 'load', first_ms: first, warm_ms: warm, files: Object.fromEntries(files) };
}

const url = process.argv[2];
// `--no-load`: the page's loading was measured already (an earlier pass).
const measure = !process.argv.includes('--no-load');
const input = await new Promise((resolve) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d));
  process.stdin.on('end', () => resolve(s));
});
const requests = JSON.parse(input);

const browser = await launch();
let failed = false;
try {
  if (measure) console.log(JSON.stringify(await measureLoad(browser, url)));
  const { page, errors } = await open(browser.context, url);
  const env = await page.evaluate(() => window.lanes.ready);
  console.log(JSON.stringify({ type: 'ready', env }));
  for (const request of requests) {
    // simd-threads needs the worker's pool: leave it out where there is none
    // (or where it is smaller than asked).
    if (!request.variants.includes('simd-threads')) request.threads = 1;
    if (request.variants.includes('simd-threads') && (!env.threads || env.max_threads < request.threads)) {
      const why = env.threads
        ? `the pool has ${env.max_threads} threads, not ${request.threads}`
        : env.threads_reason;
      console.log(JSON.stringify({ type: 'error', request, message: `simd-threads left out: ${why}` }));
      request.variants = request.variants.filter((v) => v !== 'simd-threads');
      if (request.variants.length === 0) continue;
      request.threads = 1;
    }
    const r = await page.evaluate(
      (req) => window.lanes.run(req).then((summary) => ({ summary }), (e) => ({ error: e.message })),
      request,
    );
    if (r.summary) console.log(JSON.stringify({ type: 'run-done', summary: r.summary }));
    else console.log(JSON.stringify({ type: 'error', request, message: r.error }));
  }
  if (errors.length) {
    console.error(errors.join('\n'));
    failed = true;
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
