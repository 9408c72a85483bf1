// The one static server of the tests: `cargo xtask serve --static MODE
// --root DIR --port 0` (xtask/src/serve.rs), which `cargo xtask test` names
// in LANES_XTASK. MODE is `isolated` (COOP/COEP/CORP), `plain` (no headers)
// or `bare` (no headers, no service worker).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';

/// Serves `root` on a free port of 127.0.0.1: `{ url, origin, close() }`.
export async function serveDir(root, mode, { record = false } = {}) {
  const xtask = process.env.LANES_XTASK;
  assert.ok(xtask, 'LANES_XTASK names the xtask binary (cargo xtask test sets it)');
  const child = spawn(xtask, ['serve', '--static', mode, '--root', root, '--port', '0', ...(record ? ['--record'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = readline.createInterface({ input: child.stdout });
  const first = new Promise((resolve) => lines.once('line', resolve));
  const url = await Promise.race([
    first,
    exited.then(([code]) => {
      throw new Error(`cargo xtask serve --root ${root} exited (${code}) before it served`);
    }),
  ]);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  return {
    url,
    origin: new URL(url).origin,
    close() {
      child.kill();
      return exited;
    },
  };
}

/// The blog: the plain static server (no COOP/COEP/CORP) on a free port of
/// 127.0.0.1, over a directory of its own. It has dist/demo/post.html and
/// post.css, the post's script rewritten from ../js/widget.js to
/// LANES_URL's, the site's icon (else Chromium's request for /favicon.ico is
/// a 404 on the console), and the pages the tests add. With `record`, its
/// pages get the recorder of errors (record.js), as the WebKit tests need.
export async function serveBlog(DIST, URL_, { record = false } = {}) {
  const widgetOrigin = new URL(URL_).origin;
  const read = (f) => fs.readFileSync(path.join(DIST, 'demo', f), 'utf8');
  const post = read('post.html');
  // As a blogger with a Content-Security-Policy of their own would publish
  // it: the widget's script and frames allowed from the Lanes site.
  const policy = `default-src 'self'; script-src 'self' ${widgetOrigin}; frame-src ${widgetOrigin}; ` +
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'";
  const rewritten = post
    .replace('<script src="../js/widget.js" defer>', `<script src="${URL_}js/widget.js" defer>`)
    .replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${policy}">`);
  assert.notEqual(rewritten, post, 'post.html loads ../js/widget.js');
  assert.ok(rewritten.includes(policy), 'the blog has its own policy');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanes-blog-'));
  const put = (pathname, content) => {
    const file = path.join(dir, pathname);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };
  put('/demo/post.html', rewritten);
  put('/demo/post.css', read('post.css'));
  for (const icon of ['favicon.svg', 'favicon.ico']) put(icon, fs.readFileSync(path.join(DIST, 'favicon.svg')));
  const server = await serveDir(dir, 'plain', { record });
  return {
    origin: server.origin,
    /// Serves `html` at `pathname`; returns its URL.
    page(pathname, html) {
      put(pathname, html);
      return server.origin + pathname;
    },
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
