"""Times the Lanes suite with NumPy, for `cargo xtask bench --numpy`.

Reads a JSON list of problems on stdin and prints one JSON object per
problem: the NumPy statement timed, the best time per loop (timeit's
autorange, then the best of `repeats`), and NumPy's version. Each problem
carries its statement and its arrays from the catalogue (the `bench` form of
the op's row in crates/kernels/src/ops/<op>.rs): this script knows no op.
Where NumPy has an out= form the catalogue uses it, so that NumPy, like the
Lanes kernels, writes into an array `o` allocated once.
"""

import json
import sys
import timeit

import numpy as np

DTYPES = {"i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64, "f32": np.float32, "f64": np.float64}


def array(rng, t, shape):
    """Like the engine's inputs: small integers where sums could overflow, signed values everywhere."""
    if np.issubdtype(t, np.floating):
        return rng.uniform(-100, 100, size=shape).astype(t)
    lo, hi = (-100, 100) if t != np.int8 else (-50, 50)
    return rng.integers(lo, hi, size=shape).astype(t)


def statement(pr):
    """The problem's NumPy statement as a function of no arguments (a def,
    so that a call costs what a lambda's does), with its arrays and scalars."""
    rng = np.random.default_rng(1)
    t = DTYPES[pr["dtype"]]
    p = pr["params"]
    names = {"np": np, "alpha": t(p["alpha"]), "s": t(p["scalar"]), "lo": t(p["lo"]), "hi": t(p["hi"])}
    for i in pr["inputs"]:
        names[i["name"]] = array(rng, DTYPES[i["dtype"]], tuple(i["shape"]))
    out = pr["output"]
    names["o"] = np.empty(tuple(out["shape"]), dtype=DTYPES[out["dtype"]])
    body = "\n".join("    " + s.strip() for s in pr["bench"].split(";"))
    exec(f"def timed():\n{body}\n", names)  # the catalogue's own text
    return names["timed"]


def main():
    problems = json.load(sys.stdin)
    for pr in problems:
        f = statement(pr)
        timer = timeit.Timer(f)
        loops, _ = timer.autorange()
        best = min(timer.repeat(repeat=pr.get("repeats", 7), number=loops)) / loops
        print(json.dumps({"op": pr["op"], "strategy": pr["strategy"], "dtype": pr["dtype"], "shape": pr["shape"],
                          "numpy": pr["bench"], "best_ns": best * 1e9, "loops": loops,
                          "numpy_version": np.__version__}),
              flush=True)


if __name__ == "__main__":
    main()
