// The page's handle on the measurement worker, and the programmatic entry
// the headless runner and the end-to-end tests use:
//
//   const env = await window.lanes.ready;              // the environment
//   const summary = await window.lanes.run(request, onEvent);
//   window.lanes.stop();                                // terminate + respawn
//
// `run` resolves with the `run-done` summary and rejects with the message of
// an error that stopped the run (a refused request, a crashed worker).

const WORKER_URL = new URL('./worker.js', import.meta.url);
/// Names this page's worker locks apart from other tabs' (locks are shared
/// by every page of the origin).
const PAGE_ID = crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;

class Lanes {
  constructor() {
    this.nextId = 1;
    this.pending = new Map();
    this.spawn();
  }

  spawn() {
    const worker = new Worker(WORKER_URL, { type: 'module' });
    this.worker = worker;
    this.generation = (this.generation ?? 0) + 1;
    worker.postMessage({ lock: `lanes-worker-${PAGE_ID}-${this.generation}` });
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.worker.onmessage = (msg) => this.receive(msg.data);
    this.worker.onerror = (e) => {
      const message = `the worker failed: ${e.message || 'unknown error'}`;
      this.readyReject(new Error(message));
      this.failAll(message);
      // Once it has started, a worker that fails is replaced; one that
      // cannot start would only fail again.
      if (this.env) this.restart();
    };
  }

  /// Waits for the lock the worker holds while it lives: granted here when
  /// the worker is gone. Gone while it is still ours means it was killed
  /// (terminated, crashed): runs in flight fail and a fresh worker starts.
  watch(name) {
    if (!name) return;
    const worker = this.worker;
    navigator.locks.request(name, () => {
      if (this.worker !== worker) return;
      this.failAll('the worker stopped unexpectedly (it was terminated or crashed): a new one was started');
      this.restart();
    });
  }

  /// Fault injection for the end-to-end tests: `{ kind: 'grow' }` grows the
  /// worker's memory to its maximum, `{ kind: 'exhaust' }` also takes every
  /// free block; with `after: 'sample'`, as the next run's first sample
  /// arrives.
  inject(fault) {
    this.worker.postMessage({ fault });
  }

  receive(data) {
    if (data.ready) {
      this.env = JSON.parse(data.ready);
      this.readyResolve(this.env);
      return;
    }
    if (data.failed) {
      this.readyReject(new Error(data.failed));
      return;
    }
    if (data.locked !== undefined) {
      this.watch(data.locked);
      return;
    }
    const event = JSON.parse(data.event);
    const job = this.pending.get(data.id);
    if (event.type === 'crashed') {
      // The instance is unusable (a trap) or its memory is spent: a fresh
      // worker takes over; the run, if still pending, fails with the reason.
      this.pending.delete(data.id);
      job?.reject(new Error(event.message));
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
      job.reject(new Error(event.message));
    }
  }

  run(request, onEvent) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onEvent });
      this.worker.postMessage({ id, request });
    });
  }

  failAll(message) {
    for (const job of this.pending.values()) job.reject(new Error(message));
    this.pending.clear();
  }

  restart() {
    this.worker.terminate();
    this.spawn();
  }

  /// Stops whatever runs now: the worker is terminated and a fresh one started.
  stop() {
    this.failAll('stopped');
    this.restart();
  }
}

window.lanes = new Lanes();
