//! A customer write and its likely duplicates: what the written record is compared on
//! (its values cleaned as the write cleans them), and the refusal of the BLOCK policy.

use super::{CustomerPatch, NewCustomer};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::duplicate::{self, Profile, keys};
use crate::service::validate::{Checker, ErrorCode};
use entity::customer;
use entity::enums::CustomerKind;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

/// What a new customer would be compared on.
pub fn probe_new(new: &NewCustomer) -> Profile {
    let mut scratch = Checker::default();
    Profile {
        phone: scratch.phone("phone", new.phone.as_deref()),
        email: scratch.email("email", new.email.as_deref()),
        keys: keys(new.kind.unwrap_or(CustomerKind::Individual), &new.name, new.company_name.as_deref()),
    }
}

/// What `current` would be compared on after `patch`.
pub fn probe_change(current: &customer::Model, patch: &CustomerPatch) -> Profile {
    let mut scratch = Checker::default();
    let phone = match &patch.phone {
        Some(v) => scratch.phone("phone", v.as_deref()),
        None => current.phone.clone(),
    };
    let email = match &patch.email {
        Some(v) => scratch.email("email", v.as_deref()),
        None => current.email.clone(),
    };
    let company = match &patch.company_name {
        Some(v) => v.clone(),
        None => current.company_name.clone(),
    };
    let kind = patch.kind.unwrap_or(current.kind);
    let name = patch.name.as_deref().unwrap_or(&current.name);
    Profile { phone, email, keys: keys(kind, name, company.as_deref()) }
}

/// Under the BLOCK policy: `DUPLICATE_SUSPECTED` on `name` when a customer the viewer may
/// see looks like `probe`, naming them by code.
pub(super) async fn refuse_likely(
    db: &DatabaseConnection,
    viewer: &Viewer,
    c: &mut Checker,
    probe: &Profile,
    except: Option<Uuid>,
) -> AppResult<()> {
    let found = duplicate::matches(db, viewer, probe, except, duplicate::DEFAULT_MIN_SCORE).await?;
    if !found.is_empty() {
        let codes: Vec<&str> = found.iter().map(|m| m.customer.code.as_str()).collect();
        c.push(
            "name",
            ErrorCode::DuplicateSuspected,
            format!(
                "likely the same customer as {}; see `duplicates`, or save with duplicatePolicy WARN",
                codes.join(", ")
            ),
        );
    }
    Ok(())
}
