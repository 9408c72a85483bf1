// The one static server of the tests: `cargo xtask serve --static MODE
// --root DIR --port 0` (xtask/src/serve.rs), which `cargo xtask test` names
// in LANES_XTASK. MODE is `isolated` (COOP/COEP/CORP), `plain` (no headers)
// or `bare` (no headers, no service worker).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';

/// Serves `root` on a free port of 127.0.0.1: `{ url, origin, close() }`.
export async function serveDir(root, mode) {
  const xtask = process.env.LANES_XTASK;
  assert.ok(xtask, 'LANES_XTASK names the xtask binary (cargo xtask test sets it)');
  const child = spawn(xtask, ['serve', '--static', mode, '--root', root, '--port', '0'], {
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
