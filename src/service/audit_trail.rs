//! Reading the audit trail (`auditEvents`): admins read every event; managers the events
//! about their team's customers and the records under them, and the events of their team's
//! people. Other roles read none.

use super::page::{Page, PageArgs, by, paginate};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::audit_event::{self, Column};
use entity::enums::Role;
use entity::record::Record;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, Order, QueryFilter, QuerySelect, QueryTrait};
use uuid::Uuid;

/// What `auditEvents` narrows to (every part optional).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<Uuid>,
    pub record: Option<Uuid>,
    /// A record type as the API names it (`Customer`, `Deal` …).
    pub record_type: Option<String>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// A page of the events `viewer` may read that match `filter`, newest first, and the
/// statement counting them all.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: AuditFilter,
    args: &PageArgs,
) -> AppResult<(Page<audit_event::Model>, SelectStatement)> {
    let scope = match (viewer.role, viewer.scopes.is_some()) {
        (Role::Admin, false) => Condition::all(),
        (Role::Manager, false) => team_scope(viewer),
        _ => return Err(AppError::Forbidden("only admins and managers read the audit trail".into())),
    };
    // The scope is a disjunction: the filter's parts narrow it, never widen it.
    let mut cond = Condition::all().add(scope);
    if let Some(actor) = filter.actor {
        cond = cond.add(Column::ActorId.eq(actor));
    }
    if let Some(record) = filter.record {
        cond = cond.add(Column::EntityId.eq(record));
    }
    if let Some(ty) = filter.record_type {
        cond = cond.add(Column::Entity.eq(ty));
    }
    if let Some(action) = filter.action {
        cond = cond.add(Column::Action.eq(action));
    }
    if let Some(from) = filter.from {
        cond = cond.add(Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        cond = cond.add(Column::CreatedAt.lt(to));
    }
    let select = audit_event::Entity::find().filter(cond);
    let count = select.clone().select_only().column_as(Expr::col(Column::Id).count(), "count").into_query();
    let page = paginate(db, select, &by(&[(Column::CreatedAt, Order::Desc)]), Column::Id, args).await?;
    Ok((page, count))
}

/// A manager's events: about the customers their team owns (row scope) and the records
/// under those customers, and those their team's people (or they) did.
fn team_scope(viewer: &Viewer) -> Condition {
    fn about<E: Record>(viewer: &Viewer) -> Condition {
        let ids = E::find()
            .select_only()
            .column(E::id_column())
            .filter(E::visible_to(Role::Manager, viewer.user_id, viewer.team_id))
            .into_query();
        Condition::all().add(Column::Entity.eq(E::NAME)).add(Column::EntityId.in_subquery(ids))
    }
    use entity::{
        campaign_participation, contact, customer, deal, feedback, interaction, purchase, survey_response, ticket,
    };
    let mut any = Condition::any()
        .add(about::<customer::Entity>(viewer))
        .add(about::<contact::Entity>(viewer))
        .add(about::<interaction::Entity>(viewer))
        .add(about::<purchase::Entity>(viewer))
        .add(about::<deal::Entity>(viewer))
        .add(about::<ticket::Entity>(viewer))
        .add(about::<feedback::Entity>(viewer))
        .add(about::<campaign_participation::Entity>(viewer))
        .add(about::<survey_response::Entity>(viewer))
        .add(Column::ActorId.eq(viewer.user_id));
    if let Some(team) = viewer.team_id {
        let people = Query::select()
            .column(entity::user::Column::Id)
            .from(entity::user::Entity)
            .and_where(Expr::col(entity::user::Column::TeamId).eq(team))
            .to_owned();
        any = any.add(Column::ActorId.in_subquery(people));
    }
    any
}

/// Most field names one `history` call may name.
pub const MAX_HISTORY_FIELDS: usize = 20;

/// A page of the changes to record `(type, id)` — events that changed a stored value —
/// newest first, only those naming one of `fields` when given; and the statement counting
/// them. The caller has the record in hand, so it may see it.
pub async fn history(
    db: &DatabaseConnection,
    (ty, id): (&str, Uuid),
    fields: Option<&[String]>,
    args: &PageArgs,
) -> AppResult<(Page<audit_event::Model>, SelectStatement)> {
    let mut cond = Condition::all()
        .add(Column::Entity.eq(ty))
        .add(Column::EntityId.eq(id))
        .add(Column::Changes.is_not_null())
        .add(Expr::cust("CAST(audit_events.changes AS TEXT) <> '[]'"));
    if let Some(fields) = fields {
        if fields.len() > MAX_HISTORY_FIELDS {
            return Err(AppError::BadUserInput(format!("`fields` names at most {MAX_HISTORY_FIELDS} fields")));
        }
        let mut any = Condition::any();
        for field in fields {
            // Field names only (they go into a LIKE pattern): letters and digits.
            if field.is_empty() || !field.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(AppError::BadUserInput(format!("`fields`: `{field}` is not a field name")));
            }
            // As stored (SQLite) or as PostgreSQL prints its JSON (a space after the colon).
            for pattern in [format!("%\"field\":\"{field}\"%"), format!("%\"field\": \"{field}\"%")] {
                any = any.add(Expr::cust("CAST(audit_events.changes AS TEXT)").like(pattern));
            }
        }
        cond = cond.add(any);
    }
    let select = audit_event::Entity::find().filter(cond);
    let count = select.clone().select_only().column_as(Expr::col(Column::Id).count(), "count").into_query();
    let page = paginate(db, select, &by(&[(Column::CreatedAt, Order::Desc)]), Column::Id, args).await?;
    Ok((page, count))
}
