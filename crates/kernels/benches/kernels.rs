//! Native benchmarks of the kernel ladder (`cargo bench -p lanes-kernels`).
//!
//! Inputs are made outside the timed region and checked against the
//! reference before anything is timed. The ratios the foundation issue asks
//! for are simd/scalar at 1e5 elements (in cache): f32 sum, i16 sum, i8 sum,
//! f32 exp.

use divan::{Bencher, black_box};
use lanes_kernels::{DType, Data, Element, Op, Params, Problem, Shape, Strategy, Tagged, Variant};
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
fn input<T: Element + Tagged>(n: usize, seed: u64) -> Vec<T> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            T::from_f64(if T::DTYPE.is_float() {
                20.0 * u - 10.0
            } else {
                (u * 200.0).floor() - 100.0
            })
        })
        .collect()
}

/// Runs one rung through the dispatcher once and compares with the
/// reference: a benchmark that times a wrong kernel is worse than none.
fn verify(op: Op, dtype: DType, variant: Variant, inputs: &[Data]) {
    let p = Problem::new(op, Strategy::Default, dtype, Shape::Vector(N)).unwrap();
    let slices: Vec<_> = inputs.iter().map(Data::as_slice).collect();
    reference::check_variant(&p, variant, 2, &slices, &Params::default())
        .unwrap_or_else(|e| panic!("{op:?} {dtype} {variant:?}: {e}"));
}

#[divan::bench(types = [i8, i16, i32, i64, f32, f64], args = RUNGS)]
fn sum<T: Element + Tagged>(b: Bencher, v: Variant)
where
    T::Sum: Tagged,
{
    let a = input::<T>(N, 1);
    verify(Op::Sum, T::DTYPE, v, &[T::wrap_vec(a.clone())]);
    b.bench_local(|| match v {
        Variant::Scalar => black_box(lanes_kernels::scalar::sum(black_box(&a))),
        Variant::Auto => black_box(lanes_kernels::auto::sum(black_box(&a))),
        Variant::Simd => black_box(lanes_kernels::simd::sum(black_box(&a))),
        Variant::SimdThreads => black_box(lanes_kernels::par::sum(2, black_box(&a))),
    });
}

#[divan::bench(types = [f32, f64], args = RUNGS)]
fn exp<T: lanes_kernels::Float + Tagged>(b: Bencher, v: Variant) {
    let a = input::<T>(N, 2);
    verify(Op::Exp, T::DTYPE, v, &[T::wrap_vec(a.clone())]);
    let mut out = vec![T::ZERO; N];
    b.bench_local(|| match v {
        Variant::Scalar => lanes_kernels::scalar::exp(black_box(&a), &mut out),
        Variant::Auto => lanes_kernels::auto::exp(black_box(&a), &mut out),
        Variant::Simd => lanes_kernels::simd::exp(black_box(&a), &mut out),
        Variant::SimdThreads => lanes_kernels::par::exp(2, black_box(&a), &mut out),
    });
}

#[divan::bench(types = [i8, f32], args = RUNGS)]
fn add<T: Element + Tagged>(b: Bencher, v: Variant) {
    let (x, y) = (input::<T>(N, 3), input::<T>(N, 4));
    verify(
        Op::Add,
        T::DTYPE,
        v,
        &[T::wrap_vec(x.clone()), T::wrap_vec(y.clone())],
    );
    let mut out = vec![T::ZERO; N];
    b.bench_local(|| match v {
        Variant::Scalar => lanes_kernels::scalar::add(black_box(&x), &y, &mut out),
        Variant::Auto => lanes_kernels::auto::add(black_box(&x), &y, &mut out),
        Variant::Simd => lanes_kernels::simd::add(black_box(&x), &y, &mut out),
        Variant::SimdThreads => lanes_kernels::par::add(2, black_box(&x), &y, &mut out),
    });
}

#[divan::bench(types = [i8, f32], args = RUNGS)]
fn max<T: Element + Tagged>(b: Bencher, v: Variant) {
    let a = input::<T>(N, 5);
    verify(Op::Max, T::DTYPE, v, &[T::wrap_vec(a.clone())]);
    b.bench_local(|| match v {
        Variant::Scalar => black_box(lanes_kernels::scalar::max(black_box(&a))),
        Variant::Auto => black_box(lanes_kernels::auto::max(black_box(&a))),
        Variant::Simd => black_box(lanes_kernels::simd::max(black_box(&a))),
        Variant::SimdThreads => black_box(lanes_kernels::par::max(2, black_box(&a))),
    });
}

#[divan::bench(types = [f32], args = RUNGS)]
fn dot<T: Element + Tagged>(b: Bencher, v: Variant) {
    let (x, y) = (input::<T>(N, 6), input::<T>(N, 7));
    verify(
        Op::Dot,
        T::DTYPE,
        v,
        &[T::wrap_vec(x.clone()), T::wrap_vec(y.clone())],
    );
    b.bench_local(|| match v {
        Variant::Scalar => black_box(lanes_kernels::scalar::dot(black_box(&x), &y)),
        Variant::Auto => black_box(lanes_kernels::auto::dot(black_box(&x), &y)),
        Variant::Simd => black_box(lanes_kernels::simd::dot(black_box(&x), &y)),
        Variant::SimdThreads => black_box(lanes_kernels::par::dot(2, black_box(&x), &y)),
    });
}

/// 256 x 256 f32 matmul by strategy (naive, loop-reordered, blocked SIMD).
#[divan::bench(args = ["ijk/scalar", "ikj/scalar", "ikj/auto", "ikj/simd", "blocked/simd", "blocked/simd-threads"])]
fn matmul_256(b: Bencher, which: &str) {
    let n = 256;
    let (x, y) = (input::<f32>(n * n, 8), input::<f32>(n * n, 9));
    let mut out = vec![0.0f32; n * n];
    b.bench_local(|| match which {
        "ijk/scalar" => lanes_kernels::scalar::matmul_ijk(black_box(&x), &y, n, &mut out),
        "ikj/scalar" => lanes_kernels::scalar::matmul_ikj(black_box(&x), &y, n, &mut out),
        "ikj/auto" => lanes_kernels::auto::matmul_ikj(black_box(&x), &y, n, &mut out),
        "ikj/simd" => lanes_kernels::simd::matmul_ikj(black_box(&x), &y, n, &mut out),
        "blocked/simd" => lanes_kernels::simd::matmul_blocked(black_box(&x), &y, n, &mut out),
        _ => lanes_kernels::par::matmul_blocked(2, black_box(&x), &y, n, &mut out),
    });
}
