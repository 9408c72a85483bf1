"""Times the Lanes suite with NumPy, for `cargo xtask bench --numpy`.

Reads a JSON list of problems on stdin ({op, strategy, dtype, shape, params,
taps, repeats}) and prints one JSON object per problem: the NumPy expression
timed, the best time per loop (timeit's autorange, then the best of
`repeats`), and NumPy's version. Where NumPy has an out= form it is used, so
that NumPy, like the Lanes kernels, writes into an array allocated once.
"""

import json
import sys
import timeit

import numpy as np

DTYPES = {"i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64, "f32": np.float32, "f64": np.float64}


def inputs(op, dtype, shape, taps):
    """Arrays like the engine's: small integers where sums could overflow, signed values everywhere."""
    rng = np.random.default_rng(1)
    t = DTYPES[dtype]

    def arr(s):
        if np.issubdtype(t, np.floating):
            return rng.uniform(-100, 100, size=s).astype(t)
        lo, hi = (-100, 100) if t != np.int8 else (-50, 50)
        return rng.integers(lo, hi, size=s).astype(t)

    if len(shape) == 2:
        r, c = shape
        return {"m": arr((r, c)), "a": arr((r, c)), "b": arr((c, r)), "v": arr(c)}
    n = shape[0]
    return {"a": arr(n), "b": arr(n), "k": arr(taps)}


def statement(op, strategy, x, p, t):
    """The NumPy form of one problem, as a closure, and its text."""
    a, b = x.get("a"), x.get("b")
    if op in ("add", "multiply", "axpy", "add_scalar", "sqrt", "exp", "clip", "where"):
        o = np.empty_like(a)
    ufunc = {"add": np.add, "multiply": np.multiply}
    if op in ufunc:
        return (lambda: ufunc[op](a, b, out=o)), f"np.{op}(a, b, out=o)"
    if op == "axpy":
        alpha = t(p["alpha"])

        def f():
            np.multiply(a, alpha, out=o)
            np.add(o, b, out=o)

        return f, "np.multiply(x, alpha, out=o); np.add(o, y, out=o)"
    if op == "add_scalar":
        s = t(p["scalar"])
        return (lambda: np.add(a, s, out=o)), "np.add(a, s, out=o)"
    if op in ("sqrt", "exp"):
        fn = getattr(np, op)
        return (lambda: fn(a, out=o)), f"np.{op}(a, out=o)"
    if op == "clip":
        lo, hi = t(p["lo"]), t(p["hi"])
        return (lambda: np.clip(a, lo, hi, out=o)), "np.clip(a, lo, hi, out=o)"
    if op == "where":
        return (lambda: np.where(a > 0, a, b)), "np.where(a > 0, a, b)"
    if op == "sum":
        return (lambda: np.sum(a)), "np.sum(a)"
    if op == "max":
        return (lambda: np.max(a)), "np.max(a)"
    if op == "mean":
        return (lambda: np.mean(a)), "np.mean(a)"
    if op == "dot":
        return (lambda: np.dot(a, b)), "np.dot(a, b)"
    if op == "sort":
        return (lambda: np.sort(a)), "np.sort(a)"
    if op == "convolve":
        k = x["k"]
        return (lambda: np.convolve(a, k, mode="valid")), "np.convolve(a, k, mode='valid')"
    m, v = x.get("m"), x.get("v")
    if op == "add_row":
        o = np.empty_like(m)
        if strategy == "tile":
            return (lambda: np.add(m, np.tile(v, (m.shape[0], 1)), out=o)), "np.add(m, np.tile(v, (rows, 1)), out=o)"
        return (lambda: np.add(m, v, out=o)), "np.add(m, v, out=o)"
    if op == "matmul":
        bb = x["b"]
        o = np.empty((m.shape[0], bb.shape[1]), dtype=m.dtype)
        return (lambda: np.matmul(m, bb, out=o)), "np.matmul(a, b, out=o)"
    if op == "sum_axis":
        axis = 1 if strategy == "rows" else 0
        return (lambda: m.sum(axis=axis)), f"m.sum(axis={axis})"
    if op == "transpose":
        o = np.empty((m.shape[1], m.shape[0]), dtype=m.dtype)
        return (lambda: np.copyto(o, m.T)), "np.copyto(o, m.T)"
    if op == "ravel":
        if strategy == "view":
            return (lambda: m.ravel()), "m.ravel()"
        return (lambda: m.flatten()), "m.flatten()"
    raise ValueError(f"no NumPy form for {op}")


def main():
    problems = json.load(sys.stdin)
    for pr in problems:
        t = DTYPES[pr["dtype"]]
        x = inputs(pr["op"], pr["dtype"], pr["shape"], pr.get("taps", 15))
        try:
            f, text = statement(pr["op"], pr["strategy"], x, pr["params"], t)
        except ValueError as e:
            print(json.dumps({**pr, "error": str(e)}), flush=True)
            continue
        timer = timeit.Timer(f)
        loops, _ = timer.autorange()
        best = min(timer.repeat(repeat=pr.get("repeats", 7), number=loops)) / loops
        print(json.dumps({"op": pr["op"], "strategy": pr["strategy"], "dtype": pr["dtype"], "shape": pr["shape"],
                          "numpy": text, "best_ns": best * 1e9, "loops": loops, "numpy_version": np.__version__}),
              flush=True)


if __name__ == "__main__":
    main()
