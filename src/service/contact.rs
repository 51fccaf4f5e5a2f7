//! Contact people of customers: nested pages for loaders, and creation.

use super::page::{Page, PageArgs, SortSpec, paginate_children};
use super::record::Checked;
use super::validate::Checker;
use super::{audit, now};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use entity::contact::{self, Column};
use entity::enums::{DecisionRole, Role};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, QuerySelect,
    TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A contact to create; strings are raw client input.
#[derive(Debug, Default, Clone)]
pub struct NewContact {
    pub customer_id: Uuid,
    pub name: String,
    pub title: Option<String>,
    pub decision_role: Option<DecisionRole>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub is_primary: bool,
    pub notes: Option<String>,
}

/// Contacts are listed primary first, then in creation order.
pub fn default_order() -> SortSpec<Column> {
    vec![(Column::CreatedAt, Order::Asc)]
}

/// A page of live contacts for each customer in `customer_ids`, in one statement. The
/// customers were already scoped by the caller (they are the parents on screen).
pub async fn pages_for_customers(
    db: &DatabaseConnection,
    customer_ids: &[Uuid],
    args: &PageArgs,
) -> AppResult<HashMap<Uuid, Page<contact::Model>>> {
    let base = contact::Entity::find().filter(Column::DeletedAt.is_null());
    paginate_children(db, base, Column::CustomerId, customer_ids, &default_order(), Column::Id, args).await
}

/// Live contact counts per customer, in one grouped statement.
pub async fn counts_for_customers(db: &DatabaseConnection, customer_ids: &[Uuid]) -> AppResult<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = contact::Entity::find()
        .select_only()
        .column(Column::CustomerId)
        .column_as(Expr::col(Column::Id).count(), "count")
        .filter(Column::CustomerId.is_in(customer_ids.iter().copied()))
        .filter(Column::DeletedAt.is_null())
        .group_by(Column::CustomerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Adds a contact person to a customer the viewer may write.
pub async fn create(db: &DatabaseConnection, viewer: &Viewer, input: NewContact) -> AppResult<Checked<contact::Model>> {
    if !matches!(viewer.role, Role::Admin | Role::Manager | Role::Sales | Role::Service) {
        return Err(AppError::Forbidden("your role may not add contacts".into()));
    }
    let mut c = Checker::default();
    let name = c.name("name", &input.name, 200);
    let title = c.text("title", input.title.as_deref(), 200);
    let phone = c.phone("phone", input.phone.as_deref());
    let email = c.email("email", input.email.as_deref());
    let notes = c.long_text("notes", input.notes.as_deref(), 10_000);
    if !super::record::customer_visible(db, viewer, input.customer_id).await? {
        c.push("customerId", super::validate::ErrorCode::NotFound, "no such customer");
    }
    if let Err(errors) = c.finish(()) {
        return Ok(Err(errors));
    }
    let now = now();
    let txn = db.begin().await?;
    if input.is_primary {
        // One primary contact per customer: demote the previous one in the same write.
        contact::Entity::update_many()
            .col_expr(Column::IsPrimary, Expr::val(false))
            .col_expr(Column::Version, Expr::col(Column::Version).add(1))
            .col_expr(Column::UpdatedAt, Expr::val(now))
            .filter(Column::CustomerId.eq(input.customer_id))
            .filter(Column::IsPrimary.eq(true))
            .exec(&txn)
            .await?;
    }
    let model = contact::ActiveModel {
        id: Set(entity::new_id()),
        customer_id: Set(input.customer_id),
        name: Set(name),
        title: Set(title),
        decision_role: Set(input.decision_role),
        phone: Set(phone),
        email: Set(email),
        is_primary: Set(input.is_primary),
        notes: Set(notes),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, viewer, "create", "contact", model.id, &["*"]).await?;
    txn.commit().await?;
    Ok(Ok(model))
}

/// One live contact whose customer the viewer may see.
pub async fn find(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<Option<contact::Model>> {
    let Some(found) = contact::Entity::find_by_id(id).filter(Column::DeletedAt.is_null()).one(db).await? else {
        return Ok(None);
    };
    Ok(super::record::customer_visible(db, viewer, found.customer_id).await?.then_some(found))
}
