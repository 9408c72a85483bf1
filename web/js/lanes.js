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

class Lanes {
  constructor() {
    this.nextId = 1;
    this.pending = new Map();
    this.spawn();
  }

  spawn() {
    this.worker = new Worker(WORKER_URL, { type: 'module' });
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.worker.onmessage = (msg) => this.receive(msg.data);
    this.worker.onerror = (e) => {
      const message = `the worker failed: ${e.message || 'unknown error'}`;
      this.readyReject(new Error(message));
      this.failAll(message);
    };
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
    const job = this.pending.get(data.id);
    if (!job) return;
    const event = JSON.parse(data.event);
    if (job.onEvent) job.onEvent(event);
    if (event.type === 'run-done') {
      this.pending.delete(data.id);
      job.resolve(event.summary);
    } else if (event.type === 'crashed') {
      this.pending.delete(data.id);
      job.reject(new Error(event.message));
      this.restart();
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
