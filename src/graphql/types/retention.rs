//! Retention policies in the API: `retentionPolicies`, `setRetentionPolicy`, `runRetention`
//! (admins); the rules live in `service::retention`.

use crate::graphql::context;
use crate::graphql::crud;
use crate::graphql::idempotency::idempotent;
use crate::service::retention as service;
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};

/// What a retention policy does once its period has passed.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, serde::Serialize, serde::Deserialize)]
#[graphql(remote = "crate::service::retention::Kind")]
pub enum RetentionKind {
    /// Soft-deleted records of the type are removed for good, with everything under them.
    PurgeDeleted,
    /// The free text of interactions of customers without contact for the period is erased.
    AnonymiseInactiveInteractions,
    /// Text answers of older survey responses are removed (ratings and choices stay).
    RemoveSurveyText,
    /// Old → new values of older audit events are removed (who did what when stays).
    RemoveAuditValues,
    /// Stored idempotent requests and replies are deleted.
    PurgeIdempotencyKeys,
}

/// One retention policy.
#[derive(SimpleObject, Clone, serde::Serialize, serde::Deserialize)]
pub struct RetentionPolicy {
    pub kind: RetentionKind,
    /// PURGE_DELETED only: the record type (Customer, Contact, Interaction, Purchase, Deal,
    /// Ticket, Feedback, SurveyResponse).
    pub record_type: Option<String>,
    /// The period, in days.
    pub keep_days: i32,
    pub enabled: bool,
}

impl From<service::Policy> for RetentionPolicy {
    fn from(p: service::Policy) -> Self {
        Self {
            kind: p.kind.into(),
            record_type: p.record_type,
            keep_days: i32::try_from(p.keep_days).unwrap_or(i32::MAX),
            enabled: p.enabled,
        }
    }
}

/// What one policy did, or would do.
#[derive(SimpleObject, Clone, serde::Serialize, serde::Deserialize)]
pub struct RetentionRunLine {
    pub kind: RetentionKind,
    pub record_type: Option<String>,
    /// Records purged, anonymised or cleaned (or that would be).
    pub count: u64,
}

/// `retentionPolicies`.
#[derive(Default)]
pub struct RetentionQuery;

#[Object]
impl RetentionQuery {
    /// Every retention policy, as set or by default (admins).
    async fn retention_policies(&self, ctx: &Context<'_>) -> Result<Vec<RetentionPolicy>> {
        if !context::viewer(ctx)?.is_admin() {
            return Err(crate::error::AppError::Forbidden("only admins read retention policies".into()).into());
        }
        Ok(service::policies(context::db(ctx)?).await?.into_iter().map(Into::into).collect())
    }
}

/// A retention policy to set.
#[derive(InputObject)]
pub struct SetRetentionPolicyInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub kind: RetentionKind,
    /// PURGE_DELETED only: the record type.
    pub record_type: Option<String>,
    /// The period, 1 to 36,500 days.
    pub keep_days: i32,
    pub enabled: bool,
}

/// A run of the retention policies.
#[derive(InputObject)]
pub struct RunRetentionInput {
    /// Only count what it would purge or anonymise (the default).
    #[graphql(default = true)]
    pub dry_run: bool,
}

crate::payload!(/// The result of `setRetentionPolicy`.
    SetRetentionPolicyPayload { retention_policy: RetentionPolicy });

/// The result of `runRetention`.
#[derive(SimpleObject)]
pub struct RunRetentionPayload {
    /// Whether it only counted.
    pub dry_run: bool,
    /// A line per enabled policy.
    pub lines: Vec<RetentionRunLine>,
}

/// `setRetentionPolicy`, `runRetention`.
#[derive(Default)]
pub struct RetentionMutation;

#[Object]
impl RetentionMutation {
    /// Sets one retention policy (admins; audited). The daily run and `clientele retention
    /// run` apply the enabled ones.
    async fn set_retention_policy(
        &self,
        ctx: &Context<'_>,
        input: SetRetentionPolicyInput,
    ) -> Result<SetRetentionPolicyPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let policy = service::Policy {
                kind: input.kind.into(),
                record_type: input.record_type.clone(),
                keep_days: u32::try_from(input.keep_days).unwrap_or(0),
                enabled: input.enabled,
            };
            let result = service::set(db, viewer, policy).await?;
            Ok(crud::build(result, RetentionPolicy::from, key.clone()))
        })
        .await
    }

    /// Applies the enabled retention policies now (admins), or with `dryRun` (the default)
    /// counts what they would purge or anonymise. Refused (`UNAVAILABLE`) while another
    /// instance runs them.
    async fn run_retention(&self, ctx: &Context<'_>, input: RunRetentionInput) -> Result<RunRetentionPayload> {
        if !context::viewer(ctx)?.is_admin() {
            return Err(crate::error::AppError::Forbidden("only admins run the retention policies".into()).into());
        }
        let report =
            service::run(context::db(ctx)?, crate::service::now(), input.dry_run, |_| {}).await?.ok_or_else(|| {
                crate::error::AppError::Unavailable("another instance is running the retention policies".into())
            })?;
        let lines = report
            .into_iter()
            .map(|l| RetentionRunLine { kind: l.kind.into(), record_type: l.record_type, count: l.count })
            .collect();
        Ok(RunRetentionPayload { dry_run: input.dry_run, lines })
    }
}
