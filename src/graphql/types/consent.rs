//! The consent ledger and privacy notices in the API: `Customer.consents`, `grantConsent`,
//! `withdrawConsent`, `privacyNotices`, `publishPrivacyNotice`; the rules (and their
//! enforcement in the row scopes) live in `service::consent`.

use super::all::{Customer, User};
use super::enums::{Channel, ConsentPurpose};
use crate::graphql::context;
use crate::graphql::crud;
use crate::graphql::idempotency::idempotent;
use crate::graphql::relay::{One, expect_id, global_id, one};
use crate::service::consent as service;
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One entry of a customer's consent ledger: a grant for a purpose under a privacy notice
/// version (ended by its withdrawal, if any), or an objection to an opt-out purpose.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Consent(pub entity::consent::Model);

impl From<entity::consent::Model> for Consent {
    fn from(m: entity::consent::Model) -> Self {
        Self(m)
    }
}

#[Object]
impl Consent {
    async fn id(&self) -> ID {
        global_id("Consent", self.0.id)
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
    }
    async fn purpose(&self) -> ConsentPurpose {
        self.0.purpose.into()
    }
    /// How the consent was given.
    async fn channel(&self) -> Option<Channel> {
        self.0.channel.map(Into::into)
    }
    /// The privacy notice version the customer was shown.
    async fn notice_version(&self) -> Option<i32> {
        self.0.notice_version
    }
    /// When it was granted (`null`: an objection to a purpose that was never granted).
    async fn granted_at(&self) -> Option<DateTime<Utc>> {
        self.0.granted_at
    }
    /// When it was withdrawn or renewed (`null`: live).
    async fn withdrawn_at(&self) -> Option<DateTime<Utc>> {
        self.0.withdrawn_at
    }
    /// True while the grant holds.
    async fn live(&self) -> bool {
        self.0.granted_at.is_some() && self.0.withdrawn_at.is_none()
    }
    /// Where the consent came from (a form, a call, an import, `createCustomer` …).
    async fn source(&self) -> &str {
        &self.0.source
    }
    /// What proves it (governed like `Customer.notes`).
    async fn evidence(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        let viewer = context::viewer(ctx)?;
        if self.0.evidence.is_some() && !crate::auth::policy::readable(viewer, "Customer", "notes") {
            return Err(crate::error::AppError::Forbidden("your role may not read Customer.notes".into()).into());
        }
        Ok(self.0.evidence.as_deref())
    }
    /// Who recorded the grant.
    async fn granted_by(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, self.0.granted_by, User).await
    }
    /// Who recorded the withdrawal.
    async fn withdrawn_by(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, self.0.withdrawn_by, User).await
    }
    /// How the customer withdrew (`renewed`: replaced by a later grant).
    async fn withdrawal_source(&self) -> Option<&str> {
        self.0.withdrawal_source.as_deref()
    }
}

/// A customer's ledger, newest first; the customer is one the caller sees already.
pub async fn of_customer(
    ctx: &Context<'_>,
    customer: Uuid,
    purpose: Option<ConsentPurpose>,
    live: bool,
) -> Result<Vec<Consent>> {
    let rows = service::of_customer(context::db(ctx)?, customer, purpose.map(Into::into), live).await?;
    Ok(rows.into_iter().map(Consent).collect())
}

/// A published version of the privacy notice customers are shown before they consent.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct PrivacyNotice(pub entity::privacy_notice::Model);

#[Object]
impl PrivacyNotice {
    async fn id(&self) -> ID {
        global_id("PrivacyNotice", self.0.id)
    }
    /// 1, 2, 3 … in order of publication.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The text customers are shown.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// Where it is published, if anywhere.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }
    async fn published_by(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, Some(self.0.published_by), User).await
    }
}

/// `privacyNotices`.
#[derive(Default)]
pub struct ConsentQuery;

#[Object]
impl ConsentQuery {
    /// The published privacy notices, newest first (every signed-in caller: staff show
    /// the current one before asking for consent).
    async fn privacy_notices(&self, ctx: &Context<'_>) -> Result<Vec<PrivacyNotice>> {
        context::viewer(ctx)?;
        Ok(service::notices(context::db(ctx)?).await?.into_iter().map(PrivacyNotice).collect())
    }
}

/// A customer's consent to a purpose, as it was given.
#[derive(InputObject)]
pub struct GrantConsentInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub purpose: ConsentPurpose,
    /// How it was given.
    pub channel: Option<Channel>,
    /// The privacy notice version the customer was shown (default: the latest).
    pub notice_version: Option<i32>,
    /// Where it came from (a form, a call …), up to 200 characters.
    pub source: String,
    /// What proves it (a form id, a recording's reference …), up to 2,000 characters.
    pub evidence: Option<String>,
}

/// A customer's withdrawal of consent to a purpose.
#[derive(InputObject)]
pub struct WithdrawConsentInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub purpose: ConsentPurpose,
    /// How the customer withdrew (a call, an unsubscribe link …), up to 200 characters.
    pub source: String,
}

/// A new version of the privacy notice.
#[derive(InputObject)]
pub struct PublishPrivacyNoticeInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    /// Up to 200 characters.
    pub title: String,
    /// The text customers are shown, up to 50,000 characters.
    pub body: String,
    /// Where it is published (http or https), if anywhere.
    pub url: Option<String>,
}

crate::payload!(/// The result of `grantConsent`.
    GrantConsentPayload { consent: Consent });
crate::payload!(/// The result of `withdrawConsent`: the ledger entries it ended or added.
    WithdrawConsentPayload { consents: Vec<Consent> });
crate::payload!(/// The result of `publishPrivacyNotice`.
    PublishPrivacyNoticePayload { privacy_notice: PrivacyNotice });

/// `grantConsent`, `withdrawConsent`, `publishPrivacyNotice`.
#[derive(Default)]
pub struct ConsentMutation;

#[Object]
impl ConsentMutation {
    /// Records a customer's consent to a purpose under a privacy notice version (staff who
    /// may change the customer). A live grant for the purpose is renewed. Takes effect on
    /// the next request (e.g. the customer enters MARKETING users' lists).
    async fn grant_consent(&self, ctx: &Context<'_>, input: GrantConsentInput) -> Result<GrantConsentPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let grant = service::Grant {
                customer: expect_id(&input.customer_id, "Customer").unwrap_or_default(),
                purpose: input.purpose.into(),
                channel: input.channel.map(Into::into),
                notice_version: input.notice_version,
                source: input.source.clone(),
                evidence: input.evidence.clone(),
            };
            let result = service::grant(db, viewer, grant).await?;
            Ok(crud::build(result, Consent, key.clone()))
        })
        .await
    }

    /// Records a customer's withdrawal of consent to a purpose (any staff member who sees
    /// the customer). Takes effect on the next request: a MARKETING withdrawal removes the
    /// customer from MARKETING users' lists, searches, counts and reports; PARTNER_SHARING
    /// from partner keys'; PROFILING clears the behaviour classes.
    async fn withdraw_consent(&self, ctx: &Context<'_>, input: WithdrawConsentInput) -> Result<WithdrawConsentPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let customer = expect_id(&input.customer_id, "Customer").unwrap_or_default();
            let result = service::withdraw(db, viewer, customer, input.purpose.into(), &input.source).await?;
            Ok(crud::build(result, |rows| rows.into_iter().map(Consent).collect(), key.clone()))
        })
        .await
    }

    /// Publishes the next version of the privacy notice (admins).
    async fn publish_privacy_notice(
        &self,
        ctx: &Context<'_>,
        input: PublishPrivacyNoticeInput,
    ) -> Result<PublishPrivacyNoticePayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let result = service::publish_notice(db, viewer, &input.title, &input.body, input.url.as_deref()).await?;
            Ok(crud::build(result, PrivacyNotice, key.clone()))
        })
        .await
    }
}
