//! The catalogue's vocabulary: the rungs, the strategies, and the row of
//! named fields each op describes itself with (in its own file under
//! [`crate::ops`]). Every layer reads the rows: the problem's arrays and
//! cost, the rungs offered, the app's menus, and (through [`json`]) the
//! JavaScript, Python and NumPy sides.

use crate::array::Shape;
use crate::dtype::DType;
use crate::error::Error;
use crate::ops::Op;

/// Taps of the `convolve` kernel in the catalogue's experiments.
pub const CONV_TAPS: usize = 15;

/// A rung of the Rust/wasm ladder (the JavaScript rungs live in the worker).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variant {
    /// A plain loop with SIMD off for it: one element at a time.
    Scalar,
    /// The same loop with SIMD128 on: what the compiler vectorizes itself.
    Auto,
    /// Hand-written 128-bit SIMD.
    Simd,
    /// `Simd` split across a rayon pool.
    SimdThreads,
}

impl Variant {
    pub const ALL: [Variant; 4] = [
        Variant::Scalar,
        Variant::Auto,
        Variant::Simd,
        Variant::SimdThreads,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Variant::Scalar => "scalar",
            Variant::Auto => "auto",
            Variant::Simd => "simd",
            Variant::SimdThreads => "simd-threads",
        }
    }
}

impl core::fmt::Display for Variant {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// Finds the item of `all` named `s`, or says which names there are.
pub(crate) fn parse<T: Copy>(
    what: &'static str,
    s: &str,
    all: impl IntoIterator<Item = T> + Clone,
    name: impl Fn(T) -> &'static str,
) -> Result<T, Error> {
    all.clone()
        .into_iter()
        .find(|&x| name(x) == s)
        .ok_or_else(|| Error::Parse {
            what,
            value: s.to_owned(),
            expected: format!(
                "one of {}",
                all.into_iter().map(name).collect::<Vec<_>>().join(", ")
            ),
        })
}

impl core::str::FromStr for Variant {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        parse("variant", s, Variant::ALL, Variant::name)
    }
}

/// How an op is computed, where the catalogue compares strategies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strategy {
    /// The op's only strategy.
    Default,
    /// `m + v`: `v` broadcast over the rows, nothing materialized.
    Broadcast,
    /// `m + np.tile(v, (rows, 1))`: the full-size tile is built first.
    Tile,
    /// Matmul, textbook i-j-k loops.
    Ijk,
    /// Matmul, loops reordered i-k-j (contiguous inner loop).
    Ikj,
    /// Matmul, cache blocks and a register tile.
    Blocked,
    /// `m.sum(axis=1)`: along contiguous rows.
    Rows,
    /// `m.sum(axis=0)`: down strided columns.
    Columns,
    /// Transpose copy, row by row.
    Naive,
    /// Transpose copy, tile by tile.
    Tiled,
    /// `m.ravel()`: a view, nothing copied.
    View,
    /// `m.flatten()`: always a copy.
    Copy,
}

impl Strategy {
    pub const ALL: [Strategy; 12] = [
        Strategy::Default,
        Strategy::Broadcast,
        Strategy::Tile,
        Strategy::Ijk,
        Strategy::Ikj,
        Strategy::Blocked,
        Strategy::Rows,
        Strategy::Columns,
        Strategy::Naive,
        Strategy::Tiled,
        Strategy::View,
        Strategy::Copy,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Strategy::Default => "default",
            Strategy::Broadcast => "broadcast",
            Strategy::Tile => "tile",
            Strategy::Ijk => "ijk",
            Strategy::Ikj => "ikj",
            Strategy::Blocked => "blocked",
            Strategy::Rows => "rows",
            Strategy::Columns => "columns",
            Strategy::Naive => "naive",
            Strategy::Tiled => "tiled",
            Strategy::View => "view",
            Strategy::Copy => "copy",
        }
    }
}

impl core::str::FromStr for Strategy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        parse("strategy", s, Strategy::ALL, Strategy::name)
    }
}

/// The unit a result's throughput is best read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Bytes moved per second: memory-bound ops.
    Bytes,
    /// Elements per second: math functions and sorts.
    Elements,
    /// Floating-point operations per second: dot, matmul, convolve.
    Flops,
}

impl Unit {
    pub const fn name(self) -> &'static str {
        match self {
            Unit::Bytes => "bytes",
            Unit::Elements => "elements",
            Unit::Flops => "flops",
        }
    }
}

/// The shape of an input, from the problem's shape `(r, c)` (`(n, 1)` for a
/// vector).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InShape {
    /// The problem's shape.
    Same,
    /// One row: `(c,)`.
    Row,
    /// The convolution kernel: `(CONV_TAPS,)`.
    Taps,
    /// The other factor of a matmul: `(c, r)`.
    Transposed,
}

/// An input array of an op.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Input {
    pub name: &'static str,
    pub shape: InShape,
}

/// The shape of the output, from the problem's shape `(r, c)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutShape {
    /// The problem's shape.
    Same,
    /// One number (a 0-d result, held as `(1,)`).
    Scalar,
    /// `a @ b` of `(r, c) @ (c, r)`: `(r, r)`.
    Square,
    /// `mode="valid"` convolution: `(n - CONV_TAPS + 1,)`.
    Valid,
    /// One number per row: `(r,)`.
    PerRow,
    /// One number per column: `(c,)`.
    PerColumn,
    /// `(c, r)`.
    Transposed,
    /// All elements in one row: `(r * c,)`.
    Flat,
    /// A view of the first input: nothing is written (`(0,)`).
    View,
}

/// The output's dtype, from the input's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutDType {
    Same,
    /// `np.sum`'s: integers accumulate in 64 bits.
    Sum,
    /// `np.mean`'s: float64 for integers.
    Mean,
}

impl OutDType {
    pub const fn of(self, dtype: DType) -> DType {
        match self {
            OutDType::Same => dtype,
            OutDType::Sum => dtype.sum_dtype(),
            OutDType::Mean => dtype.mean_dtype(),
        }
    }
}

/// Arithmetic per run, from the problem's `n` elements.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Flops {
    /// `k` operations per element.
    PerElement(f64),
    /// `k` operations per output element (the output is what the op is about).
    PerOutput(f64),
    /// `2 r c r` for `(r, c) @ (c, r)`.
    Matmul,
    /// `n log2 n` comparisons.
    NLogN,
}

/// Which rungs a form offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rungs {
    /// The whole ladder.
    All,
    /// `scalar` and `auto` only.
    Serial,
    /// `simd` and `simd-threads` only.
    Simd,
    /// `scalar` only.
    Scalar,
}

impl Rungs {
    pub const fn has(self, v: Variant) -> bool {
        match self {
            Rungs::All => true,
            Rungs::Serial => matches!(v, Variant::Scalar | Variant::Auto),
            Rungs::Simd => matches!(v, Variant::Simd | Variant::SimdThreads),
            Rungs::Scalar => matches!(v, Variant::Scalar),
        }
    }
}

/// One strategy of an op: its NumPy form and what it produces and offers.
#[derive(Clone, Copy, Debug)]
pub struct Form {
    pub strategy: Strategy,
    /// The NumPy expression shown to the visitor.
    pub numpy: &'static str,
    /// The NumPy statement `cargo xtask bench --numpy` times: `out=` forms
    /// write into `o`, allocated once, as the kernels write into `out`.
    /// Names: the inputs, `o`, `np`, and the parameters `alpha`, `s`, `lo`,
    /// `hi` as NumPy scalars of the dtype.
    pub bench: &'static str,
    pub output: OutShape,
    pub rungs: Rungs,
    /// Dtypes that offer other rungs than `rungs`.
    pub except: &'static [(DType, Rungs)],
    /// Bytes of temporaries one run allocates, from the problem's shape and
    /// dtype (the tile of `add_row`): see [`no_temp`].
    pub temp: fn(Shape, DType) -> u64,
    /// Whether the JavaScript rungs have this form (`web/js/baselines.js`
    /// has a loop for every form that does).
    pub js: bool,
    /// The form in plain Python, for the `python` rung; `None` where no
    /// faithful pure-Python form exists (or it would take minutes).
    pub python: Option<Python>,
}

/// An op written the way the slow side of "Making NumPy Sing" writes it:
/// run by CPython in the browser (the `python` rung, `web/js/python.js`) and
/// natively by `cargo xtask bench --numpy`, as `timeit` runs a statement.
///
/// `setup` runs once, untimed, with the inputs as `array.array`s of the
/// dtype under their own names (and `rows`, `cols` for a matrix, the op's
/// parameters as Python numbers); `stmt` is timed, its names local as in
/// `timeit`. Python's integers do not overflow: an integer result is
/// wrapped to the dtype when it is read back (NumPy's wrapping, which is
/// the exact result modulo 2^bits), and a float32 one rounded to float32.
///
/// The forms are faithful on the inputs the harness draws (finite, and
/// within the row's `float_inputs`: `sqrt`'s are not negative), not on
/// NaN, where `max` and `sorted` answer by position where NumPy propagates
/// or sorts NaN last; and the rung is never offered on an empty array
/// (`max([])` raises, `zip(*[])` has no columns). The golden and edge-case
/// tests hold the kernels, not this form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Python {
    /// The lines of `setup`.
    pub setup: &'static [&'static str],
    pub stmt: &'static str,
    /// How many Python lists of one slot per element of the problem's
    /// largest array the rung holds, its result's included: what the
    /// memory estimate counts before anything is built.
    pub lists: u8,
}

/// The `setup` of a matrix op's Python form: the matrix `m` as a list of
/// its rows, each a list (the nested lists a person would have).
pub const PYTHON_ROWS: &str = "ml = [m[i * cols:(i + 1) * cols].tolist() for i in range(rows)]";

/// Bytes a Python list costs per element at most in CPython on wasm32
/// (Pyodide): a 4-byte slot and a number object (a float is 16 bytes, an
/// int 16, or 20 past 2**30, which CPython's allocator rounds up to 24;
/// small ints, -5 to 256, are shared and cost none).
pub const PYTHON_BYTES_PER_ITEM: u64 = 4 + 24;

/// The `temp` of a form that allocates nothing.
pub const fn no_temp(_: Shape, _: DType) -> u64 {
    0
}

impl Form {
    /// The usual form: one strategy, the whole ladder, nothing allocated.
    pub const fn new(strategy: Strategy, numpy: &'static str, bench: &'static str) -> Form {
        Form {
            strategy,
            numpy,
            bench,
            output: OutShape::Same,
            rungs: Rungs::All,
            except: &[],
            temp: no_temp,
            js: true,
            python: None,
        }
    }

    pub const fn output(self, output: OutShape) -> Form {
        Form { output, ..self }
    }

    pub const fn rungs(self, rungs: Rungs) -> Form {
        Form { rungs, ..self }
    }

    pub const fn except(self, except: &'static [(DType, Rungs)]) -> Form {
        Form { except, ..self }
    }

    pub const fn temp(self, temp: fn(Shape, DType) -> u64) -> Form {
        Form { temp, ..self }
    }

    /// A form nobody would write in plain JavaScript.
    pub const fn no_js(self) -> Form {
        Form { js: false, ..self }
    }

    /// The form in plain Python (see [`Python`]).
    pub const fn python(
        self,
        setup: &'static [&'static str],
        stmt: &'static str,
        lists: u8,
    ) -> Form {
        Form {
            python: Some(Python { setup, stmt, lists }),
            ..self
        }
    }

    /// The rungs this form offers for `dtype`.
    pub fn rungs_for(&self, dtype: DType) -> Rungs {
        self.except
            .iter()
            .find(|(d, _)| *d == dtype)
            .map_or(self.rungs, |&(_, r)| r)
    }
}

/// What an op is and offers: one row of the catalogue.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub name: &'static str,
    /// The chapter of "Making NumPy Sing" it belongs to (1..=5).
    pub chapter: u8,
    /// Its strategies, the first the default.
    pub forms: &'static [Form],
    pub dtypes: &'static [DType],
    /// Problems of this op are 2-D (`Shape::Matrix`).
    pub matrix: bool,
    pub inputs: &'static [Input],
    pub out_dtype: OutDType,
    pub flops: Flops,
    pub unit: Unit,
    /// The fewest elements a problem may have.
    pub min_len: usize,
    /// Where float inputs are drawn from when the op is timed: where it is
    /// interesting, and no float sum loses everything to rounding
    /// ([`INPUTS`] unless the op needs another range).
    pub float_inputs: (f64, f64),
}

/// Where inputs are drawn from: integers (rounded) for every op, floats
/// unless the op's row says otherwise.
pub const INPUTS: (f64, f64) = (-100.0, 100.0);

/// Every dtype.
pub const ALL_DTYPES: &[DType] = &DType::ALL;
/// The float dtypes.
pub const FLOATS: &[DType] = &[DType::F32, DType::F64];
/// Inputs `a` and `b` of the problem's shape.
pub const AB: &[Input] = &[
    Input {
        name: "a",
        shape: InShape::Same,
    },
    Input {
        name: "b",
        shape: InShape::Same,
    },
];
/// Input `a` of the problem's shape.
pub const A: &[Input] = &[AB[0]];
/// Input `m` of the problem's shape.
pub const M: &[Input] = &[Input {
    name: "m",
    shape: InShape::Same,
}];

impl Row {
    /// A 1-D op of `inputs` over every dtype, one operation per element,
    /// read in bytes per second: the usual row, which others adjust.
    pub const fn vector(
        name: &'static str,
        chapter: u8,
        forms: &'static [Form],
        inputs: &'static [Input],
    ) -> Row {
        Row {
            name,
            chapter,
            forms,
            dtypes: ALL_DTYPES,
            matrix: false,
            inputs,
            out_dtype: OutDType::Same,
            flops: Flops::PerElement(1.0),
            unit: Unit::Bytes,
            min_len: 0,
            float_inputs: INPUTS,
        }
    }

    pub fn strategies(&self) -> impl Iterator<Item = Strategy> + '_ {
        self.forms.iter().map(|f| f.strategy)
    }

    /// The strategy a problem gets when it names none.
    pub fn default_strategy(&self) -> Strategy {
        self.forms[0].strategy
    }

    pub fn has_strategy(&self, strategy: Strategy) -> bool {
        self.form(strategy).is_some()
    }

    pub fn form(&self, strategy: Strategy) -> Option<&Form> {
        self.forms.iter().find(|f| f.strategy == strategy)
    }

    /// Whether the op produces one number (a reduction to a 0-d array).
    pub fn is_reduction(&self) -> bool {
        self.forms.iter().all(|f| f.output == OutShape::Scalar)
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn strings<'a>(xs: impl Iterator<Item = &'a str>) -> String {
    let xs: Vec<String> = xs.map(|x| format!("\"{}\"", escape(x))).collect();
    format!("[{}]", xs.join(", "))
}

/// The catalogue as JSON, for the sides that are not Rust: per op its
/// chapter, dtypes, inputs, unit, and per strategy the NumPy forms and the
/// rungs offered for each dtype. `web/catalogue.json` is this text (a test
/// keeps it so).
pub fn json() -> String {
    let mut ops = Vec::new();
    for op in Op::ALL {
        let row = op.row();
        let forms: Vec<String> = row
            .forms
            .iter()
            .map(|f| {
                let rungs: Vec<String> = row
                    .dtypes
                    .iter()
                    .map(|&d| {
                        let r = f.rungs_for(d);
                        let names = Variant::ALL.into_iter().filter(|&v| r.has(v));
                        format!("\"{}\": {}", d.name(), strings(names.map(Variant::name)))
                    })
                    .collect();
                let python = f.python.map_or("null".to_owned(), |p| {
                    format!(
                        "{{\"setup\": {}, \"stmt\": \"{}\", \"lists\": {}}}",
                        strings(p.setup.iter().copied()),
                        escape(p.stmt),
                        p.lists
                    )
                });
                format!(
                    "      {{\"strategy\": \"{}\", \"numpy\": \"{}\", \"bench\": \"{}\", \"js\": {}, \"python\": {python}, \"rungs\": {{{}}}}}",
                    f.strategy.name(),
                    escape(f.numpy),
                    escape(f.bench),
                    f.js,
                    rungs.join(", ")
                )
            })
            .collect();
        ops.push(format!(
            "    {{\"op\": \"{}\", \"chapter\": {}, \"matrix\": {}, \"dtypes\": {}, \"inputs\": {}, \"unit\": \"{}\", \"reduction\": {}, \"forms\": [\n{}\n    ]}}",
            row.name,
            row.chapter,
            row.matrix,
            strings(row.dtypes.iter().map(|d| d.name())),
            strings(row.inputs.iter().map(|i| i.name)),
            row.unit.name(),
            row.is_reduction(),
            forms.join(",\n")
        ));
    }
    format!(
        "{{\n  \"conv_taps\": {CONV_TAPS},\n  \"ops\": [\n{}\n  ]\n}}\n",
        ops.join(",\n")
    )
}
