// End to end: the Content-Security-Policy, script injection through every
// parameter, and the widget in the strictest sandbox a blog would use. The
// site is LANES_URL (the built dist/, served as `cargo xtask test` does).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, open } from './browser.mjs';

const URL_ = process.env.LANES_URL;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = ['', 'embed.html', 'demo/post.html'];
/// A payload that would set a global and add an element if it ever ran or
/// became markup.
const XSS = `"><img src=x id=pwned onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
let browser;

before(async () => {
  assert.ok(URL_, 'LANES_URL names the served site');
  browser = await launch();
  // Every page records the CSP violations it sees.
  await browser.context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

after(async () => {
  await browser?.close();
});

/// What the HTML of a page declares, read by the browser's own parser (the
/// release build minifies the HTML: attributes lose their quotes and move).
async function declared(html) {
  const { page } = await open(browser.context, 'about:blank');
  const found = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const all = [...doc.querySelectorAll('*')];
    return {
      policies: [...doc.querySelectorAll('meta')]
        .filter((m) => m.httpEquiv.toLowerCase() === 'content-security-policy')
        .map((m) => m.content),
      scripts: [...doc.querySelectorAll('script')].map((s) => ({ src: s.getAttribute('src'), body: s.textContent })),
      handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)),
    };
  }, html);
  await page.close();
  return found;
}

function policy(metas) {
  assert.equal(metas.length, 1, 'one policy per page');
  return Object.fromEntries(metas[0].split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name, values];
  }));
}

test('every page carries the same strict Content-Security-Policy and no inline script', async () => {
  const policies = [];
  for (const p of PAGES) {
    const html = await (await fetch(URL_ + p)).text();
    const { policies: metas, scripts, handlers } = await declared(html);
    const csp = policy(metas);
    policies.push(JSON.stringify(csp));
    assert.ok(csp['script-src'].includes("'wasm-unsafe-eval'"), p);
    for (const bad of ["'unsafe-eval'", "'unsafe-inline'", '*', 'data:', 'http:', 'https:']) {
      assert.ok(!csp['script-src'].includes(bad), `${p}: script-src has ${bad}`);
      assert.ok(!(csp['worker-src'] ?? []).includes(bad), `${p}: worker-src has ${bad}`);
    }
    assert.deepEqual(csp['object-src'], ["'none'"]);
    assert.deepEqual(csp['base-uri'], ["'none'"]);
    // Every script element has a src (the policy would refuse an inline one).
    assert.ok(scripts.length > 0, p);
    for (const { src, body } of scripts) {
      assert.ok(src, `${p}: an inline script`);
      assert.equal(body.trim(), '', p);
    }
    assert.deepEqual(handlers, [], `${p}: an inline event handler`);
  }
  assert.equal(new Set(policies).size, 1, 'the same policy everywhere');
});

test('the pages run under the policy: no violation, and eval is refused', { timeout: 120_000 }, async () => {
  for (const p of ['?chapter=1&size=10000&repeats=2', 'embed.html?op=sum&dtype=f32&size=10000&repeats=2']) {
    const { page, errors } = await open(browser.context, URL_ + p);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => /done/.test(document.body.innerText), null, { timeout: 90_000 });
    assert.deepEqual(await page.evaluate(() => window.__violations), [], p);
    // What the policy is for: a string evaluated as script, and an inline
    // script added to the page, are both refused (and reported).
    const refused = await page.evaluate(() => new Promise((resolve) => {
      setTimeout('window.__evaluated = 1', 0);
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.append(s);
      setTimeout(() => resolve([window.__evaluated, window.__inline, window.__violations.length]), 200);
    }));
    assert.deepEqual(refused, [undefined, undefined, 2], `${p}: eval and inline script refused`);
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0], /Evaluating a string as JavaScript violates the following Content Security Policy/);
    assert.match(errors[1], /Executing inline script violates the following Content Security Policy/);
    await page.close();
  }
});

test('script injected through every parameter stays text', { timeout: 60_000 }, async () => {
  const keys = ['chapter', 'op', 'strategy', 'dtype', 'size', 'variants', 'repeats', 'threads', 'budget', 'theme', 'autorun'];
  const query = '?' + keys.map((k) => `${k}=${encodeURIComponent(XSS)}`).join('&');
  for (const p of ['', 'embed.html']) {
    const { page, errors } = await open(browser.context, URL_ + p + query);
    await page.waitForSelector('.notes li');
    const notes = await page.locator('.notes li').allTextContents();
    assert.ok(notes.length >= keys.length - 2, `${p}: a note per bad parameter: ${notes.join(' | ')}`);
    assert.ok(notes.some((n) => n.includes('<img src=x')), `${p}: the payload is shown as text`);
    assert.equal(await page.locator('#pwned, img[src="x"]').count(), 0, `${p}: no element was injected`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, `${p}: nothing ran`);
    // The page still works with its defaults.
    assert.ok(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled(), `${p}: Run is enabled`);
    assert.deepEqual(errors, [], p);
    await page.close();
  }
});

test('the widget works in a frame sandboxed to allow-scripts allow-same-origin only', { timeout: 90_000 }, async () => {
  const { page, errors } = await open(browser.context, URL_ + 'demo/post.html');
  // A frame as the strictest blog would write it, beside the demo's widgets.
  const src = new URL('embed.html?op=add&dtype=f32&size=10000&repeats=2', URL_).href;
  await page.evaluate((src) => {
    const f = document.createElement('iframe');
    f.id = 'strict';
    f.setAttribute('sandbox', 'allow-scripts allow-same-origin');
    f.src = src;
    f.style.height = '700px';
    document.body.prepend(f);
  }, src);
  const frame = await (await page.waitForSelector('#strict')).contentFrame();
  await frame.getByRole('button', { name: 'Run', exact: true }).click();
  await frame.waitForFunction(() => /done/.test(document.body.innerText), null, { timeout: 60_000 });
  const lines = await frame.locator('code').allTextContents();
  assert.ok(lines.some((l) => /per loop/.test(l)), lines.join(' | '));
  assert.deepEqual(errors, []);
  await page.close();
});

test('no page script writes markup from strings', () => {
  // JavaScript: no innerHTML and friends anywhere in web/js.
  const dir = path.join(ROOT, 'web/js');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    assert.doesNotMatch(src, /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, f);
  }
  // Rust: raw HTML only for the charts' SVG, which plotters escapes.
  const uses = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.rs')) {
        for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
          if (line.includes('from_html_unchecked')) uses.push([path.relative(ROOT, p), line.trim()]);
        }
      }
    }
  };
  walk(path.join(ROOT, 'crates'));
  assert.ok(uses.length > 0);
  for (const [file, line] of uses) {
    assert.match(line, /^Ok\(s\) if !s\.is_empty\(\) => Html::from_html_unchecked\(AttrValue::from\(s\)\),$/, file);
  }
});
