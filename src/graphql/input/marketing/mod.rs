//! Inputs of campaign, participation, survey, survey response and tag queries and mutations.

pub(crate) use super::opt_id;

mod campaign;
mod survey;
mod tag;

pub use campaign::*;
pub use survey::*;
pub use tag::*;
