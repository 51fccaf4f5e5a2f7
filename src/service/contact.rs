//! Contacts: adding one to a customer, changing it, and the one-primary-contact rule.

use super::now;
use super::record::{Change, Checked, check_ref};
use super::validate::Checker;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::custom_field;
use crate::set_field;
use entity::contact::{self, Column};
use entity::enums::CustomRecordType;
use sea_orm::ActiveValue::Set;
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

/// When `saved` is its customer's primary contact, the previous primary is demoted in the
/// same transaction (one primary per customer).
pub async fn demote_other_primaries(txn: &DatabaseTransaction, saved: &contact::Model) -> AppResult<()> {
    if !saved.is_primary {
        return Ok(());
    }
    contact::Entity::update_many()
        .col_expr(Column::IsPrimary, Expr::val(false))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::val(super::now()))
        .filter(Column::CustomerId.eq(saved.customer_id))
        .filter(Column::IsPrimary.eq(true))
        .filter(Column::Id.ne(saved.id))
        .exec(txn)
        .await?;
    Ok(())
}

crate::writes! {
    inputs contact_inputs;
    /// A contact person to add to a customer.
    create NewContact as CreateContactInput;
    /// Changes to a contact. Fields left out stay; an explicit `null` clears.
    update ContactPatch as UpdateContactInput;
    fields {
        customer_id: Id(Customer) [create required "The customer's global ID."];
        name: Text [create required] [update set];
        title: Text [create optional] [update clear];
        decision_role: Enum(DecisionRole) [create optional] [update clear];
        phone: Text [create optional] [update clear];
        email: Text [create optional] [update clear];
        is_primary: Bool [create default "Makes this the customer's main contact (the previous one is demoted)."]
            [update set];
        notes: Text [create optional] [update clear];
        /// Values of custom fields (`customFieldDefinitions`); on update, the given keys
        /// change (`null` clears), the rest stay.
        custom_fields: Each(crate::graphql::types::custom_field::CustomFieldValueInput, crate::service::custom_field::values::FieldValue)
            [create default] [update set];
    }
}

/// The row of a new contact, or the field errors.
pub async fn prepare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewContact,
) -> AppResult<Checked<contact::ActiveModel>> {
    let mut c = Checker::default();
    let customer_id = new.customer_id.or(Some(Uuid::nil()));
    let customer = check_ref::<entity::customer::Entity>(db, viewer, &mut c, "customerId", customer_id).await?;
    let custom = custom_field::for_new(db, &mut c, CustomRecordType::Contact, &new.custom_fields).await?;
    let row = contact::ActiveModel {
        custom_fields: Set(custom),
        customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
        name: Set(c.name("name", &new.name, 200)),
        title: Set(c.text("title", new.title.as_deref(), 200)),
        decision_role: Set(new.decision_role),
        phone: Set(c.phone("phone", new.phone.as_deref())),
        email: Set(c.email("email", new.email.as_deref())),
        is_primary: Set(new.is_primary),
        notes: Set(c.long_text("notes", new.notes.as_deref(), 10_000)),
        ..entity::record::new_row::<contact::Entity>(now())
    };
    Ok(c.finish(row))
}

/// The change `patch` makes to a contact.
pub async fn change(
    db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &contact::Model,
    patch: ContactPatch,
) -> AppResult<Change<contact::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = contact::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = &patch.name {
        set_field!(row, fields, name, "name", c.name("name", v, 200));
    }
    if let Some(v) = patch.title {
        set_field!(row, fields, title, "title", c.text("title", v.as_deref(), 200));
    }
    if let Some(v) = patch.decision_role {
        set_field!(row, fields, decision_role, "decisionRole", v);
    }
    if let Some(v) = patch.phone {
        set_field!(row, fields, phone, "phone", c.phone("phone", v.as_deref()));
    }
    if let Some(v) = patch.email {
        set_field!(row, fields, email, "email", c.email("email", v.as_deref()));
    }
    if let Some(v) = patch.is_primary {
        set_field!(row, fields, is_primary, "isPrimary", v);
    }
    if let Some(v) = patch.notes {
        set_field!(row, fields, notes, "notes", c.long_text("notes", v.as_deref(), 10_000));
    }
    if let Some(given) = &patch.custom_fields {
        let v = custom_field::for_change(db, &mut c, CustomRecordType::Contact, &current.custom_fields, given).await?;
        set_field!(row, fields, custom_fields, "customFields", v);
    }
    Ok(c.finish((row, fields)))
}
