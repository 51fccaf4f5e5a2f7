//! The field policy where values leave the server: each governed resolver passes its
//! value through here (see `auth::policy` for the table).

use super::context;
use crate::auth::policy::{Mask, Rule, mask, rule};
use crate::error::AppError;
use async_graphql::{Context, Result};

fn forbidden(ty: &str, field: &str) -> async_graphql::Error {
    AppError::Forbidden(format!("your role may not read {ty}.{field}")).into()
}

/// A denied nullable field: its `FORBIDDEN` error is reported at the field's path and the
/// field answers `null`. (Returning the error instead would make async-graphql leave the
/// key out of its object; the spec wants it present.)
fn denied<T>(ctx: &Context<'_>, ty: &str, field: &str) -> Result<Option<T>> {
    ctx.add_error(ctx.set_error_path(forbidden(ty, field).into_server_error(ctx.item.pos)));
    Ok(None)
}

/// Notes, for the audit of personal-data reads, that `field` of record `record` leaves
/// unmasked (`service::access_log`; the request's collector is in its data).
fn read(ctx: &Context<'_>, ty: &'static str, field: &'static str, record: Option<uuid::Uuid>) {
    if let (Some(record), Some(reads)) = (record, ctx.data_opt::<std::sync::Arc<crate::service::access_log::Reads>>()) {
        reads.note(ty, record, field);
    }
}

/// A governed text value of record `record` (`None`: not a record's, e.g. a report's): as
/// stored, masked, or `null` with `FORBIDDEN`.
pub fn text(
    ctx: &Context<'_>,
    ty: &'static str,
    field: &'static str,
    record: Option<uuid::Uuid>,
    value: Option<&str>,
) -> Result<Option<String>> {
    let viewer = context::viewer(ctx)?;
    match rule(viewer, ty, field) {
        Rule::Allow => {
            if value.is_some() {
                read(ctx, ty, field, record);
            }
            Ok(value.map(str::to_string))
        }
        Rule::Mask(strategy) => Ok(value.map(|v| mask(strategy, v))),
        Rule::Deny => denied(ctx, ty, field),
    }
}

/// A governed text value of a non-null field: as stored, masked, or `FORBIDDEN` (which
/// makes its parent `null`, as the spec wants for a non-null field).
pub fn required_text(
    ctx: &Context<'_>,
    ty: &'static str,
    field: &'static str,
    record: Option<uuid::Uuid>,
    value: &str,
) -> Result<String> {
    let viewer = context::viewer(ctx)?;
    match rule(viewer, ty, field) {
        Rule::Allow => {
            read(ctx, ty, field, record);
            Ok(value.to_string())
        }
        Rule::Mask(strategy) => Ok(mask(strategy, value)),
        Rule::Deny => Err(forbidden(ty, field)),
    }
}

/// A governed address: masked to the region.
pub fn address(
    ctx: &Context<'_>,
    ty: &'static str,
    record: Option<uuid::Uuid>,
    value: Option<&str>,
    region: Option<&str>,
) -> Result<Option<String>> {
    let viewer = context::viewer(ctx)?;
    match rule(viewer, ty, "address") {
        Rule::Allow => {
            if value.is_some() {
                read(ctx, ty, "address", record);
            }
            Ok(value.map(str::to_string))
        }
        Rule::Mask(Mask::Address) => Ok(value.map(|_| region.map_or_else(|| "****".to_string(), str::to_string))),
        Rule::Mask(strategy) => Ok(value.map(|v| mask(strategy, v))),
        Rule::Deny => denied(ctx, ty, "address"),
    }
}

/// A governed value that cannot be masked (amounts, dates): as stored, or `null` with
/// `FORBIDDEN`.
pub fn value<T>(
    ctx: &Context<'_>,
    ty: &'static str,
    field: &'static str,
    record: Option<uuid::Uuid>,
    value: Option<T>,
) -> Result<Option<T>> {
    let viewer = context::viewer(ctx)?;
    match rule(viewer, ty, field) {
        Rule::Allow => {
            if value.is_some() {
                read(ctx, ty, field, record);
            }
            Ok(value)
        }
        Rule::Mask(_) | Rule::Deny => denied(ctx, ty, field),
    }
}

/// `FORBIDDEN` unless the viewer reads `ty.field` in full: filtering, sorting and
/// searching on a masked or denied field would leak it one comparison at a time.
pub fn require_readable(viewer: &crate::auth::Viewer, ty: &str, field: &str) -> crate::error::AppResult<()> {
    if crate::auth::policy::readable(viewer, ty, field) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("your role may not filter or sort on {ty}.{field}")))
    }
}

/// `company_name` → `companyName`.
pub fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `CreatedAt` → `createdAt`.
pub fn camel_variant(variant: &str) -> String {
    let mut chars = variant.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_turn_camel() {
        assert_eq!(super::camel("company_name"), "companyName");
        assert_eq!(super::camel_variant("CreatedAt"), "createdAt");
    }
}
