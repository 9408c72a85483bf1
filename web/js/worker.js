// The Web Worker: all measurement happens here, never on the page's thread.
// Messages in: { id, request }. Messages out: { id, event } where `event` is
// a JSON string of the engine's events (see crates/harness/src/protocol.rs),
// and once at start { ready: envJson } or { failed: message }.

import init, { Engine } from '../pkg/lanes_worker.js';

// One instance of the JavaScript loops per (kind, dtype): see rungs.js.
async function loadBaselines() {
  const entries = [];
  for (const kind of ['array', 'typed']) {
    for (const dtype of ['i8', 'i16', 'i32', 'f32', 'f64']) {
      const key = `${kind}-${dtype}`;
      entries.push(import(`./baselines.js?rung=${key}`).then((m) => [key, m]));
    }
  }
  globalThis.lanesBaselines = Object.fromEntries(await Promise.all(entries));
}

let engine;
const ready = Promise.all([init(), loadBaselines()])
  .then(() => {
    engine = new Engine();
    postMessage({ ready: engine.environment() });
  })
  .catch((e) => postMessage({ failed: `the engine did not start: ${e}` }));

onmessage = async (msg) => {
  await ready;
  const { id, request } = msg.data;
  if (!engine) return;
  try {
    engine.run(JSON.stringify(request), (event) => postMessage({ id, event }));
  } catch (e) {
    // A trap (out of memory, a bug) leaves the instance unusable: say so;
    // the page respawns the worker.
    const message = `the worker crashed: ${e && e.message ? e.message : e}`;
    postMessage({ id, event: JSON.stringify({ type: 'error', variant: null, message }) });
    postMessage({ id, event: JSON.stringify({ type: 'crashed', message }) });
  }
};
