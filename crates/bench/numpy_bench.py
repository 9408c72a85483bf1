"""Times the Lanes suite with NumPy, for `cargo xtask bench --numpy`.

Reads a JSON list of problems on stdin and prints one JSON object per
problem: the NumPy statement timed, the best time per loop (timeit's
autorange, then the best of `repeats`), and NumPy's version. Each problem
carries its statement and its arrays from the catalogue (the `bench` form of
the op's row in crates/kernels/src/ops/<op>.rs): this script knows no op.
Where NumPy has an out= form the catalogue uses it, so that NumPy, like the
Lanes kernels, writes into an array `o` allocated once.

A problem whose form has a plain-Python version (the `python` rung's) also
gets that timed with native CPython, as the browser's CPython runs it: the
inputs as `array.array`s, the setup untimed, the statement with its names
local (as `timeit` compiles it).
"""

import array as pyarray
import json
import platform
import sys
import timeit

import numpy as np

DTYPES = {"i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64, "f32": np.float32, "f64": np.float64}


def array(rng, t, shape, floats=(-100, 100)):
    """Like the engine's inputs: small integers where sums could overflow,
    floats from the op's range (`float_inputs` of its row), signed values
    everywhere else."""
    if np.issubdtype(t, np.floating):
        return rng.uniform(*floats, size=shape).astype(t)
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
        names[i["name"]] = array(rng, DTYPES[i["dtype"]], tuple(i["shape"]), pr["float_inputs"])
    out = pr["output"]
    names["o"] = np.empty(tuple(out["shape"]), dtype=DTYPES[out["dtype"]])
    body = "\n".join("    " + s.strip() for s in pr["bench"].split(";"))
    exec(f"def timed():\n{body}\n", names)  # the catalogue's own text
    return names["timed"]


TYPECODES = {"i8": "b", "i16": "h", "i32": "i", "i64": "q", "f32": "f", "f64": "d"}


def python_time(pr, repeats):
    """Native CPython's best time per loop of the problem's Python form."""
    py = pr["python"]
    rng = np.random.default_rng(1)
    t = DTYPES[pr["dtype"]]
    p = pr["params"]

    def param(v):
        # As the kernels take it: a float, or Rust's `as` cast.
        if np.issubdtype(t, np.floating):
            return float(v)
        info = np.iinfo(t)
        return min(max(int(v), int(info.min)), int(info.max))

    names = {"alpha": param(p["alpha"]), "s": param(p["scalar"]), "lo": param(p["lo"]), "hi": param(p["hi"])}
    if len(pr["shape"]) == 2:
        names["rows"], names["cols"] = pr["shape"]
    for i in pr["inputs"]:
        values = array(rng, DTYPES[i["dtype"]], tuple(i["shape"]), pr["float_inputs"])
        names[i["name"]] = pyarray.array(TYPECODES[i["dtype"]], values.tobytes())
    timer = timeit.Timer(py["stmt"], setup="\n".join(py["setup"]) or "pass", globals=names)
    loops, _ = timer.autorange()
    return min(timer.repeat(repeat=repeats, number=loops)) / loops


def main():
    problems = json.load(sys.stdin)
    for pr in problems:
        f = statement(pr)
        timer = timeit.Timer(f)
        loops, _ = timer.autorange()
        best = min(timer.repeat(repeat=pr.get("repeats", 7), number=loops)) / loops
        line = {"op": pr["op"], "strategy": pr["strategy"], "dtype": pr["dtype"], "shape": pr["shape"],
                "numpy": pr["bench"], "best_ns": best * 1e9, "loops": loops,
                "numpy_version": np.__version__}
        if pr.get("python"):
            line["python_ns"] = python_time(pr, pr.get("repeats", 7)) * 1e9
            line["python_version"] = platform.python_version()
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
