//! Correction requests (纠错) in the API: `requestCorrection`, `closeCorrectionRequest` and
//! `Customer.correctionRequests`; the rules live in `service::correction`.

use super::all::{Customer, User};
use crate::graphql::context;
use crate::graphql::crud;
use crate::graphql::idempotency::idempotent;
use crate::graphql::loader::{LoaderEnv, MakeLoader};
use crate::graphql::relay::{One, expect_id, global_id, one};
use crate::service::correction as service;
use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

/// A customer's request to correct fields of their record.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct CorrectionRequest {
    id: Uuid,
    customer_id: Uuid,
    fields: Vec<String>,
    note: Option<String>,
    requested_by: Uuid,
    requested_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    closed_by: Option<Uuid>,
    closing_note: Option<String>,
}

impl From<entity::correction_request::Model> for CorrectionRequest {
    fn from(m: entity::correction_request::Model) -> Self {
        Self {
            id: m.id,
            customer_id: m.customer_id,
            fields: serde_json::from_value(m.fields).unwrap_or_default(),
            note: m.note,
            requested_by: m.requested_by,
            requested_at: m.requested_at,
            closed_at: m.closed_at,
            closed_by: m.closed_by,
            closing_note: m.closing_note,
        }
    }
}

#[Object]
impl CorrectionRequest {
    async fn id(&self) -> ID {
        global_id("CorrectionRequest", self.id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.customer_id), Customer).await
    }
    /// The fields to correct, as the API names them.
    async fn fields(&self) -> &[String] {
        &self.fields
    }
    /// What the customer says is wrong (governed like `Customer.notes`).
    async fn note(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        let viewer = context::viewer(ctx)?;
        if self.note.is_some() && !crate::auth::policy::readable(viewer, "Customer", "notes") {
            return Err(crate::error::AppError::Forbidden("your role may not read Customer.notes".into()).into());
        }
        Ok(self.note.as_deref())
    }
    /// Who recorded the request.
    async fn requested_by(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, Some(self.requested_by), User).await
    }
    async fn requested_at(&self) -> DateTime<Utc> {
        self.requested_at
    }
    /// When it was settled (`null`: open).
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.closed_at
    }
    async fn closed_by(&self, ctx: &Context<'_>) -> Result<One<User>> {
        match self.closed_by {
            Some(id) => one::<entity::user::Entity, _>(ctx, Some(id), User).await,
            None => Ok(None),
        }
    }
    /// How it was settled ("corrected by an update", or the closing note).
    async fn closing_note(&self) -> Option<&str> {
        self.closing_note.as_deref()
    }
}

/// The customers with an open request, for the follow-up queue's reasons.
pub struct OpenCorrections(LoaderEnv);

impl MakeLoader for OpenCorrections {
    fn make(env: LoaderEnv) -> Self {
        Self(env)
    }
}

impl Loader<Uuid> for OpenCorrections {
    type Value = ();
    type Error = crate::error::AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, ()>, Self::Error> {
        Ok(service::open_among(&self.0.db, keys).await?.into_iter().map(|id| (id, ())).collect())
    }
}

/// A customer's correction requests, newest first (open ones only with `open: true`); the
/// customer is one the caller sees already.
pub async fn of_customer(ctx: &Context<'_>, customer: Uuid, open: bool) -> Result<Vec<CorrectionRequest>> {
    Ok(service::of_customer(context::db(ctx)?, customer, open).await?.into_iter().map(Into::into).collect())
}

/// A customer's request to correct their record.
#[derive(InputObject)]
pub struct RequestCorrectionInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    /// The fields to correct (`name`, `phone`, `email`, `address` …).
    pub fields: Vec<String>,
    /// What the customer says is wrong, up to 2,000 characters.
    pub note: Option<String>,
}

/// Closing a request without an update (e.g. the record was right).
#[derive(InputObject)]
pub struct CloseCorrectionRequestInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    /// How it was settled, up to 2,000 characters.
    pub note: Option<String>,
}

crate::payload!(/// The result of `requestCorrection` and `closeCorrectionRequest`.
    CorrectionRequestPayload { correction_request: CorrectionRequest });

/// `requestCorrection`, `closeCorrectionRequest`.
#[derive(Default)]
pub struct CorrectionMutation;

#[Object]
impl CorrectionMutation {
    /// Records that a customer asked for fields of their record to be corrected (纠错): the
    /// customer enters its owner's follow-up queue (CORRECTION_REQUESTED) until an update
    /// writes every named field, or the request is closed.
    async fn request_correction(
        &self,
        ctx: &Context<'_>,
        input: RequestCorrectionInput,
    ) -> Result<CorrectionRequestPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let id = expect_id(&input.customer_id, "Customer").unwrap_or_default();
            let result = service::request(db, viewer, id, &input.fields, input.note.as_deref()).await?;
            Ok(crud::build(result, CorrectionRequest::from, key.clone()))
        })
        .await
    }

    /// Closes an open correction request without an update, with a note.
    async fn close_correction_request(
        &self,
        ctx: &Context<'_>,
        input: CloseCorrectionRequestInput,
    ) -> Result<CorrectionRequestPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let id = expect_id(&input.id, "CorrectionRequest").unwrap_or_default();
            let result = service::close(db, viewer, id, input.note.as_deref()).await?;
            Ok(crud::build(result, CorrectionRequest::from, key.clone()))
        })
        .await
    }
}
