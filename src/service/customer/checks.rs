//! The checks of a customer write that read the database: the owner named, and another
//! live customer with the same phone or email.

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::record;
use crate::service::validate::{Checker, ErrorCode};
use entity::customer::{self, Column};
use entity::enums::Role;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Resolves the owner of a new or reassigned customer: SALES always own what they
/// create and may not reassign; ADMIN and MANAGER may name any active user.
pub(super) async fn check_owner(
    db: &DatabaseConnection,
    viewer: &Viewer,
    c: &mut Checker,
    owner: Option<Uuid>,
) -> AppResult<Uuid> {
    let Some(owner) = owner else { return Ok(viewer.user_id) };
    if owner == viewer.user_id {
        return Ok(owner);
    }
    if !matches!(viewer.role, Role::Admin | Role::Manager) {
        c.push("ownerId", ErrorCode::Forbidden, "only admins and managers assign customers to others");
        return Ok(viewer.user_id);
    }
    let user = entity::user::Entity::find_by_id(owner).one(db).await?;
    match user {
        Some(u) if u.active && u.deleted_at.is_none() => Ok(owner),
        _ => {
            c.push("ownerId", ErrorCode::NotFound, "no such active user");
            Ok(viewer.user_id)
        }
    }
}

/// Records `DUPLICATE_SUSPECTED` when another live customer has the same phone or email.
/// The other customer is named (its code) only to a viewer who may see it: a rep must not
/// learn another rep's customers through the check. (The unique indexes of migration
/// `m20261204_000009` hold the same rule under concurrency; see `record::unique_violation`.)
pub(super) async fn check_duplicate(
    db: &DatabaseConnection,
    viewer: &Viewer,
    c: &mut Checker,
    phone: Option<&str>,
    email: Option<&str>,
    except: Option<Uuid>,
) -> AppResult<()> {
    let mut any = Condition::any();
    if let Some(phone) = phone {
        any = any.add(Column::Phone.eq(phone));
    }
    if let Some(email) = email {
        any = any.add(Column::Email.eq(email));
    }
    if phone.is_none() && email.is_none() {
        return Ok(());
    }
    let mut select = customer::Entity::find().filter(any).filter(Column::DeletedAt.is_null());
    if let Some(id) = except {
        select = select.filter(Column::Id.ne(id));
    }
    let Some(dup) = select.one(db).await? else { return Ok(()) };
    let visible = customer::Entity::find()
        .filter(Column::Id.eq(dup.id))
        .filter(record::visible::<customer::Entity>(viewer, false))
        .one(db)
        .await?
        .is_some();
    let field = if phone.is_some() && dup.phone.as_deref() == phone { "phone" } else { "email" };
    let message = if visible {
        format!("customer {} has the same {field}", dup.code)
    } else {
        format!("another customer, not visible to you, has the same {field}")
    };
    c.push(field, ErrorCode::DuplicateSuspected, message);
    Ok(())
}
