"""Writes the NumPy golden vectors the kernel tests compare against.

Run by `cargo xtask golden` (which installs the pinned NumPy with pip). Every
case is three files, `<case>.in0.npy`, optionally `<case>.in1.npy`, and
`<case>.out.npy`, where `<case>` is `<op>-<strategy>-<dtype>-<name>`; NumPy
computes every output. `cases.rs` lists them for the Rust tests, and
`NUMPY_VERSION` records the NumPy that wrote them.
"""

import pathlib
import sys
import warnings

import numpy as np

PINNED = "2.4.6"
HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "data"

# The scalar parameters of the kernels' `Params::default()`.
ALPHA, SCALAR, LO, HI = 3, 7, -50, 50
TAPS = 15

INTS = ["int8", "int16", "int32", "int64"]
FLOATS = ["float32", "float64"]
SHORT = {"int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64", "float32": "f32", "float64": "f64"}

rng = np.random.default_rng(20261126)


def int_edge(dt):
    info = np.iinfo(dt)
    v = [info.min, info.max, info.min + 1, info.max - 1, -1, 0, 1, 2, -2, info.max // 2 + 1, info.min // 2 - 1]
    return np.array(v + list(rng.integers(info.min, info.max, 9, endpoint=True)), dtype=dt)


def float_edge(dt, reduction=False):
    f = np.finfo(dt)
    v = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -1.0, 0.5, 3.0, -7.25]
    if not reduction:
        # Extremes make sums overflow in an order-dependent way: elementwise only.
        v += [f.max, -f.max, f.tiny, f.smallest_subnormal, -f.smallest_subnormal, 1e30, -1e-30]
    return np.array(v + list(rng.standard_normal(7) * 10), dtype=dt)


def random(dt, shape, scale=60.0):
    if dt in INTS:
        info = np.iinfo(dt)
        return rng.integers(info.min, info.max, shape, endpoint=True, dtype=dt)
    return (rng.standard_normal(shape) * scale).astype(dt)


def small_ints(dt, shape):
    # Integer-valued inputs keep float matmul exact in any summation order.
    return rng.integers(-8, 9, shape).astype(dt)


cases = []


def save(op, strategy, dt, name, inputs, out):
    case = f"{op}-{strategy}-{SHORT[dt]}-{name}"
    for i, x in enumerate(inputs):
        np.save(OUT / f"{case}.in{i}.npy", np.ascontiguousarray(x))
    np.save(OUT / f"{case}.out.npy", np.asarray(out))
    cases.append((case, len(inputs)))


def vectors(dt, reduction=False):
    """(name, array) pairs for 1-D ops."""
    edge = int_edge(dt) if dt in INTS else float_edge(dt, reduction)
    return [("edge", edge), ("empty", np.zeros(0, dt)), ("one", random(dt, 1)), ("random", random(dt, 1000))]


def main():
    if np.__version__ != PINNED:
        sys.exit(f"generate.py needs numpy=={PINNED}, found {np.__version__}")
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.npy"):
        old.unlink()
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")

    for dt in INTS + FLOATS:
        for name, a in vectors(dt):
            b = np.roll(a, 3) if a.size else a
            save("add", "default", dt, name, [a, b], a + b)
            save("multiply", "default", dt, name, [a, b], a * b)
            save("minimum", "default", dt, name, [a, b], np.minimum(a, b))
            save("axpy", "default", dt, name, [a, b], np.asarray(ALPHA, dtype=dt) * a + b)
            save("add_scalar", "default", dt, name, [a], a + np.asarray(SCALAR, dtype=dt))
            save("where", "default", dt, name, [a, b], np.where(a > 0, a, b))
            save("clip", "default", dt, name, [a], np.clip(a, np.asarray(LO, dt), np.asarray(HI, dt)))
            save("sort", "default", dt, name, [a], np.sort(a))
        for name, a in vectors(dt, reduction=True):
            b = np.roll(a, 5) if a.size else a
            save("sum", "default", dt, name, [a], np.sum(a))
            save("mean", "default", dt, name, [a], np.mean(a))
            save("dot", "default", dt, name, [a, b], np.dot(a, b))
            if a.size:
                save("max", "default", dt, name, [a], np.max(a))
        for name, shape in [("tall", (37, 5)), ("wide", (3, 70)), ("square", (33, 33)), ("empty", (0, 4))]:
            m = random(dt, shape)
            v = random(dt, shape[1])
            save("add_row", "broadcast", dt, name, [m, v], m + v)
            save("add_row", "tile", dt, name, [m, v], m + np.tile(v, (shape[0], 1)))
            save("sum_axis", "rows", dt, name, [m], m.sum(axis=1))
            save("sum_axis", "columns", dt, name, [m], m.sum(axis=0))
            save("transpose", "naive", dt, name, [m], m.T.copy())
            save("transpose", "tiled", dt, name, [m], m.T.copy())
            save("ravel", "view", dt, name, [m], m.ravel())
            save("ravel", "copy", dt, name, [m], m.flatten())

    for dt in FLOATS:
        f = np.finfo(dt)
        lo, hi = (-110.0, 95.0) if dt == "float32" else (-750.0, 712.0)
        for name, a in vectors(dt):
            save("sqrt", "default", dt, name, [a], np.sqrt(a))
            save("exp", "default", dt, name, [a], np.exp(a))
        sweep = np.concatenate([np.linspace(lo, hi, 4001), rng.uniform(-5, 5, 999)]).astype(dt)
        save("exp", "default", dt, "sweep", [sweep], np.exp(sweep))
        tiny = np.array([f.smallest_subnormal, f.tiny, 2.0, 0.25, 1e-3, 1e20], dtype=dt)
        save("sqrt", "default", dt, "sweep", [tiny], np.sqrt(tiny))
        for name, (n, k) in [("small", (5, 7)), ("square", (24, 24)), ("deep", (6, 150)), ("empty", (0, 3))]:
            a = small_ints(dt, (n, k))
            b = small_ints(dt, (k, n))
            for s in ["ijk", "ikj", "blocked"]:
                save("matmul", s, dt, name, [a, b], a @ b)
        for name, n in [("short", TAPS), ("random", 300)]:
            a = random(dt, n, scale=3.0)
            k = random(dt, TAPS, scale=1.0)
            save("convolve", "default", dt, name, [a, k], np.convolve(a, k, mode="valid"))
        e = float_edge(dt, reduction=True)
        k = np.arange(1, TAPS + 1, dtype=dt) / 8
        save("convolve", "default", dt, "edge", [e, k], np.convolve(e, k, mode="valid"))

    lines = [
        "// Generated by tests/golden/generate.py; do not edit.",
        f"pub const NUMPY_VERSION: &str = \"{np.__version__}\";",
        "pub const CASES: &[(&str, &[&[u8]], &[u8])] = &[",
    ]
    for case, n in cases:
        ins = ", ".join(
            f'include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden/data/{case}.in{i}.npy"))'
            for i in range(n)
        )
        out = f'include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/golden/data/{case}.out.npy"))'
        lines.append(f'    ("{case}", &[{ins}], {out}),')
    lines.append("];")
    (HERE / "cases.rs").write_text("\n".join(lines) + "\n")
    (HERE / "NUMPY_VERSION").write_text(np.__version__ + "\n")
    print(f"wrote {len(cases)} cases with numpy {np.__version__} to {OUT}")


if __name__ == "__main__":
    main()
