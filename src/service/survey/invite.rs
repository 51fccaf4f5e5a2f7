//! Survey invitations: one-time respondent tokens for customers, and answering with one.
//!
//! A token is 32 random bytes (base64url) behind the prefix `svy_`, shown once in the
//! invitation's result and stored only as its SHA-256. Answering with it needs no account
//! and reaches nothing else: the answer is checked like staff entry, stored for the
//! invited customer, and the token is spent in the same transaction.

use super::{Answer, check_answers, questions, scoring};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::api_key::{random_secret, sha256_hex};
use crate::service::record::{Checked, by_ids_visible, find};
use crate::service::validate::{Checker, ErrorCode};
use crate::service::{audit, now};
use chrono::{DateTime, Duration, Utc};
use entity::enums::{Channel, Role, SurveyStatus};
use entity::{customer, survey, survey_invitation as invitation, survey_response};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};
use uuid::Uuid;

/// Most customers one call invites.
pub const MAX_INVITES: usize = 5_000;
/// Days a token lives unless the caller says otherwise, and at most.
pub const DEFAULT_DAYS: i64 = 14;
pub const MAX_DAYS: i64 = 90;
/// The prefix of respondent tokens.
const PREFIX: &str = "svy_";

/// A token handed out, to send to its customer.
#[derive(Debug, Clone)]
pub struct Issued {
    pub customer_id: Uuid,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Invites `customers` (each one the viewer sees) to the active survey `survey_id` over
/// `channel`: a token each, expiring after `days`.
pub async fn invite(
    db: &DatabaseConnection,
    viewer: &Viewer,
    survey_id: Uuid,
    customers: Vec<Uuid>,
    channel: Channel,
    days: Option<i64>,
) -> AppResult<Checked<Vec<Issued>>> {
    if !matches!(viewer.role, Role::Admin | Role::Manager | Role::Service | Role::Marketing) {
        return Err(AppError::Forbidden("only service, marketing, managers and admins invite to surveys".into()));
    }
    let mut c = Checker::default();
    match find::<survey::Entity>(db, viewer, survey_id).await? {
        None => c.push("surveyId", ErrorCode::NotFound, "no such Survey"),
        Some(s) if s.status != SurveyStatus::Active || s.deleted_at.is_some() => {
            c.push("surveyId", ErrorCode::InvalidState, "the survey is not active")
        }
        Some(_) => {}
    }
    let days = days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        c.push("expiresInDays", ErrorCode::Invalid, format!("between 1 and {MAX_DAYS} days"));
    }
    let mut ids = customers;
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        c.push("customerIds", ErrorCode::Required, "no customers to invite");
    } else if ids.len() > MAX_INVITES {
        c.push("customerIds", ErrorCode::Invalid, format!("at most {MAX_INVITES} customers at a time"));
    } else {
        let seen = by_ids_visible::<customer::Entity>(db, viewer, &ids).await?;
        let live = seen.iter().filter(|m| m.deleted_at.is_none()).count();
        if live != ids.len() {
            c.push(
                "customerIds",
                ErrorCode::NotFound,
                format!("{} of the customers do not exist or are not visible", ids.len() - live),
            );
        }
    }
    if !c.is_clean() {
        return Ok(Err(c.errors));
    }
    let at = now();
    let expires_at = at + Duration::days(days);
    let mut issued = Vec::with_capacity(ids.len());
    let mut rows = Vec::with_capacity(ids.len());
    for customer_id in ids {
        let token = format!("{PREFIX}{}", random_secret()?);
        rows.push(invitation::ActiveModel {
            id: Set(entity::new_id()),
            survey_id: Set(survey_id),
            customer_id: Set(customer_id),
            channel: Set(channel),
            token_hash: Set(sha256_hex(&token)),
            expires_at: Set(expires_at),
            responded_at: Set(None),
            response_id: Set(None),
            created_by: Set(viewer.user_id),
            created_at: Set(at),
        });
        issued.push(Issued { customer_id, token, expires_at });
    }
    let txn = crate::engine::rows::begin_write(db).await?;
    for chunk in rows.chunks(500) {
        invitation::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    audit::record(&txn, viewer, "invite", "Survey", survey_id, &["invitations"]).await?;
    txn.commit().await?;
    Ok(Ok(issued))
}

/// Answers a survey with a respondent token: checked like staff entry, stored for the
/// invited customer, the token spent. Errors name `token` or `answers`.
pub async fn respond(db: &DatabaseConnection, token: &str, answers: &[Answer]) -> AppResult<Checked<Uuid>> {
    let mut c = Checker::default();
    let refuse = |c: Checker| Ok(Err(c.errors));
    let found = if token.starts_with(PREFIX) && token.len() < 100 {
        invitation::Entity::find().filter(invitation::Column::TokenHash.eq(sha256_hex(token))).one(db).await?
    } else {
        None
    };
    let at = now();
    let Some(invited) = found else {
        c.push("token", ErrorCode::NotFound, "unknown token");
        return refuse(c);
    };
    if invited.responded_at.is_some() {
        c.push("token", ErrorCode::InvalidState, "this token was used");
    } else if invited.expires_at < at {
        c.push("token", ErrorCode::InvalidState, "this token has expired");
    }
    let survey = survey::Entity::find_by_id(invited.survey_id).one(db).await?;
    let Some(survey) = survey.filter(|s| s.status == SurveyStatus::Active && s.deleted_at.is_none()) else {
        c.push("token", ErrorCode::InvalidState, "the survey is closed");
        return refuse(c);
    };
    let list = questions(&survey.questions);
    let stored = check_answers(&mut c, &list, answers);
    if !c.is_clean() {
        return refuse(c);
    }
    let id = entity::new_id();
    let row = survey_response::ActiveModel {
        id: Set(id),
        survey_id: Set(survey.id),
        customer_id: Set(invited.customer_id),
        ticket_id: Set(None),
        score: Set(scoring::score(survey.kind, &list, &stored)),
        answers: Set(stored),
        submitted_at: Set(at),
        ..entity::record::new_row::<survey_response::Entity>(at)
    };
    let txn = crate::engine::rows::begin_write(db).await?;
    // Spent first, by the statement that checks it is unspent: two answers racing with one
    // token store one response.
    let spent = invitation::Entity::update_many()
        .col_expr(invitation::Column::RespondedAt, Expr::val(at))
        .col_expr(invitation::Column::ResponseId, Expr::val(id))
        .filter(invitation::Column::Id.eq(invited.id))
        .filter(invitation::Column::RespondedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        txn.rollback().await?;
        c.push("token", ErrorCode::InvalidState, "this token was used");
        return refuse(c);
    }
    survey_response::Entity::insert(row).exec_without_returning(&txn).await?;
    audit::record_unattended(&txn, "respond", "SurveyResponse", id, &["token"]).await?;
    txn.commit().await?;
    Ok(Ok(id))
}
