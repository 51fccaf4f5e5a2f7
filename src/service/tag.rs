//! Tags (names unique per dimension) and tagging customers: links between customers and
//! tags.

use super::record::{Change, Checked, customer_visible};
use super::validate::{Checker, ErrorCode, FieldError};
use super::{audit, now, permission};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::set_field;
use entity::{customer, customer_tag, tag};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
};
use std::collections::HashSet;
use uuid::Uuid;

crate::writes! {
    inputs tag_inputs;
    /// A classification tag.
    create NewTag as CreateTagInput;
    /// Changes to a tag.
    update TagPatch as UpdateTagInput;
    fields {
        name: Text [create required] [update set];
        dimension: Text [create required "e.g. `value`, `lifecycle`, `industry`, `needs`, `behaviour`."];
        color: Text [create optional "`#rrggbb`."] [update clear];
    }
}

/// The row of a new tag (its dimension in lower case), or the field errors.
pub async fn prepare(db: &DatabaseConnection, _viewer: &Viewer, new: NewTag) -> AppResult<Checked<tag::ActiveModel>> {
    let mut c = Checker::default();
    let name = c.name("name", &new.name, 100);
    let dimension = c.name("dimension", &new.dimension, 64).to_lowercase();
    if c.is_clean() && tag_exists(db, &dimension, &name, None).await? {
        c.push("name", ErrorCode::AlreadyExists, format!("a tag `{name}` exists in `{dimension}`"));
    }
    let row = tag::ActiveModel {
        name: Set(name),
        dimension: Set(dimension),
        color: Set(c.color("color", new.color.as_deref())),
        ..entity::record::new_row::<tag::Entity>(now())
    };
    Ok(c.finish(row))
}

/// The change `patch` makes to `current`.
pub async fn change(
    db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &tag::Model,
    patch: TagPatch,
) -> AppResult<Change<tag::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = tag::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = &patch.name {
        let name = c.name("name", v, 100);
        if c.is_clean() && tag_exists(db, &current.dimension, &name, Some(current.id)).await? {
            c.push("name", ErrorCode::AlreadyExists, format!("a tag `{name}` exists in `{}`", current.dimension));
        }
        set_field!(row, fields, name, "name", name);
    }
    if let Some(v) = patch.color {
        set_field!(row, fields, color, "color", c.color("color", v.as_deref()));
    }
    Ok(c.finish((row, fields)))
}

async fn tag_exists(db: &DatabaseConnection, dimension: &str, name: &str, except: Option<Uuid>) -> AppResult<bool> {
    let mut q = tag::Entity::find().filter(tag::Column::Dimension.eq(dimension)).filter(tag::Column::Name.eq(name));
    if let Some(id) = except {
        q = q.filter(tag::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

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
    let wanted: HashSet<Uuid> = tag_ids.iter().copied().collect();
    let errors = check_tagging(db, viewer, customer_id, &wanted).await?;
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let ts = now();
    let txn = crate::engine::rows::begin(db).await?;
    let changed = relink(&txn, customer_id, &wanted, add, ts).await?;
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

/// The field errors of tagging `customer_id` with `wanted`: the customer must be one the
/// viewer sees, and the tags 1 to [`MAX_TAGS`] live ones.
async fn check_tagging(
    db: &DatabaseConnection,
    viewer: &Viewer,
    customer_id: Uuid,
    wanted: &HashSet<Uuid>,
) -> AppResult<Vec<FieldError>> {
    let mut errors = Vec::new();
    if !customer_visible(db, viewer, customer_id).await? {
        errors.push(FieldError::new("customerId", ErrorCode::NotFound, "no such Customer"));
    }
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
    Ok(errors)
}

/// Adds the links of `wanted` the customer lacks, or removes those it has; answers how
/// many changed.
async fn relink(
    txn: &DatabaseTransaction,
    customer_id: Uuid,
    wanted: &HashSet<Uuid>,
    add: bool,
    ts: chrono::DateTime<chrono::Utc>,
) -> AppResult<usize> {
    let existing: HashSet<Uuid> = customer_tag::Entity::find()
        .filter(customer_tag::Column::CustomerId.eq(customer_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.tag_id)
        .collect();
    Ok(if add {
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
            customer_tag::Entity::insert_many(new).exec(txn).await?;
        }
        n
    } else {
        let gone: Vec<Uuid> = wanted.intersection(&existing).copied().collect();
        if !gone.is_empty() {
            customer_tag::Entity::delete_many()
                .filter(customer_tag::Column::CustomerId.eq(customer_id))
                .filter(customer_tag::Column::TagId.is_in(gone.iter().copied()))
                .exec(txn)
                .await?;
        }
        gone.len()
    })
}
