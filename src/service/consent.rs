//! The consent ledger (PIPL art. 13–17, GDPR art. 6–7): per customer and purpose, every
//! grant with the privacy notice version shown, and every withdrawal. Rows are only added
//! (a grant's withdrawal is set once); the customer keeps the derived state per purpose
//! (`marketing_consent`, `partner_sharing_consent`, `analytics_allowed`,
//! `profiling_allowed`), rewritten in the same transaction as the ledger, which the row
//! scopes read: MARKETING users see only customers with a live MARKETING grant, partner
//! keys only those with a live PARTNER_SHARING grant, and the behaviour classes
//! (PROFILING) skip customers who withdrew it. A withdrawal therefore takes effect on the
//! next request.
//!
//! MARKETING and PARTNER_SHARING need a live grant (opt-in). ANALYTICS and PROFILING hold
//! until withdrawn (opt-out): withdrawing one never granted records an objection (a row
//! without `granted_at`); granting it again lifts the objection.
//!
//! A merge never widens consent: each customer keeps its own ledger, and a merged record's
//! grants stay with its tombstone.

use super::record::{Checked, customer_visible};
use super::validate::{Checker, ErrorCode};
use super::{audit, now};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::consent::{self, Column, Model};
use entity::enums::{Channel, ConsentPurpose, Role};
use entity::privacy_notice;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// True for the purposes that hold until withdrawn.
pub fn opt_out(purpose: ConsentPurpose) -> bool {
    matches!(purpose, ConsentPurpose::Analytics | ConsentPurpose::Profiling)
}

/// The behaviour classes, which PROFILING governs.
const PROFILED: [&str; 3] = ["HIGH_FREQUENCY", "DORMANT", "COMPLAINANT"];

/// A grant of consent as recorded.
pub struct Grant {
    pub customer: Uuid,
    pub purpose: ConsentPurpose,
    pub channel: Option<Channel>,
    /// The notice version shown; the latest published one when `None`.
    pub notice_version: Option<i32>,
    pub source: String,
    pub evidence: Option<String>,
}

/// Records a grant (staff who may change customers, for a customer they see). A live
/// grant for the same purpose is renewed: it ends (withdrawal source `renewed`) and the
/// new one holds. The grant names a published notice version: the given one, else the
/// latest; without any published notice the grant is refused.
pub async fn grant(db: &DatabaseConnection, viewer: &Viewer, input: Grant) -> AppResult<Checked<Model>> {
    super::permission::require_write(viewer, "Customer")?;
    let mut c = Checker::default();
    let source = c.text("source", Some(&input.source), 200).unwrap_or_default();
    if source.is_empty() {
        c.push("source", ErrorCode::Required, "say where the consent came from (a form, a call, an import …)");
    }
    let evidence = c.long_text("evidence", input.evidence.as_deref(), 2000);
    let notice = match input.notice_version {
        Some(v) => privacy_notice::Entity::find().filter(privacy_notice::Column::Version.eq(v)).one(db).await?,
        None => latest_notice(db).await?,
    };
    match (&notice, input.notice_version) {
        (None, Some(v)) => c.push("noticeVersion", ErrorCode::NotFound, format!("no privacy notice version {v}")),
        (None, None) => c.push(
            "noticeVersion",
            ErrorCode::InvalidState,
            "no privacy notice is published: an admin publishes one (publishPrivacyNotice) before consent is recorded",
        ),
        _ => {}
    }
    if !customer_visible(db, viewer, input.customer).await? {
        c.push("customerId", ErrorCode::NotFound, "no such Customer");
    }
    if let Err(errors) = c.finish(()) {
        return Ok(Err(errors));
    }
    let at = now();
    let txn = crate::engine::rows::begin(db).await?;
    let row = Model {
        id: entity::new_id(),
        customer_id: input.customer,
        purpose: input.purpose,
        channel: input.channel,
        notice_version: notice.map(|n| n.version),
        granted_at: Some(at),
        withdrawn_at: None,
        source,
        evidence,
        granted_by: Some(viewer.user_id),
        withdrawn_by: None,
        withdrawal_source: None,
    };
    let saved = record_grant(&txn, viewer, row, "grantConsent").await?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(saved))
}

/// Writes a grant in `txn` (renewing a live one), the customer's state and the audit row.
async fn record_grant<C: ConnectionTrait>(txn: &C, viewer: &Viewer, row: Model, action: &str) -> AppResult<Model> {
    let at = row.granted_at.unwrap_or_else(now);
    end_live(txn, viewer, row.customer_id, row.purpose, at, "renewed").await?;
    let saved = consent::ActiveModel::from(row).insert(txn).await?;
    refresh(txn, viewer, saved.customer_id, action, saved.purpose, at).await?;
    Ok(saved)
}

/// Records a withdrawal (any staff member who sees the customer: a MARKETING user records
/// an unsubscribe). Ends the live grant; for ANALYTICS and PROFILING without one, records
/// an objection. Refused when there is nothing to withdraw. Answers the ledger rows it
/// ended or added.
pub async fn withdraw(
    db: &DatabaseConnection,
    viewer: &Viewer,
    customer: Uuid,
    purpose: ConsentPurpose,
    source: &str,
) -> AppResult<Checked<Vec<Model>>> {
    if matches!(viewer.role, Role::Analyst | Role::Partner) {
        return Err(AppError::Forbidden("only staff who serve customers record a withdrawal of consent".into()));
    }
    let mut c = Checker::default();
    let source = c.text("source", Some(source), 200).unwrap_or_default();
    if source.is_empty() {
        c.push("source", ErrorCode::Required, "say how the customer withdrew (a call, an unsubscribe link …)");
    }
    if !customer_visible(db, viewer, customer).await? {
        c.push("customerId", ErrorCode::NotFound, "no such Customer");
    }
    if let Err(errors) = c.finish(()) {
        return Ok(Err(errors));
    }
    let at = now();
    let txn = crate::engine::rows::begin(db).await?;
    let mut ended = end_live(&txn, viewer, customer, purpose, at, &source).await?;
    if ended.is_empty() {
        let objected = opt_out(purpose) && allowed(&txn, customer, purpose).await?;
        if !objected {
            txn.rollback().await?;
            let text = format!("the customer has no live {} consent to withdraw", purpose.as_str());
            return Ok(Err(vec![super::validate::FieldError::new("purpose", ErrorCode::InvalidState, text)]));
        }
        let row = Model {
            id: entity::new_id(),
            customer_id: customer,
            purpose,
            channel: None,
            notice_version: None,
            granted_at: None,
            withdrawn_at: Some(at),
            source: source.clone(),
            evidence: None,
            granted_by: None,
            withdrawn_by: Some(viewer.user_id),
            withdrawal_source: Some(source),
        };
        ended.push(consent::ActiveModel::from(row).insert(&txn).await?);
    }
    refresh(&txn, viewer, customer, "withdrawConsent", purpose, at).await?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(ended))
}

/// Ends the live grants of `purpose` (there is at most one); answers them as ended.
async fn end_live<C: ConnectionTrait>(
    txn: &C,
    viewer: &Viewer,
    customer: Uuid,
    purpose: ConsentPurpose,
    at: DateTime<Utc>,
    source: &str,
) -> AppResult<Vec<Model>> {
    let live = live_grants(customer, purpose).all(txn).await?;
    if live.is_empty() {
        return Ok(live);
    }
    consent::Entity::update_many()
        .col_expr(Column::WithdrawnAt, Expr::value(at))
        .col_expr(Column::WithdrawnBy, Expr::value(viewer.user_id))
        .col_expr(Column::WithdrawalSource, Expr::value(source))
        .filter(Column::Id.is_in(live.iter().map(|m| m.id)))
        .exec(txn)
        .await?;
    Ok(live
        .into_iter()
        .map(|m| Model {
            withdrawn_at: Some(at),
            withdrawn_by: Some(viewer.user_id),
            withdrawal_source: Some(source.to_string()),
            ..m
        })
        .collect())
}

fn live_grants(customer: Uuid, purpose: ConsentPurpose) -> sea_orm::Select<consent::Entity> {
    consent::Entity::find()
        .filter(Column::CustomerId.eq(customer))
        .filter(Column::Purpose.eq(purpose))
        .filter(Column::GrantedAt.is_not_null())
        .filter(Column::WithdrawnAt.is_null())
}

/// True when `purpose` holds for the customer now: a live grant, or for the opt-out
/// purposes no ledger entry at all.
async fn allowed<C: ConnectionTrait>(txn: &C, customer: Uuid, purpose: ConsentPurpose) -> AppResult<bool> {
    if live_grants(customer, purpose).select_only().column(Column::Id).into_tuple::<Uuid>().one(txn).await?.is_some() {
        return Ok(true);
    }
    if !opt_out(purpose) {
        return Ok(false);
    }
    let any = consent::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::CustomerId.eq(customer))
        .filter(Column::Purpose.eq(purpose))
        .into_tuple::<Uuid>()
        .one(txn)
        .await?;
    Ok(any.is_none())
}

/// Rewrites the customer's derived state for `purpose` from the ledger (a new version, an
/// audit row with the change); a PROFILING change re-evaluates the behaviour classes.
async fn refresh<C: ConnectionTrait>(
    txn: &C,
    viewer: &Viewer,
    customer: Uuid,
    action: &str,
    purpose: ConsentPurpose,
    at: DateTime<Utc>,
) -> AppResult<()> {
    use entity::customer::{Column as C, Entity as Customers};
    let holds = allowed(txn, customer, purpose).await?;
    let (column, field) = state_column(purpose);
    let before = Customers::find_by_id(customer).one(txn).await?.ok_or(AppError::NotFound)?;
    let mut update = Customers::update_many()
        .col_expr(column, Expr::value(holds))
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::value(at))
        .filter(C::Id.eq(customer));
    if purpose == ConsentPurpose::Marketing {
        let since = live_grants(customer, purpose).one(txn).await?.and_then(|g| g.granted_at);
        update = update.col_expr(C::ConsentAt, Expr::value(since));
    }
    update.exec(txn).await?;
    let old = match purpose {
        ConsentPurpose::Marketing => before.marketing_consent,
        ConsentPurpose::PartnerSharing => before.partner_sharing_consent,
        ConsentPurpose::Analytics => before.analytics_allowed,
        ConsentPurpose::Profiling => before.profiling_allowed,
    };
    let changes = serde_json::json!([{ "field": field, "old": old, "new": holds }]);
    audit::record_changes(txn, viewer, action, ("Customer", customer), &[field], changes).await?;
    if purpose == ConsentPurpose::Profiling && old != holds {
        Box::pin(super::classification::one::reevaluate(txn, customer, &PROFILED, at)).await?;
    }
    Ok(())
}

/// The customer's column holding the state of `purpose`, and its API name.
fn state_column(purpose: ConsentPurpose) -> (entity::customer::Column, &'static str) {
    use entity::customer::Column as C;
    match purpose {
        ConsentPurpose::Marketing => (C::MarketingConsent, "marketingConsent"),
        ConsentPurpose::PartnerSharing => (C::PartnerSharingConsent, "partnerSharingConsent"),
        ConsentPurpose::Analytics => (C::AnalyticsAllowed, "analyticsAllowed"),
        ConsentPurpose::Profiling => (C::ProfilingAllowed, "profilingAllowed"),
    }
}

/// Keeps the ledger in step with a customer write that set `marketingConsent` directly
/// (`createCustomer`, `updateCustomer`), in that write's transaction: a grant under the
/// latest notice (source: the mutation), or the live grant's withdrawal. The write set
/// the customer's state already.
pub async fn follow_marketing_field<C: ConnectionTrait>(
    txn: &C,
    viewer: &Viewer,
    customer: Uuid,
    consent: bool,
    action: &str,
) -> AppResult<()> {
    let at = now();
    if !consent {
        end_live(txn, viewer, customer, ConsentPurpose::Marketing, at, action).await?;
        return Ok(());
    }
    end_live(txn, viewer, customer, ConsentPurpose::Marketing, at, "renewed").await?;
    let row = Model {
        id: entity::new_id(),
        customer_id: customer,
        purpose: ConsentPurpose::Marketing,
        channel: None,
        notice_version: latest_notice(txn).await?.map(|n| n.version),
        granted_at: Some(at),
        withdrawn_at: None,
        source: action.to_string(),
        evidence: None,
        granted_by: Some(viewer.user_id),
        withdrawn_by: None,
        withdrawal_source: None,
    };
    consent::ActiveModel::from(row).insert(txn).await?;
    entity::customer::Entity::update_many()
        .col_expr(entity::customer::Column::ConsentAt, Expr::value(at))
        .filter(entity::customer::Column::Id.eq(customer))
        .exec(txn)
        .await?;
    Ok(())
}

/// A customer's ledger, newest first: one purpose's, or all; live entries only with `live`.
pub async fn of_customer(
    db: &DatabaseConnection,
    customer: Uuid,
    purpose: Option<ConsentPurpose>,
    live: bool,
) -> AppResult<Vec<Model>> {
    let mut select = consent::Entity::find().filter(Column::CustomerId.eq(customer));
    if let Some(purpose) = purpose {
        select = select.filter(Column::Purpose.eq(purpose));
    }
    if live {
        select = select.filter(Column::GrantedAt.is_not_null()).filter(Column::WithdrawnAt.is_null());
    }
    Ok(select.order_by_desc(Column::Id).limit(1000).all(db).await?)
}

/// The latest published privacy notice.
pub async fn latest_notice<C: ConnectionTrait>(db: &C) -> AppResult<Option<privacy_notice::Model>> {
    Ok(privacy_notice::Entity::find().order_by_desc(privacy_notice::Column::Version).one(db).await?)
}

/// Every published notice, newest first.
pub async fn notices(db: &DatabaseConnection) -> AppResult<Vec<privacy_notice::Model>> {
    Ok(privacy_notice::Entity::find().order_by_desc(privacy_notice::Column::Version).limit(1000).all(db).await?)
}

/// Publishes the next notice version (admins): a title, the text customers are shown, and
/// where it is published (an http(s) URL), if anywhere.
pub async fn publish_notice(
    db: &DatabaseConnection,
    viewer: &Viewer,
    title: &str,
    body: &str,
    url: Option<&str>,
) -> AppResult<Checked<privacy_notice::Model>> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins publish privacy notices".into()));
    }
    let mut c = Checker::default();
    let title = c.name("title", title, 200);
    let body = c.long_text("body", Some(body), 50_000).unwrap_or_default();
    if body.is_empty() {
        c.push("body", ErrorCode::Required, "the notice's text is required");
    }
    let url = c.text("url", url, 2000);
    if let Some(u) = &url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        c.push("url", ErrorCode::Invalid, "an http(s) URL");
    }
    if let Err(errors) = c.finish(()) {
        return Ok(Err(errors));
    }
    let txn = crate::engine::rows::begin(db).await?;
    let version = latest_notice(&txn).await?.map_or(1, |n| n.version + 1);
    let row = privacy_notice::Model {
        id: entity::new_id(),
        version,
        title,
        body,
        url,
        published_by: viewer.user_id,
        published_at: now(),
    };
    // Two admins publishing at once: the unique version refuses the second.
    let saved = match privacy_notice::ActiveModel::from(row).insert(&txn).await {
        Ok(saved) => saved,
        Err(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            let text = "another notice was published at the same moment; reload and publish again";
            return Ok(Err(vec![super::validate::FieldError::new("title", ErrorCode::StaleVersion, text)]));
        }
        Err(err) => return Err(err.into()),
    };
    audit::record(&txn, viewer, "publish", "PrivacyNotice", saved.id, &["*"]).await?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(saved))
}
