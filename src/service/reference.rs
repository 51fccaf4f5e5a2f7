//! Checks of the records a write names besides its own: that they belong to the same
//! customer, and who may give a record to someone else.

use super::validate::{Checker, ErrorCode};
use crate::auth::Viewer;
use entity::enums::Role;
use uuid::Uuid;

/// Checks that a referenced contact, deal or ticket (`owner`: its customer) belongs to
/// `customer`.
pub fn same_customer(c: &mut Checker, field: &str, customer: Uuid, owner: Option<Uuid>) {
    if owner.is_some_and(|o| o != customer) {
        c.push(field, ErrorCode::Invalid, format!("{field} belongs to another customer"));
    }
}

/// Only admins, managers and service staff give records to other users.
pub fn check_assignee(c: &mut Checker, viewer: &Viewer, field: &str, user: Option<Uuid>) {
    if user.is_some_and(|u| u != viewer.user_id) && !matches!(viewer.role, Role::Admin | Role::Manager | Role::Service)
    {
        c.push(field, ErrorCode::Forbidden, "only admins, managers and service staff assign records to others");
    }
}
