//! What happens with a customer: `Interaction`, `Purchase`, `Deal`, `Ticket`, `Feedback`,
//! one declaration (`record!`) per file.

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
