//! `personalDataAccess`: the audit of personal-data reads for admins; the events are
//! collected and written by `service::access_log`.

use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::relay::{One, global_id, one, parse_global_id};
use crate::graphql::types::all::User;
use crate::service::access_log::{self, Filter};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

/// One response that carried governed fields unmasked to a caller who does not own the
/// records.
pub struct PersonalDataAccess(pub entity::personal_data_access::Model);

/// A record a response carried, and which of its governed fields.
#[derive(SimpleObject)]
pub struct AccessedRecord {
    pub record_type: String,
    /// The record's global ID.
    pub record_id: ID,
    /// The governed fields read unmasked, as the API names them.
    pub fields: Vec<String>,
}

#[Object]
impl PersonalDataAccess {
    async fn id(&self) -> ID {
        global_id("PersonalDataAccess", self.0.id)
    }
    /// Who read (an API key's partner user).
    async fn actor(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, self.0.actor_id, User).await
    }
    /// The API key the request came with, if any.
    async fn api_key_id(&self) -> Option<ID> {
        self.0.api_key_id.map(|id| global_id("ApiKey", id))
    }
    /// The request (the response's `X-Request-Id`).
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The records read and their governed fields.
    async fn records(&self) -> Vec<AccessedRecord> {
        let items = self.0.records.as_array().map(Vec::as_slice).unwrap_or_default();
        items
            .iter()
            .filter_map(|item| {
                let ty = item["type"].as_str()?;
                let id = uuid::Uuid::parse_str(item["id"].as_str()?).ok()?;
                let fields = item["fields"].as_array()?.iter().filter_map(|f| f.as_str().map(str::to_string)).collect();
                Some(AccessedRecord { record_type: ty.to_string(), record_id: global_id(ty, id), fields })
            })
            .collect()
    }
}

/// What `personalDataAccess` narrows to.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PersonalDataAccessFilter {
    /// Reads by this user.
    pub actor_id: Option<ID>,
    /// Reads that carried this record.
    pub record_id: Option<ID>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Up to this instant (exclusive).
    pub to: Option<DateTime<Utc>>,
}

/// `personalDataAccess`.
#[derive(Default)]
pub struct AccessQuery;

#[Object]
impl AccessQuery {
    /// The audit of personal-data reads, newest first (admins): each response that carried
    /// governed fields unmasked to a caller other than a SALES user reading their own rows.
    /// Written off the request's path, so a read shows here within a fraction of a second.
    async fn personal_data_access(
        &self,
        ctx: &Context<'_>,
        filter: Option<PersonalDataAccessFilter>,
        #[graphql(default = 50)] first: i32,
    ) -> Result<Vec<PersonalDataAccess>> {
        if !(1..=500).contains(&first) {
            return Err(AppError::BadUserInput("first: 1 to 500".into()).into());
        }
        let filter = filter.unwrap_or_default();
        let id = |id: &ID, field: &str| {
            parse_global_id(id)
                .map(|(_, uuid)| uuid)
                .map_err(|_| AppError::BadUserInput(format!("filter.{field}: not an ID")))
        };
        let service = Filter {
            actor: filter.actor_id.as_ref().map(|a| id(a, "actorId")).transpose()?,
            record: filter.record_id.as_ref().map(|r| id(r, "recordId")).transpose()?,
            from: filter.from,
            to: filter.to,
        };
        let rows = access_log::list(context::db(ctx)?, context::viewer(ctx)?, service, first as u64).await?;
        Ok(rows.into_iter().map(PersonalDataAccess).collect())
    }
}
