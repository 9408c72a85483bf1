// The JavaScript rungs of the ladder: the loops a person would write.
//
// `js-array` runs them over plain Arrays of numbers (the browser's "Python
// list"), `js-typed` over TypedArrays. Nothing here is tuned: that is the
// point. The worker prepares a rung once (copies of the inputs, outside any
// timed region), checks its output against the reference, and then times
// `run(loops)` with the same harness as the wasm rungs.

/// The typed array of each dtype (python.js reads it too).
export const TYPED = {
  i8: Int8Array,
  i16: Int16Array,
  i32: Int32Array,
  i64: BigInt64Array,
  f32: Float32Array,
  f64: Float64Array,
};

// Each kernel gets (inputs, out, shape, params, kind) and either fills `out`
// or returns a number (reductions) or a new array (sort, ravel).
const KERNELS = {
  add: { default: ([a, b], out) => {
    for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  } },
  multiply: { default: ([a, b], out) => {
    for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
  } },
  minimum: { default: ([a, b], out) => {
    for (let i = 0; i < a.length; i++) out[i] = Math.min(a[i], b[i]);
  } },
  axpy: { default: ([x, y], out, shape, p) => {
    const alpha = p.alpha;
    for (let i = 0; i < x.length; i++) out[i] = alpha * x[i] + y[i];
  } },
  sqrt: { default: ([a], out) => {
    for (let i = 0; i < a.length; i++) out[i] = Math.sqrt(a[i]);
  } },
  exp: { default: ([a], out) => {
    for (let i = 0; i < a.length; i++) out[i] = Math.exp(a[i]);
  } },
  add_scalar: { default: ([a], out, shape, p) => {
    const s = p.scalar;
    for (let i = 0; i < a.length; i++) out[i] = a[i] + s;
  } },
  where: { default: ([a, b], out) => {
    for (let i = 0; i < a.length; i++) out[i] = a[i] > 0 ? a[i] : b[i];
  } },
  clip: { default: ([a], out, shape, p) => {
    for (let i = 0; i < a.length; i++) out[i] = Math.min(Math.max(a[i], p.lo), p.hi);
  } },
  sum: { default: ([a]) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s;
  } },
  max: { default: ([a]) => {
    let m = -Infinity;
    for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
    return m;
  } },
  mean: { default: ([a]) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s / a.length;
  } },
  dot: { default: ([a, b]) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  } },
  add_row: {
    broadcast: ([m, v], out, [rows, cols]) => {
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) out[r * cols + c] = m[r * cols + c] + v[c];
    },
    tile: ([m, v], out, [rows, cols], p, kind, dtype) => {
      const tile = kind === 'array' ? new Array(rows * cols) : new TYPED[dtype](rows * cols);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) tile[r * cols + c] = v[c];
      for (let i = 0; i < m.length; i++) out[i] = m[i] + tile[i];
    },
  },
  matmul: {
    ijk: ([a, b], out, [n, k]) => {
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
          out[i * n + j] = s;
        }
    },
    ikj: ([a, b], out, [n, k]) => {
      out.fill(0);
      for (let i = 0; i < n; i++)
        for (let p = 0; p < k; p++) {
          const x = a[i * k + p];
          for (let j = 0; j < n; j++) out[i * n + j] += x * b[p * n + j];
        }
    },
  },
  sort: { default: ([a], out, shape, p, kind) =>
    kind === 'array' ? a.slice().sort((x, y) => x - y) : a.slice().sort() },
  convolve: { default: ([a, k], out) => {
    const taps = k.length;
    for (let i = 0; i < out.length; i++) {
      let s = 0;
      for (let j = 0; j < taps; j++) s += a[i + j] * k[taps - 1 - j];
      out[i] = s;
    }
  } },
  sum_axis: {
    rows: ([m], out, [rows, cols]) => {
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let c = 0; c < cols; c++) s += m[r * cols + c];
        out[r] = s;
      }
    },
    columns: ([m], out, [rows, cols]) => {
      for (let c = 0; c < cols; c++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += m[r * cols + c];
        out[c] = s;
      }
    },
  },
  transpose: {
    naive: ([m], out, [rows, cols]) => {
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j];
    },
    tiled: ([m], out, [rows, cols]) => {
      const T = 32;
      for (let i0 = 0; i0 < rows; i0 += T)
        for (let j0 = 0; j0 < cols; j0 += T)
          for (let i = i0; i < Math.min(i0 + T, rows); i++)
            for (let j = j0; j < Math.min(j0 + T, cols); j++) out[j * rows + i] = m[i * cols + j];
    },
  },
  ravel: {
    // A plain Array has no views: its "ravel" is the array itself. A typed
    // array's subarray is a view of the same memory.
    view: ([m], out, shape, p, kind) => (kind === 'array' ? m : m.subarray(0)),
    copy: ([m]) => m.slice(),
  },
};

/// A typed array of `dtype` holding `values` (numbers, or one number).
function typedOf(dtype, values) {
  const list = typeof values === 'number' ? [values] : values;
  if (dtype === 'i64') return BigInt64Array.from(list, (x) => BigInt(Math.round(Number(x))));
  return TYPED[dtype].from(list);
}

class Baseline {
  constructor(kernel, inputs, out, shape, params, kind, dtype, outDtype) {
    Object.assign(this, { kernel, inputs, out, shape, params, kind, dtype, outDtype });
    this.result = undefined;
  }

  run(loops) {
    const { kernel, inputs, out, shape, params, kind, dtype } = this;
    let r;
    for (let i = 0; i < loops; i++) r = kernel(inputs, out, shape, params, kind, dtype);
    // Keep the result reachable so that no engine can drop the work.
    this.result = r;
  }

  output() {
    const r = this.result === undefined ? this.out : this.result;
    if (r instanceof TYPED[this.outDtype] && this.outDtype !== 'i64') return r;
    return typedOf(this.outDtype, r);
  }
}

export function prepare(kind, op, strategy, dtype, shape, outDtype, outLen, inputs, params) {
  const kernel = KERNELS[op] && KERNELS[op][strategy];
  if (!kernel) throw new Error(`no JavaScript loop for ${op} (${strategy})`);
  if (!TYPED[dtype] || dtype === 'i64') throw new Error(`no JavaScript rung for ${dtype}`);
  const copies = inputs.map((x) => (kind === 'array' ? Array.from(x) : new TYPED[dtype](x)));
  const out = kind === 'array' ? new Array(outLen).fill(0) : new TYPED[outDtype === 'i64' ? 'f64' : outDtype](outLen);
  return new Baseline(kernel, copies, out, Array.from(shape), params, kind, dtype, outDtype);
}
