//! `auditEvents`: the audit trail for admins (every event) and managers (their team's
//! records and people). Each event names the fields a write touched; the statements live
//! in `service::audit_trail`.

use crate::auth::policy::Rule;
use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::relay::{
    Conn, One, TotalCount, connection, global_id, one, page_args, page_complexity, parse_global_id,
};
use crate::graphql::types::all::User;
use crate::service::audit_trail::{self, AuditFilter};
use async_graphql::{Context, ID, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

/// One write (or sign-in, merge, …) recorded in the write's own transaction.
#[derive(Clone)]
pub struct AuditEvent(pub entity::audit_event::Model);

#[Object]
impl AuditEvent {
    /// Opaque identifier of the event.
    async fn id(&self) -> ID {
        global_id("AuditEvent", self.0.id)
    }
    /// The user who did it (an API key's partner user); `null` for the server's own jobs
    /// and a customer answering a survey with a one-time token.
    async fn actor(&self, ctx: &Context<'_>) -> Result<One<User>> {
        match self.0.actor_id {
            Some(id) => one::<entity::user::Entity, _>(ctx, Some(id), User).await,
            None => Ok(None),
        }
    }
    /// The API key the request came with (`null` for people and jobs): a partner user may
    /// hold several keys.
    async fn api_key_id(&self) -> Option<ID> {
        self.0.api_key_id.map(|id| global_id("ApiKey", id))
    }
    /// `create`, `update`, `delete`, `restore`, `merge` …
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The record's type (`Customer`, `Deal` …).
    async fn record_type(&self) -> &str {
        &self.0.entity
    }
    /// The record's global ID (look it up with `node`, if you may see it).
    async fn record_id(&self) -> ID {
        global_id(&self.0.entity, self.0.entity_id)
    }
    /// The fields written (`*`: a whole new record).
    async fn fields(&self) -> Vec<String> {
        serde_json::from_value(self.0.fields.clone()).unwrap_or_default()
    }
    /// For a change of a stored record: the old and new values of the fields it changed,
    /// shown as the field policy shows the record's fields to you (masked or `null`).
    async fn changes(&self, ctx: &Context<'_>) -> Result<Vec<AuditChange>> {
        let viewer = context::viewer(ctx)?;
        let Some(serde_json::Value::Array(items)) = &self.0.changes else { return Ok(Vec::new()) };
        Ok(items
            .iter()
            .map(|item| {
                let field = item["field"].as_str().unwrap_or_default().to_owned();
                let governed = if field == "customFields" { "sensitiveCustomFields" } else { field.as_str() };
                let shown =
                    |value: &serde_json::Value| match crate::auth::policy::rule(viewer, &self.0.entity, governed) {
                        Rule::Allow => value.clone(),
                        Rule::Mask(how) => match value.as_str() {
                            Some(text) => serde_json::Value::String(crate::auth::policy::mask(how, text)),
                            None => serde_json::Value::Null,
                        },
                        Rule::Deny => serde_json::Value::Null,
                    };
                AuditChange { old: Json(shown(&item["old"])), new: Json(shown(&item["new"])), field }
            })
            .collect())
    }
    /// The request's id (the `X-Request-Id` of its response), when it came over HTTP.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// One field an update changed (values as JSON: text, number, boolean or `null`).
#[derive(SimpleObject, Clone)]
pub struct AuditChange {
    /// The field as the API names it.
    pub field: String,
    pub old: Json<serde_json::Value>,
    pub new: Json<serde_json::Value>,
}

/// What `auditEvents` narrows to.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AuditEventFilter {
    /// Events by this user.
    pub actor_id: Option<ID>,
    /// Events about this record (its global ID).
    pub record_id: Option<ID>,
    /// Events about records of this type (`Customer`, `Deal` …).
    pub record_type: Option<String>,
    pub action: Option<String>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Up to this instant (exclusive).
    pub to: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit trail, newest first: admins read every event, managers those about their
    /// team's customers and the records under them and those their team's people did.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<AuditEventFilter>,
    ) -> Result<Conn<AuditEvent>> {
        let viewer = context::viewer(ctx)?;
        let filter = filter.unwrap_or_default();
        let id = |id: &ID, field: &str| {
            parse_global_id(id)
                .map(|(_, uuid)| uuid)
                .map_err(|_| AppError::BadUserInput(format!("filter.{field}: not an ID")))
        };
        let service = AuditFilter {
            actor: filter.actor_id.as_ref().map(|a| id(a, "actorId")).transpose()?,
            record: filter.record_id.as_ref().map(|r| id(r, "recordId")).transpose()?,
            record_type: filter.record_type,
            action: filter.action,
            from: filter.from,
            to: filter.to,
        };
        let args = page_args(first, after, last, before);
        let (page, count) = audit_trail::list(context::db(ctx)?, viewer, service, &args).await?;
        Ok(connection(page, TotalCount::Statement(Box::new(count)), AuditEvent))
    }
}
