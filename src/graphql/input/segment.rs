//! Inputs of segments. A segment's filter is checked here, where `CustomerFilter` means
//! something: it must build for the caller, or the save reports it as a field error.

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::lifecycle_inputs;
use crate::service::record::{Change, Checked};
use crate::service::segment::{self, NewSegment, SegmentPatch};
use crate::service::validate::{ErrorCode, FieldError};
use sea_orm::DatabaseConnection;

pub use crate::graphql::types::segment::{SegmentFilter, SegmentOrder, SegmentOrderField};

lifecycle_inputs!(DeleteSegmentInput, RestoreSegmentInput);

crate::service::segment::segment_inputs!();

/// `createSegment`'s rows: the service's, with any problem of the filter added.
pub async fn prepare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewSegment,
) -> AppResult<Checked<entity::segment::ActiveModel>> {
    let problem = filter_problem(viewer, &new.filter)?;
    Ok(with(segment::prepare(db, viewer, new).await?, problem))
}

/// `updateSegment`'s change: the service's, with any problem of a new filter added.
pub async fn change(
    db: &DatabaseConnection,
    viewer: &Viewer,
    current: &entity::segment::Model,
    patch: SegmentPatch,
) -> AppResult<Change<entity::segment::ActiveModel>> {
    let problem = match &patch.filter {
        Some(filter) => filter_problem(viewer, filter)?,
        None => None,
    };
    Ok(with(segment::change(db, viewer, current, patch).await?, problem))
}

/// Why `filter` cannot select customers for `viewer` (a malformed id, too many values …).
fn filter_problem(viewer: &Viewer, filter: &serde_json::Value) -> AppResult<Option<FieldError>> {
    let parsed = crate::graphql::types::segment::parse(filter.clone());
    match parsed.map(|f| f.condition(viewer)) {
        Ok(Ok(_)) => Ok(None),
        Ok(Err(e @ (AppError::Internal(_) | AppError::Unavailable(_)))) => Err(e),
        Ok(Err(e)) => Ok(Some(FieldError::new("filter", ErrorCode::Invalid, e.to_string()))),
        Err(message) => Ok(Some(FieldError::new("filter", ErrorCode::Invalid, message))),
    }
}

fn with<T>(checked: Checked<T>, problem: Option<FieldError>) -> Checked<T> {
    match (checked, problem) {
        (checked, None) => checked,
        (Ok(_), Some(p)) => Err(vec![p]),
        (Err(mut errors), Some(p)) => {
            errors.push(p);
            Err(errors)
        }
    }
}
