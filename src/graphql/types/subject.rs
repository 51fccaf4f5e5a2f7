//! Data-subject rights in the API: `exportSubjectData` and `eraseCustomer` (admins); the
//! rules live in `service::subject`.

use super::all::{Customer, User};
use crate::graphql::context;
use crate::graphql::crud;
use crate::graphql::idempotency::idempotent;
use crate::graphql::relay::{One, expect_id, global_id, one};
use crate::service::subject as service;
use crate::service::validate::{ErrorCode, FieldError};
use async_graphql::{Context, ID, InputObject, Json, Object, Result};
use chrono::{DateTime, Utc};

/// One entry of the erasure log: which customer was erased, when, by whom and why.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Erasure(pub entity::erasure::Model);

#[Object]
impl Erasure {
    async fn id(&self) -> ID {
        global_id("Erasure", self.0.id)
    }
    /// The anonymous record that remains.
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
    }
    /// The customer's number, which stays.
    async fn customer_code(&self) -> &str {
        &self.0.customer_code
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    async fn erased_at(&self) -> DateTime<Utc> {
        self.0.erased_at
    }
    /// Who erased it (`null`: the command line).
    async fn erased_by(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, self.0.erased_by, User).await
    }
}

/// `erasures`.
#[derive(Default)]
pub struct SubjectQuery;

#[Object]
impl SubjectQuery {
    /// The erasure log, newest first (admins): which customers were erased, when, by whom
    /// and why — never what.
    async fn erasures(&self, ctx: &Context<'_>, #[graphql(default = 50)] first: i32) -> Result<Vec<Erasure>> {
        if !(1..=500).contains(&first) {
            return Err(crate::error::AppError::BadUserInput("first: 1 to 500".into()).into());
        }
        let rows = service::log(context::db(ctx)?, context::viewer(ctx)?, first as u64).await?;
        Ok(rows.into_iter().map(Erasure).collect())
    }
}

/// Whose data to export.
#[derive(InputObject)]
pub struct ExportSubjectDataInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
}

/// Whose data to erase, and why.
#[derive(InputObject)]
pub struct EraseCustomerInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    /// Why (e.g. the customer's request and its date), up to 500 characters; logged.
    pub reason: String,
}

crate::payload!(/// The result of `exportSubjectData`.
    ExportSubjectDataPayload { document: Json<serde_json::Value> });
crate::payload!(/// The result of `eraseCustomer`.
    EraseCustomerPayload { erasure: Erasure });

/// `exportSubjectData`, `eraseCustomer`.
#[derive(Default)]
pub struct SubjectMutation;

#[Object]
impl SubjectMutation {
    /// Everything held about a customer as one JSON document (admins; audited): the record
    /// and the records merged into it, contacts, interactions, purchases, deals, tickets and
    /// their status history, feedback, survey answers, campaigns, tags, reviews, correction
    /// requests, consents, classification with reasons and its history, and the audit trail
    /// of all of them. Stored names (snake_case); money as decimal strings.
    async fn export_subject_data(
        &self,
        ctx: &Context<'_>,
        input: ExportSubjectDataInput,
    ) -> Result<ExportSubjectDataPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let id = expect_id(&input.customer_id, "Customer").unwrap_or_default();
            let result = match service::export(db, Some(viewer), id).await? {
                Some(document) => Ok(document),
                None => Err(vec![FieldError::new("customerId", ErrorCode::NotFound, "no such Customer")]),
            };
            Ok(crud::build(result, Json, key.clone()))
        })
        .await
    }

    /// Irreversibly anonymises a customer's personal data and that of everything under it
    /// (admins; logged and audited), keeping the non-personal facts reports count. See the
    /// README's "Privacy" section for what goes and what stays.
    async fn erase_customer(&self, ctx: &Context<'_>, input: EraseCustomerInput) -> Result<EraseCustomerPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let id = expect_id(&input.id, "Customer").unwrap_or_default();
            let result = service::erase(db, Some(viewer), id, &input.reason).await?;
            Ok(crud::build(result, Erasure, key.clone()))
        })
        .await
    }
}
