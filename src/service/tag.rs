//! Tagging customers: links between customers and tags.

use super::record::{Checked, customer_visible};
use super::validate::{ErrorCode, FieldError};
use super::{audit, now, permission};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use entity::{customer, customer_tag, tag};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashSet;
use uuid::Uuid;

/// Most tags one call may add or remove.
const MAX_TAGS: usize = 50;

/// Adds (`add`) or removes tags on a customer; a change bumps the customer's version.
pub async fn set_on_customer(
    db: &DatabaseConnection,
    viewer: &Viewer,
    customer_id: Uuid,
    tag_ids: &[Uuid],
    add: bool,
) -> AppResult<Checked<customer::Model>> {
    if !(permission::viewer_may_write(viewer, "Customer") || permission::viewer_may_write(viewer, "Tag")) {
        return Err(AppError::Forbidden("your role may not tag customers".into()));
    }
    let mut errors = Vec::new();
    if !customer_visible(db, viewer, customer_id).await? {
        errors.push(FieldError::new("customerId", ErrorCode::NotFound, "no such Customer"));
    }
    let wanted: HashSet<Uuid> = tag_ids.iter().copied().collect();
    if wanted.is_empty() || wanted.len() > MAX_TAGS {
        errors.push(FieldError::new("tagIds", ErrorCode::Invalid, format!("pass 1 to {MAX_TAGS} tags")));
    }
    let live = tag::Entity::find()
        .filter(tag::Column::Id.is_in(wanted.iter().copied()))
        .filter(tag::Column::DeletedAt.is_null())
        .count(db)
        .await?;
    if live as usize != wanted.len() {
        errors.push(FieldError::new("tagIds", ErrorCode::NotFound, "one or more tags do not exist"));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let ts = now();
    let txn = crate::engine::rows::begin(db).await?;
    let existing: HashSet<Uuid> = customer_tag::Entity::find()
        .filter(customer_tag::Column::CustomerId.eq(customer_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| l.tag_id)
        .collect();
    let changed = if add {
        let new: Vec<customer_tag::ActiveModel> = wanted
            .difference(&existing)
            .map(|tag_id| customer_tag::ActiveModel {
                id: Set(entity::new_id()),
                customer_id: Set(customer_id),
                tag_id: Set(*tag_id),
                created_at: Set(ts),
                updated_at: Set(ts),
            })
            .collect();
        let n = new.len();
        if n > 0 {
            customer_tag::Entity::insert_many(new).exec(&txn).await?;
        }
        n
    } else {
        let gone: Vec<Uuid> = wanted.intersection(&existing).copied().collect();
        if !gone.is_empty() {
            customer_tag::Entity::delete_many()
                .filter(customer_tag::Column::CustomerId.eq(customer_id))
                .filter(customer_tag::Column::TagId.is_in(gone.iter().copied()))
                .exec(&txn)
                .await?;
        }
        gone.len()
    };
    if changed > 0 {
        customer::Entity::update_many()
            .col_expr(customer::Column::Version, Expr::col(customer::Column::Version).add(1))
            .col_expr(customer::Column::UpdatedAt, Expr::val(ts))
            .filter(customer::Column::Id.eq(customer_id))
            .exec(&txn)
            .await?;
        audit::record(&txn, viewer, if add { "add_tags" } else { "remove_tags" }, "Customer", customer_id, &["tags"])
            .await?;
    }
    let saved = customer::Entity::find_by_id(customer_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(saved))
}
