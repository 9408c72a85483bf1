// The page's handle on the measurement worker, and the programmatic entry
// the headless runner and the end-to-end tests use:
//
//   const env = await window.lanes.ready;              // the environment
//   const summary = await window.lanes.run(request, onEvent);
//   window.lanes.stop();                                // terminate + respawn
//
// `run` resolves with the `run-done` summary and rejects with an Error whose
// `message` says what stopped the run and whose `kind` is the protocol's
// `ErrorKind` name: 'refused' (the request), 'out-of-memory', 'crashed' (the
// worker is gone: a fresh one was started) or 'stopped' (`stop()`).

/// An Error that says which `ErrorKind` it is.
const failure = (kind, message) => Object.assign(new Error(message), { kind });

const WORKER_URL = new URL('./worker.js', import.meta.url);
/// Names this page's worker locks apart from other tabs' (locks are shared
/// by every page of the origin).
const PAGE_ID = crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
/// A start that makes no progress (no new stage from the worker) for this
/// long, or for the stage's own limit if the worker gave one, is given up.
/// A stage the worker marks `retry` (the pool's start, which can block the
/// worker's thread) is tried once more with threads; otherwise, or if it
/// stalls again, the worker is replaced by one that starts without threads,
/// and if that one stalls as well, `ready` fails with the stage it was stuck
/// in. (The end-to-end tests shorten the first worker's with `lanesStallMs`,
/// and its stages' own limits with `lanesStageLimitMs`.)
const STALL_MS = 30000;
/// How long a worker whose start failed waits before it is started again.
const START_RETRY_MS = 1000;

class Lanes {
  constructor() {
    this.nextId = 1;
    this.pending = new Map();
    /// Why this page's workers start without threads, once a threaded
    /// start has stalled (every later worker starts the same way).
    this.single = null;
    // A page being left stops its worker's loads: nothing to report then.
    addEventListener('pagehide', () => { this.leaving = true; });
    addEventListener('pageshow', () => { this.leaving = false; });
    this.spawn();
  }

  /// Starts a worker. `ready` is a new promise unless the last start never
  /// finished (a stalled start's replacement settles the same promise).
  spawn() {
    const url = new URL(WORKER_URL);
    if (this.single) url.searchParams.set('single', this.single);
    // A start fault for the end-to-end tests, on the first worker only.
    else if (!this.generation && window.lanesStartFault) url.searchParams.set('fault', window.lanesStartFault);
    const worker = new Worker(url, { type: 'module' });
    this.worker = worker;
    this.stallMs = this.generation ? STALL_MS : (window.lanesStallMs ?? STALL_MS);
    this.stageLimitMs = this.generation ? undefined : window.lanesStageLimitMs;
    this.generation = (this.generation ?? 0) + 1;
    worker.postMessage({ lock: `lanes-worker-${PAGE_ID}-${this.generation}` });
    if (!this.starting) {
      this.ready = new Promise((resolve, reject) => {
        this.readyResolve = resolve;
        this.readyReject = reject;
      });
      // Whoever awaits it sees the failure; a page that never asks is not
      // left with an unhandled rejection.
      this.ready.catch(() => {});
    }
    this.starting = true;
    this.progress('loading its script');
    // Only the current worker is heard: what a replaced one still had
    // queued (a stage, `ready`, its lock) is dropped.
    worker.onmessage = (msg) => {
      if (worker === this.worker) this.receive(msg.data, worker);
    };
    worker.onerror = (e) => {
      // Handled here: not also an uncaught error of the page.
      e.preventDefault();
      if (worker !== this.worker || this.leaving) return;
      // A worker that failed before it started lost its module (a fetch
      // that failed, a server that answered a script with a page: `trunk
      // serve` answers a file missing during a rebuild with index.html,
      // "Unexpected token '<'"): it is started again once, a second later.
      if (!this.env && !this.startRetried) {
        this.startRetried = true;
        console.warn(`Lanes: the worker's start failed (${e.message || 'unknown error'}): starting it again`);
        this.worker = null;
        setTimeout(() => this.spawn(), START_RETRY_MS);
        return;
      }
      const message = `the worker failed: ${e.message || 'unknown error'}`;
      this.settle();
      this.readyReject(new Error(message));
      this.failAll('crashed', message);
      // Once it has started, a worker that fails is replaced; one that
      // cannot start would only fail again.
      if (this.env) this.restart();
    };
  }

  /// Waits for the lock the worker holds while it lives: granted here when
  /// the worker is gone. Gone while it is still ours means it was killed
  /// (terminated, crashed): runs in flight fail and a fresh worker starts.
  watch(name, worker) {
    if (!name) return;
    navigator.locks.request(name, () => {
      if (this.worker !== worker) return;
      this.failAll('crashed', 'the worker stopped unexpectedly (it was terminated or crashed): a new one was started');
      this.restart();
    });
  }

  /// Fault injection for the end-to-end tests: `{ kind: 'grow' }` grows the
  /// worker's memory to its maximum, `{ kind: 'exhaust' }` also takes every
  /// free block; with `after: 'sample'`, as the next run's first sample
  /// arrives.
  inject(fault) {
    this.worker?.postMessage({ fault });
  }

  /// The worker's start reached `stage`: shown on the page (a
  /// `lanes-stage` event), and the stall timer starts again, for the
  /// stage's own limit if it has one.
  progress(stage, { limitMs, retry } = {}) {
    this.stage = stage;
    this.retryable = Boolean(retry);
    if (limitMs) limitMs = this.stageLimitMs ?? limitMs;
    this.stageMs = Math.min(limitMs ?? this.stallMs, this.stallMs);
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.stalled(), this.stageMs);
    window.dispatchEvent(new CustomEvent('lanes-stage', { detail: stage }));
  }

  /// The start is over, one way or the other.
  settle() {
    clearTimeout(this.stallTimer);
    this.starting = false;
    this.retrying = false;
  }

  stalled() {
    const why = `its start made no progress for ${this.stageMs / 1000} s (it was ${this.stage})`;
    this.worker?.terminate();
    this.worker = null;
    if (!this.single && this.retryable && !this.retrying) {
      // Rare and not known to repeat: a fresh worker starts with threads,
      // once per start. (`retried` keeps why, for the tests.)
      this.retrying = true;
      this.retried = why;
      console.warn(`Lanes: the worker was started again: ${why}`);
      this.failAll('crashed', `the worker's start was begun again: ${why}`);
      this.spawn();
      return;
    }
    // Runs sent while it started would wait for it for ever.
    this.failAll('crashed', `the worker's start was given up: ${why}`);
    if (this.single) {
      this.settle();
      this.readyReject(new Error(`the worker did not start: ${why}`));
      return;
    }
    this.single = `the threaded engine was given up: ${why}${this.retrying ? ', on a second try' : ''}`;
    this.spawn();
  }

  receive(data, worker) {
    if (data.stage) {
      this.progress(data.stage, data);
      return;
    }
    if (data.ready) {
      this.settle();
      this.stage = 'ready';
      this.env = JSON.parse(data.ready);
      this.readyResolve(this.env);
      return;
    }
    if (data.failed) {
      this.settle();
      this.readyReject(new Error(data.failed));
      return;
    }
    if (data.locked !== undefined) {
      this.watch(data.locked, worker);
      return;
    }
    const event = JSON.parse(data.event);
    const job = this.pending.get(data.id);
    if (event.type === 'crashed') {
      // The instance is unusable (a trap) or its memory is spent: a fresh
      // worker takes over; the run, if still pending, fails with the reason.
      this.pending.delete(data.id);
      job?.onEvent?.(event);
      job?.reject(failure('crashed', event.message));
      this.restart();
      return;
    }
    if (!job) return;
    if (job.onEvent) job.onEvent(event);
    if (event.type === 'run-done') {
      this.pending.delete(data.id);
      job.resolve(event.summary);
    } else if (event.type === 'error' && event.variant === null) {
      this.pending.delete(data.id);
      job.reject(failure(event.kind ?? 'refused', event.message));
    }
  }

  run(request, onEvent) {
    if (!this.worker) return Promise.reject(failure('crashed', 'the worker did not start'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onEvent });
      this.worker.postMessage({ id, request });
    });
  }

  failAll(kind, message) {
    for (const job of this.pending.values()) job.reject(failure(kind, message));
    this.pending.clear();
  }

  restart() {
    this.worker?.terminate();
    this.spawn();
  }

  /// Stops whatever runs now: the worker is terminated and a fresh one started.
  stop() {
    this.failAll('stopped', 'stopped');
    this.restart();
  }
}

window.lanes = new Lanes();
