//! Nested pages: a page of children for each of many parents, in one statement.

use super::{Key, Page, PageArgs, Plan, SortSpec, between_cursors, full_keys, plan, resolve, row_values, signature};
use crate::error::AppResult;
use crate::service::cursor::RowCursor;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, SimpleExpr, WindowStatement};
use sea_orm::{
    ColumnTrait, EntityTrait, ModelTrait, Order, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Value,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Nested pages: for each parent in `parent_ids`, the first (or last) `args` rows whose
/// `parent` column names it, in one statement. Returns a page per parent that has rows.
pub async fn paginate_children<E, C>(
    db: &C,
    base: Select<E>,
    parent: E::Column,
    parent_ids: &[Uuid],
    order: &SortSpec<E::Column>,
    id: E::Column,
    args: &PageArgs,
) -> AppResult<HashMap<Uuid, Page<E::Model>>>
where
    E: crate::engine::rows::Positional,
    E::Model: Send + Sync,
    C: crate::engine::rows::Reader,
{
    let plan = plan(args)?;
    let order = resolve(db, order).await?;
    let keys = full_keys::<E>(&order, id);
    let sig = signature(&keys);
    let mut select = between_cursors(base.filter(parent.is_in(parent_ids.iter().copied())), &keys, &sig, args)?;
    let rows = if parent_ids.len() == 1 {
        // One parent (a single record and its children): a plain ordered LIMIT, which the
        // planner serves from the parent's index without numbering every child row.
        for (key, asc) in &keys {
            let ascending = *asc != plan.backward;
            select = select.order_by(key.expr(), if ascending { Order::Asc } else { Order::Desc });
        }
        crate::engine::rows::all(db, select.limit(plan.limit + 1)).await?
    } else {
        let stmt = db.get_database_backend().build(&ranked::<E>(select, parent, &keys, &plan));
        crate::engine::rows::by_statement::<E, C>(db, stmt).await?
    };
    Ok(by_parent::<E>(rows, parent, &keys, sig.into(), &plan, args))
}

/// Each parent's first `plan.limit + 1` rows of `select` in `keys` order, in one
/// statement: numbered per parent (`ROW_NUMBER() OVER (PARTITION BY parent …)`).
fn ranked<E: EntityTrait>(
    select: Select<E>,
    parent: E::Column,
    keys: &[(Key<E::Column>, bool)],
    plan: &Plan,
) -> SelectStatement {
    let mut window = WindowStatement::partition_by((E::default(), parent));
    for (key, asc) in keys {
        let ascending = *asc != plan.backward;
        let ord = if ascending { Order::Asc } else { Order::Desc };
        match key.column() {
            Some(col) => window.order_by((E::default(), col), ord),
            None => window.order_by_expr(key.expr(), ord),
        };
    }
    let mut inner = select.into_query();
    inner.expr_window_as(Expr::cust("ROW_NUMBER()"), window, Alias::new("page_rank"));
    let rank: SimpleExpr = Expr::col(Alias::new("page_rank"));
    Query::select()
        .column(sea_orm::sea_query::Asterisk)
        .from_subquery(inner, Alias::new("ranked"))
        .and_where(rank.lte((plan.limit + 1) as i64))
        .order_by(Alias::new("page_rank"), Order::Asc)
        .to_owned()
}

/// The rows of several parents' pages, grouped into a page per parent.
fn by_parent<E: EntityTrait>(
    rows: Vec<E::Model>,
    parent: E::Column,
    keys: &[(Key<E::Column>, bool)],
    sig: std::sync::Arc<str>,
    plan: &Plan,
    args: &PageArgs,
) -> HashMap<Uuid, Page<E::Model>> {
    let mut grouped: HashMap<Uuid, Vec<E::Model>> = HashMap::new();
    for row in rows {
        if let Value::Uuid(Some(parent_id)) = row.get(parent) {
            grouped.entry(parent_id).or_default().push(row);
        }
    }
    grouped
        .into_iter()
        .map(|(parent_id, mut rows)| {
            let has_more = rows.len() as u64 > plan.limit;
            rows.truncate(plan.limit as usize);
            if plan.backward {
                rows.reverse();
            }
            let items =
                rows.into_iter().map(|row| (RowCursor::new(sig.clone(), row_values(&row, keys)), row)).collect();
            let page = Page {
                items,
                has_next: if plan.backward { args.before.is_some() } else { has_more },
                has_previous: if plan.backward { has_more } else { args.after.is_some() },
            };
            (parent_id, page)
        })
        .collect()
}
