//! Inputs of interaction, purchase, deal, ticket and feedback queries and mutations.

pub(crate) use super::opt_id;

mod deal;
mod feedback;
mod interaction;
mod purchase;
mod ticket;

pub use deal::*;
pub use feedback::*;
pub use interaction::*;
pub use purchase::*;
pub use ticket::*;
