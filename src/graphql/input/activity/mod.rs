//! Inputs of interaction, purchase, deal, ticket and feedback queries and mutations.

use crate::auth::Viewer;
use crate::service::validate::{Checker, ErrorCode};
use entity::enums::Role;
use uuid::Uuid;

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

/// Checks that a referenced contact or deal belongs to the same customer.
pub(crate) fn same_customer(c: &mut Checker, field: &str, customer: Uuid, owner: Option<Uuid>) {
    if owner.is_some_and(|o| o != customer) {
        c.push(field, ErrorCode::Invalid, format!("{field} belongs to another customer"));
    }
}

/// Only admins and managers give records to other users.
pub(crate) fn check_assignee(c: &mut Checker, viewer: &Viewer, field: &str, user: Option<Uuid>) {
    if user.is_some_and(|u| u != viewer.user_id) && !matches!(viewer.role, Role::Admin | Role::Manager | Role::Service)
    {
        c.push(field, ErrorCode::Forbidden, "only admins, managers and service staff assign records to others");
    }
}
