//! Saved segments: a named customer filter that each viewer evaluates live, under their own
//! row scope. The filter is kept as the JSON of the GraphQL `CustomerFilter` it came as; its
//! meaning (building the condition) belongs to the API layer that defines that input.

use super::now;
use super::record::{Change, Checked};
use super::validate::{Checker, ErrorCode};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::set_field;
use entity::enums::Role;
use entity::segment;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

crate::writes! {
    inputs segment_inputs;
    /// A saved segment: a name and the customers it stands for.
    create NewSegment as CreateSegmentInput;
    /// Changes to a segment (its creator, admins and managers).
    update SegmentPatch as UpdateSegmentInput;
    fields {
        /// Unique among live segments.
        name: Text [create required] [update set];
        description: Text [create optional] [update clear];
        /// The customers it holds, evaluated whenever the segment is read.
        filter: Json(crate::graphql::input::customer::CustomerFilter) [create required] [update set];
    }
}

/// Longest stored filter, in bytes of JSON: a filter is a query, not a data store.
pub const MAX_FILTER_BYTES: usize = 16 * 1024;

/// The row of a new segment, or the field errors.
pub async fn prepare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewSegment,
) -> AppResult<Checked<segment::ActiveModel>> {
    let mut c = Checker::default();
    let name = c.name("name", &new.name, 100);
    if c.is_clean() && name_taken(db, &name, None).await? {
        c.push("name", ErrorCode::AlreadyExists, format!("a segment `{name}` exists"));
    }
    let row = segment::ActiveModel {
        name: Set(name),
        description: Set(c.long_text("description", new.description.as_deref(), 2000)),
        filter: Set(filter_text(&mut c, &new.filter)),
        created_by: Set(viewer.user_id),
        ..entity::record::new_row::<segment::Entity>(now())
    };
    Ok(c.finish(row))
}

/// The change `patch` makes to `current`; only its creator, admins and managers change it.
pub async fn change(
    db: &DatabaseConnection,
    viewer: &Viewer,
    current: &segment::Model,
    patch: SegmentPatch,
) -> AppResult<Change<segment::ActiveModel>> {
    require_keeper(viewer, current)?;
    let mut c = Checker::default();
    let mut row = segment::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = &patch.name {
        let name = c.name("name", v, 100);
        if c.is_clean() && name_taken(db, &name, Some(current.id)).await? {
            c.push("name", ErrorCode::AlreadyExists, format!("a segment `{name}` exists"));
        }
        set_field!(row, fields, name, "name", name);
    }
    if let Some(v) = patch.description {
        set_field!(row, fields, description, "description", c.long_text("description", v.as_deref(), 2000));
    }
    if let Some(v) = &patch.filter {
        set_field!(row, fields, filter, "filter", filter_text(&mut c, v));
    }
    Ok(c.finish((row, fields)))
}

/// `FORBIDDEN` unless the viewer saved `segment` or is an admin or a manager: segments are
/// shared, so a rep must not rewrite a colleague's list under them.
pub fn require_keeper(viewer: &Viewer, segment: &segment::Model) -> AppResult<()> {
    if segment.created_by == viewer.user_id || matches!(viewer.role, Role::Admin | Role::Manager) {
        Ok(())
    } else {
        Err(AppError::Forbidden("only its creator, admins and managers may change a segment".into()))
    }
}

/// The filter as stored text: a JSON object of at most [`MAX_FILTER_BYTES`].
fn filter_text(c: &mut Checker, filter: &serde_json::Value) -> String {
    let text = filter.to_string();
    if !filter.is_object() {
        c.push("filter", ErrorCode::Invalid, "filter must be an object");
    } else if text.len() > MAX_FILTER_BYTES {
        c.push("filter", ErrorCode::TooLong, format!("filter is longer than {MAX_FILTER_BYTES} bytes"));
    }
    text
}

/// The stored filter of `segment` as JSON; `INTERNAL` if the text is not JSON (only a
/// hand-edited row can be).
pub fn filter(segment: &segment::Model) -> AppResult<serde_json::Value> {
    serde_json::from_str(&segment.filter)
        .map_err(|e| AppError::Internal(format!("segment {} holds a filter that is not JSON: {e}", segment.id)))
}

async fn name_taken(db: &DatabaseConnection, name: &str, except: Option<Uuid>) -> AppResult<bool> {
    let mut q =
        segment::Entity::find().filter(segment::Column::Name.eq(name)).filter(segment::Column::DeletedAt.is_null());
    if let Some(id) = except {
        q = q.filter(segment::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}
