//! Data sets: `seed --demo` (a realistic demo) and `seed --scale N` (deterministic bulk
//! data for benchmarks).

mod demo;
mod scale;

pub use demo::{DEMO_ADMIN, demo};
pub use scale::{SCALE_ADMIN, scale};
