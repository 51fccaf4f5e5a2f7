//! Contacts: the one-primary-contact rule.

use crate::error::AppResult;
use entity::contact::{self, Column};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

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
