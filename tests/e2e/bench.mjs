// The headless bench runner: reads run requests (a JSON array) from stdin,
// runs each through `window.lanes.run` on the served page, in the same
// worker the UI uses, and writes one JSON object per line to stdout:
// {"type":"ready","env":...}, then {"type":"run-done","summary":...} or
// {"type":"error","request":...,"message":...} per request.

import { launch, open } from './browser.mjs';

const url = process.argv[2];
const input = await new Promise((resolve) => {
  let s = '';
  process.stdin.on('data', (d) => (s += d));
  process.stdin.on('end', () => resolve(s));
});
const requests = JSON.parse(input);

const browser = await launch();
let failed = false;
try {
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
