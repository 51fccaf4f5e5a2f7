//! Inputs of tags and tagging.

use crate::error::AppResult;
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::input::patch;
use crate::service::now;
use crate::service::record::{Change, Checked};
use crate::service::validate::{Checker, ErrorCode};
use crate::{lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::tag;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

record_filter! {
    /// Conditions on tags.
    TagFilter for tag as "Tag" {
        id: IdFilter => Id("Tag"),
        name: StringFilter => Name,
        dimension: StringFilter => Dimension,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {}
}

record_order!(TagOrder, TagOrderField for tag as "Tag", default Name Asc {
    Name => Name,
    Dimension => Dimension,
    CreatedAt => CreatedAt,
});

lifecycle_inputs!(DeleteTagInput, RestoreTagInput);

async fn tag_exists(db: &DatabaseConnection, dimension: &str, name: &str, except: Option<Uuid>) -> AppResult<bool> {
    let mut q = tag::Entity::find().filter(tag::Column::Dimension.eq(dimension)).filter(tag::Column::Name.eq(name));
    if let Some(id) = except {
        q = q.filter(tag::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

/// A classification tag.
#[derive(InputObject, Debug, Clone)]
pub struct CreateTagInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub name: String,
    /// e.g. `value`, `lifecycle`, `industry`, `needs`, `behaviour`.
    pub dimension: String,
    /// `#rrggbb`.
    pub color: Option<String>,
}

impl CreateTagInput {
    /// The row to insert; names are unique per dimension.
    pub async fn into_row(self, db: &DatabaseConnection) -> AppResult<Checked<tag::ActiveModel>> {
        let mut c = Checker::default();
        let name = c.name("name", &self.name, 100);
        let dimension = c.name("dimension", &self.dimension, 64).to_lowercase();
        if c.is_clean() && tag_exists(db, &dimension, &name, None).await? {
            c.push("name", ErrorCode::AlreadyExists, format!("a tag `{name}` exists in `{dimension}`"));
        }
        let ts = now();
        let row = tag::ActiveModel {
            name: Set(name),
            dimension: Set(dimension),
            color: Set(c.color("color", self.color.as_deref())),
            ..entity::record::new_row::<entity::tag::Entity>(ts)
        };
        Ok(c.finish(row))
    }
}

/// Changes to a tag.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateTagInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    pub color: MaybeUndefined<String>,
}

impl UpdateTagInput {
    /// The change to write.
    pub async fn change(self, db: &DatabaseConnection, current: &tag::Model) -> AppResult<Change<tag::ActiveModel>> {
        let mut c = Checker::default();
        let mut row = tag::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.name {
            let name = c.name("name", v, 100);
            if c.is_clean() && tag_exists(db, &current.dimension, &name, Some(current.id)).await? {
                c.push("name", ErrorCode::AlreadyExists, format!("a tag `{name}` exists in `{}`", current.dimension));
            }
            set_field!(row, fields, name, "name", name);
        }
        if let Some(v) = patch(self.color, |v| v) {
            set_field!(row, fields, color, "color", c.color("color", v.as_deref()));
        }
        Ok(c.finish((row, fields)))
    }
}

/// Tags to put on or take off a customer.
#[derive(InputObject, Debug, Clone)]
pub struct CustomerTagsInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub tag_ids: Vec<ID>,
}
