//! Inputs of contact queries and mutations.

use super::customer::CustomerFilter;
use super::filter::{BooleanFilter, DateTimeFilter, IdFilter, StringFilter};
use super::patch;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::relay::expect_id;
use crate::graphql::types::enums::DecisionRole;
use crate::service::now;
use crate::service::record::{Change, Checked, check_ref};
use crate::service::validate::Checker;
use crate::{enum_filter, lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::contact::{ActiveModel, Column, Model};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

enum_filter!(DecisionRoleFilter, DecisionRole, entity::enums::DecisionRole);

record_filter! {
    /// Conditions on contacts.
    ContactFilter for contact as "Contact" {
        id: IdFilter => Id("Contact"),
        customer_id: IdFilter => CustomerId("Customer"),
        name: StringFilter => Name,
        title: StringFilter => Title,
        decision_role: DecisionRoleFilter => DecisionRole,
        phone: StringFilter => Phone,
        email: StringFilter => Email,
        is_primary: BooleanFilter => IsPrimary,
        created_at: DateTimeFilter => CreatedAt,
        updated_at: DateTimeFilter => UpdatedAt,
    }
    related {
        customer: CustomerFilter => (Column::CustomerId, entity::customer::Entity, entity::customer::Column::Id),
    }
}

record_order!(ContactOrder, ContactOrderField for contact as "Contact", default CreatedAt Asc {
    CreatedAt => CreatedAt,
    UpdatedAt => UpdatedAt,
    Name => Name,
});

lifecycle_inputs!(DeleteContactInput, RestoreContactInput);

/// A contact person to add to a customer.
#[derive(InputObject, Debug, Clone)]
pub struct CreateContactInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    /// The customer's global ID.
    pub customer_id: ID,
    pub name: String,
    pub title: Option<String>,
    pub decision_role: Option<DecisionRole>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Makes this the customer's main contact (the previous one is demoted).
    #[graphql(default)]
    pub is_primary: bool,
    pub notes: Option<String>,
}

impl CreateContactInput {
    /// The row to insert, or the field errors.
    pub async fn into_row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<ActiveModel>> {
        let mut c = Checker::default();
        let customer = expect_id(&self.customer_id, "Customer").ok();
        let customer = check_ref::<entity::customer::Entity>(
            db,
            viewer,
            &mut c,
            "customerId",
            customer.or(Some(uuid::Uuid::nil())),
        )
        .await?;
        let ts = now();
        let row = ActiveModel {
            customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
            name: Set(c.name("name", &self.name, 200)),
            title: Set(c.text("title", self.title.as_deref(), 200)),
            decision_role: Set(self.decision_role.map(Into::into)),
            phone: Set(c.phone("phone", self.phone.as_deref())),
            email: Set(c.email("email", self.email.as_deref())),
            is_primary: Set(self.is_primary),
            notes: Set(c.long_text("notes", self.notes.as_deref(), 10_000)),
            ..entity::record::new_row::<entity::contact::Entity>(ts)
        };
        Ok(c.finish(row))
    }
}

/// Changes to a contact. Fields left out stay; an explicit `null` clears.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateContactInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    /// The `version` the change was made against; another version is `STALE_VERSION`.
    pub expected_version: i32,
    pub name: Option<String>,
    pub title: MaybeUndefined<String>,
    pub decision_role: MaybeUndefined<DecisionRole>,
    pub phone: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub is_primary: Option<bool>,
    pub notes: MaybeUndefined<String>,
}

impl UpdateContactInput {
    /// The change to write.
    pub fn change(self, _current: &Model) -> Change<ActiveModel> {
        let mut c = Checker::default();
        let mut row = ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.name {
            set_field!(row, fields, name, "name", c.name("name", v, 200));
        }
        if let Some(v) = patch(self.title, |v| v) {
            set_field!(row, fields, title, "title", c.text("title", v.as_deref(), 200));
        }
        if let Some(v) = patch(self.decision_role, entity::enums::DecisionRole::from) {
            set_field!(row, fields, decision_role, "decisionRole", v);
        }
        if let Some(v) = patch(self.phone, |v| v) {
            set_field!(row, fields, phone, "phone", c.phone("phone", v.as_deref()));
        }
        if let Some(v) = patch(self.email, |v| v) {
            set_field!(row, fields, email, "email", c.email("email", v.as_deref()));
        }
        if let Some(v) = self.is_primary {
            set_field!(row, fields, is_primary, "isPrimary", v);
        }
        if let Some(v) = patch(self.notes, |v| v) {
            set_field!(row, fields, notes, "notes", c.long_text("notes", v.as_deref(), 10_000));
        }
        c.finish((row, fields))
    }
}
