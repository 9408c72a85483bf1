// The `python` rung: the op written the way the slow side of "Making NumPy
// Sing" writes it (a list comprehension, the built-in `sum`), run by CPython
// compiled to WebAssembly (Pyodide, from npm, copied into this site's
// `pyodide/` by the build: nothing is fetched from another origin).
//
// Nothing of Pyodide is fetched until a run asks for the rung (`load`,
// called by worker.js before it hands the run to the engine). It loads once
// per worker and is kept for the worker's life. The engine then prepares the
// rung through rungs.js (`prepare`: the inputs become `array.array`s, the
// form's setup builds its lists, untimed), checks its output against the
// reference, and times `run(loops)` like every other rung.
//
// The Python code is the catalogue's (crates/kernels/src/catalogue.rs,
// `Python`): the same setup and statement `cargo xtask bench --numpy` times
// natively with `timeit`.
//
// Pyodide's runtime evaluates some of its JavaScript with `eval`: the
// worker runs under no Content-Security-Policy (the pages' policy is a
// <meta> tag, which does not reach workers); a host that sends one as a
// header on worker.js must allow 'unsafe-eval' there for this rung.

import { TYPED } from './baselines.js';

const TYPECODES = { i8: 'b', i16: 'h', i32: 'i', i64: 'q', f32: 'f', f64: 'd' };

// Runs in Python once, when it has loaded. `Rung` holds one prepared rung:
// its names (the inputs as `array.array`s, the parameters, what the setup
// built), the timed function compiled as `timeit` compiles a statement (the
// names are its locals), and the last result. `tracemalloc` counts what the
// rung holds while it is built and checked (it slows allocation, so it is
// stopped before anything is timed).
const PRELUDE = `
import array, tracemalloc

def _wrapper(tc):
    bits = {'b': 8, 'h': 16, 'i': 32, 'q': 64}.get(tc)
    if bits is None:
        return float
    half, size = 1 << (bits - 1), 1 << bits
    # NumPy's fixed-width result: the exact one modulo 2**bits.
    return lambda x: (int(x) + half) % size - half

def _flat(r):
    if isinstance(r, (list, tuple)):
        if r and isinstance(r[0], (list, tuple)):
            return [x for row in r for x in row]
        return r
    return [r]

def _param(v, tc):
    """A parameter as the kernels take it: a float for a float dtype, else
    Rust's \`as\` cast (toward zero, saturated to the dtype)."""
    if tc in 'fd':
        return float(v)
    bits = {'b': 8, 'h': 16, 'i': 32, 'q': 64}[tc]
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return min(max(int(v), lo), hi)

class Rung:
    def __init__(self, setup, stmt, tc, inputs, params, shape):
        tracemalloc.start()
        try:
            ns = {}
            for name, data in inputs:
                a = array.array(tc)
                a.frombytes(data.to_bytes())
                ns[name] = a
            for k, v in params.items():
                ns[k] = _param(v, tc)
            if len(shape) == 2:
                ns['rows'], ns['cols'] = shape
            exec(setup, ns)
            names = [k for k in ns if not k.startswith('__')]
            src = ('def _run(_loops, ' + ', '.join(names) + '):\\n'
                   '    for _i in range(_loops):\\n'
                   '        _r = ' + stmt + '\\n'
                   '    return _r\\n')
            code = {}
            exec(src, {'__builtins__': __builtins__}, code)
            self.fn = code['_run']
            self.args = [ns[k] for k in names]
            del ns
            self.result = self.fn(1, *self.args)
            self.held, self.peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    def run(self, loops):
        self.result = None
        self.result = self.fn(loops, *self.args)

    def output(self, tc):
        return array.array(tc, map(_wrapper(tc), _flat(self.result))).tobytes()
`;

/// How long the download may make no progress before it is given up.
const STALL_MS = 60_000;

let pyodide = null;
let loading = null;
/// Why the last load failed, for the rung's error (the run goes on without
/// it).
let failure = null;

function message(e) {
  return e && e.message ? e.message : String(e);
}

/// Fetches through `fetch`, telling `progress(bytes)` how many bytes of
/// the bodies have arrived so far: Pyodide's own requests, counted while it
/// loads (the wasm keeps its `application/wasm` type for streaming). A
/// request that fails is also told to `failed`: Pyodide only logs a wasm
/// that does not arrive, and its start would then never end.
function counting(fetch, progress, failed) {
  let bytes = 0;
  return async (...args) => {
    const path = new URL(String(args[0].url || args[0]), location.href).pathname;
    let response;
    try {
      response = await fetch(...args);
    } catch (e) {
      failed(new Error(`${path} could not be fetched (${message(e)})`));
      throw e;
    }
    if (!response.ok) {
      const e = new Error(`${path} answered ${response.status}`);
      failed(e);
      throw e;
    }
    if (!response.body) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        bytes += value.byteLength;
        progress(bytes);
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/// Loads CPython (once per worker), telling `report({ stage, bytes, total })`
/// what it does: the download with its bytes (`total` from the build's
/// `pyodide/files.json`: the two modules, counted as each is imported, and
/// the files Pyodide fetches, counted as they arrive), then the start of
/// the interpreter.
export function load(report) {
  if (!loading) {
    failure = null;
    loading = start(report).catch((e) => {
      // Not kept: a later run tries again (the files may be back).
      loading = null;
      failure = `Python did not load: ${message(e)}`;
      throw new Error(failure);
    });
  }
  return loading;
}

async function start(report) {
  const base = new URL('../pyodide/', import.meta.url);
  const files = await (await fetch(new URL('files.json', base))).json().catch(() => null);
  if (!files || !files.version) throw new Error('this build has no pyodide/files.json');
  const size = files.files;
  const total = Object.values(size).reduce((s, b) => s + b, 0);
  let imported = 0;
  // Once every byte is in, the interpreter starts (its stdlib unpacked,
  // its modules imported): a stage with nothing to count.
  const downloading = (fetched) => {
    const bytes = imported + fetched;
    report({ stage: bytes >= total ? 'starting Python' : 'downloading Python', bytes, total });
  };
  downloading(0);
  // Settles (fails) when a file does not arrive, or nothing has arrived
  // for STALL_MS.
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  // Raced below; a failure before the race (a stall while importing) is
  // the import's to report.
  failed.catch(() => {});
  let stall;
  const alive = () => {
    clearTimeout(stall);
    stall = setTimeout(() => fail(new Error(`nothing arrived for ${STALL_MS / 1000} s`)), STALL_MS);
  };
  alive();
  const fetch0 = globalThis.fetch;
  globalThis.fetch = counting(fetch0, (fetched) => {
    alive();
    downloading(fetched);
  }, fail);
  try {
    const module = await import(new URL('pyodide.mjs', base).href);
    imported += size['pyodide.mjs'];
    // Imported here rather than by `loadPyodide`, so that it counts.
    const asm = await import(new URL('pyodide.asm.mjs', base).href);
    imported += size['pyodide.asm.mjs'];
    downloading(0);
    const started = module.loadPyodide({
      indexURL: base.href,
      createPyodideModule: asm.default,
      stdout: () => {},
      stderr: () => {},
      checkAPIVersion: true,
    });
    const py = await Promise.race([started, failed]);
    report({ stage: 'starting Python', bytes: total, total });
    py.runPython(PRELUDE);
    pyodide = py;
    return py;
  } finally {
    clearTimeout(stall);
    globalThis.fetch = fetch0;
  }
}

/// A prepared rung: the interface rungs.js's other rungs have, and the
/// bytes its Python objects hold (measured by `tracemalloc`).
class PythonRung {
  constructor(rung, outDtype) {
    Object.assign(this, { rung, outDtype });
  }

  run(loops) {
    this.rung.run(loops);
  }

  output() {
    const bytes = this.rung.output(TYPECODES[this.outDtype]);
    try {
      const u8 = bytes.toJs();
      const Typed = TYPED[this.outDtype];
      return new Typed(u8.buffer, u8.byteOffset, u8.byteLength / Typed.BYTES_PER_ELEMENT);
    } finally {
      bytes.destroy();
    }
  }

  held() {
    return this.rung.held;
  }

  free() {
    this.rung.destroy();
  }
}

/// The last rung prepared: a run of another problem frees its Python
/// objects first (the interpreter's heap is not the engine's, which frees
/// its own arrays when the problem changes).
let last = null;

/// Prepares the rung for one problem of `shape`: `inputs` are typed arrays
/// named as in `names`, `params` the op's parameters, `setup` the lines and `stmt` the
/// statement of the catalogue's Python form.
export function prepare(dtype, shape, names, inputs, params, setup, stmt, outDtype) {
  if (!pyodide) throw new Error(failure || 'Python is not loaded in this worker');
  if (last) {
    last.free();
    last = null;
  }
  const values = { alpha: params.alpha, s: params.scalar, lo: params.lo, hi: params.hi };
  const Rung = pyodide.globals.get('Rung');
  const toPy = (x) => pyodide.toPy(x, { depth: 1 });
  const pairs = names.map((n, i) => [n, inputs[i]]);
  const args = [setup.join('\n'), stmt, TYPECODES[dtype], toPy(pairs), toPy(values), toPy(Array.from(shape))];
  try {
    last = new PythonRung(Rung(...args), outDtype);
  } catch (e) {
    // A Python exception: its last line says what it was.
    const lines = message(e).trim().split('\n');
    throw new Error(`Python: ${lines[lines.length - 1]}`);
  } finally {
    for (const a of args.slice(3)) a.destroy();
    Rung.destroy();
  }
  return last;
}
