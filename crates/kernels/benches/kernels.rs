//! Native benchmarks of the kernel ladder (`cargo bench -p lanes-kernels`).
//!
//! Every rung runs through `lanes_kernels::run`, as the worker calls it.
//! Inputs are made outside the timed region and each rung is checked
//! against the reference before anything is timed. The ratios the
//! foundation issue asks for are simd/scalar at 1e5 elements (in cache):
//! f32 sum, i16 sum, i8 sum, f32 exp.

use divan::{Bencher, black_box};
use lanes_kernels::{
    DType, Data, Element, Op, Par, Params, Problem, Shape, Strategy, Tagged, Team, Variant,
};
use lanes_reference as reference;

fn main() {
    divan::main();
}

const N: usize = 100_000;
const RUNGS: [Variant; 4] = [
    Variant::Scalar,
    Variant::Auto,
    Variant::Simd,
    Variant::SimdThreads,
];

/// Deterministic inputs: small integers, or floats in [-10, 10).
fn input(dtype: DType, n: usize, seed: u64) -> Data {
    let mut x = seed;
    Data::from_f64(
        dtype,
        (0..n).map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            if dtype.is_float() {
                20.0 * u - 10.0
            } else {
                (u * 200.0).floor() - 100.0
            }
        }),
    )
}

/// Times one rung of a problem on two threads (for simd-threads). A
/// benchmark that times a wrong kernel is worse than none: the rung is
/// compared with the reference first.
fn bench(b: Bencher, op: Op, strategy: Strategy, dtype: DType, shape: Shape, v: Variant) {
    let p = Problem::new(op, strategy, dtype, shape).unwrap();
    let params = Params::default();
    let inputs: Vec<Data> = (0..)
        .zip(p.inputs().iter())
        .map(|(seed, o)| input(dtype, o.shape.len(), seed))
        .collect();
    let slices: Vec<_> = inputs.iter().map(Data::as_slice).collect();
    let team = Team::new();
    let par = Par::on(&team, 2);
    reference::check_variant(&p, v, par, &slices, &params)
        .unwrap_or_else(|e| panic!("{op:?} {dtype} {v:?}: {e}"));
    let mut out = reference::output_for(&p);
    b.bench_local(|| {
        lanes_kernels::run(&p, v, par, black_box(&slices), &params, out.as_slice_mut())
            .expect("checked above")
    });
}

fn vector<T: Element + Tagged>(b: Bencher, op: Op, v: Variant) {
    bench(b, op, Strategy::Default, T::DTYPE, Shape::Vector(N), v);
}

#[divan::bench(types = [i8, i16, i32, i64, f32, f64], args = RUNGS)]
fn sum<T: Element + Tagged>(b: Bencher, v: Variant) {
    vector::<T>(b, Op::Sum, v);
}

#[divan::bench(types = [f32, f64], args = RUNGS)]
fn exp<T: Element + Tagged>(b: Bencher, v: Variant) {
    vector::<T>(b, Op::Exp, v);
}

#[divan::bench(types = [i8, f32], args = RUNGS)]
fn add<T: Element + Tagged>(b: Bencher, v: Variant) {
    vector::<T>(b, Op::Add, v);
}

#[divan::bench(types = [i8, f32], args = RUNGS)]
fn max<T: Element + Tagged>(b: Bencher, v: Variant) {
    vector::<T>(b, Op::Max, v);
}

#[divan::bench(types = [f32], args = RUNGS)]
fn dot<T: Element + Tagged>(b: Bencher, v: Variant) {
    vector::<T>(b, Op::Dot, v);
}

/// 256 x 256 f32 matmul by strategy (naive, loop-reordered, blocked SIMD).
#[divan::bench(args = ["ijk/scalar", "ikj/scalar", "ikj/auto", "ikj/simd", "blocked/simd", "blocked/simd-threads"])]
fn matmul_256(b: Bencher, which: &str) {
    let (strategy, variant) = which.split_once('/').unwrap();
    let strategy = strategy.parse().unwrap();
    let variant = variant.parse().unwrap();
    bench(
        b,
        Op::Matmul,
        strategy,
        DType::F32,
        Shape::Matrix(256, 256),
        variant,
    );
}
