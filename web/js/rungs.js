// The bridge the worker's wasm imports (wasm-bindgen `module`): it hands a
// JavaScript rung to the copy of `baselines.js` loaded for that rung's
// (kind, dtype). Each copy is a separate module instance (loaded by
// worker.js with its own query string), so its loops only ever see one kind
// of array and the JIT specializes them as it would in a person's program;
// one shared copy would turn megamorphic and slow down with history.

export function prepare(kind, op, strategy, dtype, shape, outDtype, outLen, inputs, params) {
  const instance = globalThis.lanesBaselines && globalThis.lanesBaselines[`${kind}-${dtype}`];
  if (!instance) throw new Error(`no JavaScript rung for ${kind} ${dtype}`);
  return instance.prepare(kind, op, strategy, dtype, shape, outDtype, outLen, inputs, params);
}

/// The python rung's (web/js/python.js, which worker.js loads when a run
/// asks for the rung).
export function preparePython(dtype, shape, names, inputs, params, setup, stmt, outDtype) {
  const python = globalThis.lanesPython;
  if (!python) throw new Error(globalThis.lanesPythonFailure || 'Python is not loaded in this worker');
  return python.prepare(dtype, shape, names, inputs, params, setup, stmt, outDtype);
}
