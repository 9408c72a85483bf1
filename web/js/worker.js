// The Web Worker: all measurement happens here, never on the page's thread.
// Messages in: { lock } (first), then { id, request } and the tests' { fault }.
// Messages out: { id, event } where `event` is a JSON string of the engine's
// events (see crates/harness/src/protocol.rs); while it starts { stage,
// limitMs?, retry? } (see `stage`), then
// once { ready: envJson } or { failed: message }; and { locked } when it holds
// its lifetime lock.
//
// Two builds of the engine exist: pkg-threads (shared memory, a rayon pool
// of Web Workers started from here, never from the page) and pkg (one
// thread). The threaded one is used when this worker is cross-origin
// isolated and its pool starts; otherwise the single-threaded one, told why.

// How long the pool may take to start (it takes ~0.1 s: 51-173 ms in 78
// Firefox starts on a 2-core VM), and then to show that every thread runs
// (~1 ms).
const POOL_TIMEOUT_MS = 4000;
const ANSWER_TIMEOUT_MS = 5000;
// The pool's start can hold this thread where no timer here fires: it ends
// in a call that blocks until every pool thread runs (rayon's
// `build_global`). In Firefox 153 it hung in 2 starts of 80, each time with
// one of the two pool threads never beginning its init; the fresh worker
// then started in ~0.2 s, both times. Only the page can see that; it is
// told to give this stage this long (longer than POOL_TIMEOUT_MS, which
// answers the cases that do not block) and then to try a fresh worker once.
const POOL_STALL_MS = 5000;

// Faults for the end-to-end tests, named in this script's query string
// (lanes.js passes the page's `lanesStartFault` on): 'silent-pool', one of
// the pool's threads never answers; 'stall', the start never ends;
// 'blocked-pool', the pool's start blocks this thread for good.
const QUERY = new URL(import.meta.url).searchParams;
const START_FAULT = QUERY.get('fault');
// Set when the page restarted a start that made no progress: why the
// threaded build is not tried again.
const SINGLE = QUERY.get('single');

/// Tells the page what the start is doing now (it shows it, and restarts a
/// start that makes no progress for a long time: for `limitMs`, if given,
/// and then with threads once more if `retry`).
function stage(text, { limitMs, retry } = {}) {
  postMessage({ stage: text, limitMs, retry });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// One instance of the JavaScript loops per (kind, dtype), so that the JIT
// sees one array type per loop (see rungs.js). The source is fetched once
// and each instance imported from its own blob: URL (ten `?rung=` URLs
// would be ten downloads), each with a first line of its own: JavaScriptCore
// caches code by its source text, and what its JIT learns about one copy's
// loops (the array types they saw) holds for every copy of the same text,
// so a js-typed loop after a js-array one of the same source ran 7 to 10
// times slower there (docs/codegen.md). Where blob: modules are not
// allowed, from those URLs (the same text: JavaScriptCore shares again).
async function loadBaselines() {
  stage('loading the JavaScript rungs');
  if (START_FAULT === 'stall') await new Promise(() => {});
  const keys = [];
  for (const kind of ['array', 'typed']) {
    for (const dtype of ['i8', 'i16', 'i32', 'f32', 'f64']) keys.push(`${kind}-${dtype}`);
  }
  const file = new URL('./baselines.js', import.meta.url);
  let load = (key) => import(`${file}?rung=${key}`);
  try {
    const source = await (await fetch(file)).text();
    const blob = (key) =>
      URL.createObjectURL(new Blob([`// the ${key} rung's own copy\n`, source], { type: 'text/javascript' }));
    const first = await import(blob(keys[0]));
    load = (key) => (key === keys[0] ? Promise.resolve(first) : import(blob(key)));
  } catch {
    // A Content-Security-Policy without blob: in script-src: one URL each.
  }
  const entries = await Promise.all(keys.map((key) => load(key).then((m) => [key, m])));
  globalThis.lanesBaselines = Object.fromEntries(entries);
}

function message(e) {
  return e && e.message ? e.message : String(e);
}

// The threaded engine, or the reason there is none.
async function threaded() {
  if (!self.crossOriginIsolated) {
    return {
      why:
        'the page is not cross-origin isolated: it was served without the COOP/COEP headers ' +
        'and the service worker that adds them did not run (SharedArrayBuffer is off)',
    };
  }
  if (typeof SharedArrayBuffer !== 'function') {
    return { why: 'this browser has no SharedArrayBuffer' };
  }
  const reported = navigator.hardwareConcurrency || 1;
  if (reported < 2) {
    return { why: `the browser reports ${reported} core: there is nothing to split the work over` };
  }
  let pkg;
  stage('loading the threaded build');
  try {
    pkg = await import('../pkg-threads/lanes_worker.js');
  } catch (e) {
    return { why: `the threaded build did not load: ${message(e)}` };
  }
  let wasm;
  stage('compiling the threaded build');
  try {
    wasm = await pkg.default();
  } catch (e) {
    // Shared memory is reserved whole at its maximum: a device short of
    // address space refuses it here.
    return { why: `the threaded build did not start (its shared memory could not be set up?): ${message(e)}` };
  }
  if (!(wasm.memory && wasm.memory.buffer instanceof SharedArrayBuffer)) {
    return {
      why:
        "the threaded build's memory is not shared (it was linked without --shared-memory), " +
        'so its threads could not work on the same arrays',
    };
  }
  // The pool's size: every core the browser reports, at most the module's
  // `maxPool()` (each thread is a Web Worker with its own instance of it).
  const cores = Math.min(reported, pkg.maxPool());
  // The pool's threads are Web Workers started from blob: URLs; if one never
  // starts (a Content-Security-Policy without `worker-src blob:`, say), the
  // promise never settles: give up after a while rather than hang.
  stage(`starting a pool of ${cores} threads`, { limitMs: POOL_STALL_MS, retry: true });
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from its ${cores} threads in ${POOL_TIMEOUT_MS / 1000} s (are blob: workers blocked?)`)),
      POOL_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([pkg.initThreadPool(cores), late]);
  } catch (e) {
    return { why: `the thread pool did not start: ${message(e)}` };
  } finally {
    clearTimeout(timer);
  }
  // This thread held for good, as in the real hang (after the pool's start,
  // where no timer here can fire).
  if (START_FAULT === 'blocked-pool') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  // Every thread must show that it runs, and the worker must not block on
  // one that never does: the pool is asked without waiting, and the answers
  // are counted until they are all in or time is up. The engine then checks
  // the count (and offers no threads if one is missing).
  stage(`checking that the ${cores} threads run`);
  if (START_FAULT === 'silent-pool') pkg.parkPoolThread();
  pkg.askPool();
  for (const end = performance.now() + ANSWER_TIMEOUT_MS; pkg.poolAnswers() < cores && performance.now() < end; ) {
    await sleep(5);
  }
  const engine = new pkg.Engine(null);
  // How many of the threads help: a browser may report more cores than the
  // device has (WebKit reports 4 below 8), and simd-threads on too many is
  // slower than on fewer. A probe that fails keeps the whole pool.
  stage('measuring how many threads help');
  try {
    engine.probeThreads();
  } catch (e) {
    console.warn(`the thread probe failed, simd-threads keeps the whole pool: ${message(e)}`);
  }
  return { engine, pkg, wasm };
}

async function start() {
  await loadBaselines();
  let why = SINGLE;
  if (!why) {
    try {
      const t = await threaded();
      if (t.engine) return t;
      why = t.why;
    } catch (e) {
      why = `the threaded build failed to start: ${message(e)}`;
    }
  }
  stage('loading the single-threaded build');
  const pkg = await import('../pkg/lanes_worker.js');
  const wasm = await pkg.default();
  return { engine: new pkg.Engine(why), pkg, wasm };
}

let engine;
let pkg;
let wasm;
let failure;
/// A fault the end-to-end tests asked for (see `inject` in lanes.js).
let fault = null;
const ready = start()
  .then((e) => {
    ({ engine, pkg, wasm } = e);
    postMessage({ ready: engine.environment() });
  })
  .catch((e) => {
    failure = `the engine did not start: ${message(e)}`;
    postMessage({ failed: failure });
  });

/// The page learns that this worker is gone (crashed, or terminated by
/// anyone) when the lock it holds for its whole life is released.
function holdLifetimeLock(name) {
  if (!navigator.locks) return postMessage({ locked: null });
  navigator.locks.request(name, () => {
    postMessage({ locked: name });
    return new Promise(() => {});
  });
}

/// Faults for the end-to-end tests: 'grow' grows the wasm memory to its
/// maximum (no large block can be had after it), 'exhaust' also takes every
/// free block (the next allocation of any size fails); with `after:
/// 'sample'`, in the middle of the next run, as its first sample arrives.
function injectFault(f) {
  if (f.after === 'sample') fault = f;
  else pkg.exhaustMemory(f.kind === 'exhaust');
}

onmessage = async (msg) => {
  if (msg.data.lock) return holdLifetimeLock(msg.data.lock);
  await ready;
  if (msg.data.fault) return injectFault(msg.data.fault);
  const { id, request } = msg.data;
  if (!engine) {
    postMessage({ id, event: JSON.stringify({ type: 'error', variant: null, message: failure }) });
    return;
  }
  // The python rung needs CPython, loaded on the first run that asks for
  // it (and kept): its download and start are shown as the run's first
  // events. If it cannot load, the engine refuses the rung with the reason
  // (python.js keeps it) and runs the others.
  if (engine.needsPython(JSON.stringify(request))) {
    const progress = (p) => postMessage({ id, event: JSON.stringify({ type: 'loading', ...p }) });
    try {
      if (!globalThis.lanesPython) globalThis.lanesPython = await import('./python.js');
      await globalThis.lanesPython.load(progress);
    } catch (e) {
      // The rung's own error says why (or, if even python.js did not
      // load, the bridge does).
      if (!globalThis.lanesPython) globalThis.lanesPythonFailure = `python.js did not load: ${message(e)}`;
    }
  }
  try {
    const spent = engine.run(JSON.stringify(request), (event) => {
      postMessage({ id, event });
      // Only a test's armed fault needs to look into the events.
      if (fault && JSON.parse(event).type === 'sample') {
        pkg.exhaustMemory(fault.kind === 'exhaust');
        fault = null;
      }
    });
    // The run was refused for memory (its error event said so): a fresh
    // worker starts with a small memory again (a wasm memory never shrinks).
    if (spent) {
      const text = 'the worker\'s memory could not grow: a fresh worker was started';
      postMessage({ id, event: JSON.stringify({ type: 'crashed', message: text }) });
    }
  } catch (e) {
    // A trap (out of memory, a bug) leaves the instance unusable: say so;
    // the page respawns the worker.
    const mb = Math.round(wasm.memory.buffer.byteLength / 1e6);
    const text = `the worker crashed (${message(e)}) with ${mb} MB of wasm memory` +
      (e instanceof WebAssembly.RuntimeError ? ': most likely out of memory' : '');
    postMessage({ id, event: JSON.stringify({ type: 'crashed', message: text }) });
  }
};
