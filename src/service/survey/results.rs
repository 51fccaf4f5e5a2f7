//! A survey's results over the responses a caller may see in a period, for a set of
//! customers: the count and response rate, the score by the survey's kind, per-question
//! distributions, text answers through the field policy, the main issues of unhappy
//! answers and complaint feedback, and a before/after comparison around a date.

use super::{Question, QuestionKind, questions, scoring, themes};
use crate::auth::Viewer;
use crate::auth::policy::{Rule, mask};
use crate::error::{AppError, AppResult};
use crate::service::record::counted;
use chrono::{DateTime, Utc};
use entity::enums::{FeedbackKind, SurveyKind};
use entity::{feedback, survey, survey_invitation as invitation, survey_response as response};
use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Most responses one result reads; a larger set asks for a narrower period.
pub const MAX_RESPONSES: u64 = 200_000;
/// Text answers listed per question, and main issues listed.
const MAX_TEXTS: usize = 50;
const MAX_THEMES: usize = 10;

/// The responses to read: submitted within `[from, to)`, by customers of `customers`
/// (a statement selecting customer ids).
#[derive(Debug, Clone)]
pub struct Scope {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub customers: SelectStatement,
}

/// One question's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    pub key: String,
    pub text: String,
    pub kind: QuestionKind,
    pub answered: u64,
    /// The mean rating (rating questions).
    pub mean: Option<f64>,
    /// `(value, count)`: every rating of the scale, every option.
    pub distribution: Vec<(String, u64)>,
    /// The latest text answers, as the policy shows them (`None`: denied).
    pub texts: Option<Vec<String>>,
}

/// The results.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub responses: u64,
    /// Invitations sent in the period to the customers.
    pub invited: u64,
    pub score: Option<f64>,
    /// NPS only: promoters, passives, detractors.
    pub groups: Option<(u64, u64, u64)>,
    pub questions: Vec<QuestionResult>,
    /// The most frequent keywords of negative text answers and complaint feedback.
    pub themes: Vec<(String, u64)>,
}

/// The count and score of one side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side {
    pub responses: u64,
    pub score: Option<f64>,
}

/// The responses of `scope` the viewer sees, as stored answers, latest first.
async fn answers(db: &DatabaseConnection, viewer: &Viewer, survey: Uuid, scope: &Scope) -> AppResult<Vec<Value>> {
    let mut cond = Condition::all()
        .add(response::Column::SurveyId.eq(survey))
        .add(response::Column::CustomerId.in_subquery(scope.customers.clone()));
    if let Some(from) = scope.from {
        cond = cond.add(response::Column::SubmittedAt.gte(from));
    }
    if let Some(to) = scope.to {
        cond = cond.add(response::Column::SubmittedAt.lt(to));
    }
    let rows: Vec<Value> = response::Entity::find()
        .select_only()
        .column(response::Column::Answers)
        .filter(counted::<response::Entity>(viewer, false).add(cond))
        .order_by_desc(response::Column::SubmittedAt)
        .limit(MAX_RESPONSES + 1)
        .into_tuple()
        .all(db)
        .await?;
    if rows.len() as u64 > MAX_RESPONSES {
        return Err(AppError::QueryTooComplex(format!(
            "more than {MAX_RESPONSES} responses: narrow the period or the customers"
        )));
    }
    Ok(rows)
}

/// The survey's results over `scope`; text answers as `texts` rules, complaint feedback's
/// content as `feedback_rule`.
pub async fn results(
    db: &DatabaseConnection,
    viewer: &Viewer,
    survey: &survey::Model,
    scope: &Scope,
    texts: Rule,
    feedback_rule: Rule,
) -> AppResult<Results> {
    let list = questions(&survey.questions);
    let rows = answers(db, viewer, survey.id, scope).await?;
    let primary = scoring::primary(survey.kind, &list).map(|q| q.key.clone());
    let ratings: Vec<i32> =
        primary.as_ref().map_or_else(Vec::new, |key| rows.iter().filter_map(|a| scoring::rating(a, key)).collect());
    let groups = (survey.kind == SurveyKind::Nps).then(|| {
        let count = |lo: i32, hi: i32| ratings.iter().filter(|r| (lo..=hi).contains(*r)).count() as u64;
        (count(9, 10), count(7, 8), count(0, 6))
    });
    let questions = list.iter().map(|q| question(q, &rows, texts)).collect();

    // The main issues: negative responses' texts and complaint feedback, as far as the
    // caller may read them.
    let mut negative: Vec<String> = Vec::new();
    if texts != Rule::Deny && !matches!(texts, Rule::Mask(_)) {
        for answers in rows.iter().filter(|a| scoring::negative(survey.kind, &list, a)) {
            for q in list.iter().filter(|q| q.kind == QuestionKind::Text) {
                if let Some(text) = answers.get(&q.key).and_then(Value::as_str) {
                    negative.push(text.to_owned());
                }
            }
        }
    }
    if feedback_rule == Rule::Allow {
        negative.extend(complaints(db, viewer, scope).await?);
    }
    Ok(Results {
        responses: rows.len() as u64,
        invited: invited(db, survey.id, scope).await?,
        score: scoring::aggregate(survey.kind, &ratings),
        groups,
        questions,
        themes: themes::top(negative.iter().map(String::as_str), MAX_THEMES),
    })
}

/// The count and score before `at` (within `days`) and from `at` on (within `days`).
pub async fn compare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    survey: &survey::Model,
    customers: &SelectStatement,
    at: DateTime<Utc>,
    days: i64,
) -> AppResult<(Side, Side)> {
    let list = questions(&survey.questions);
    let span = chrono::Duration::days(days);
    let mut sides = Vec::with_capacity(2);
    for (from, to) in [(at - span, at), (at, at + span)] {
        let scope = Scope { from: Some(from), to: Some(to), customers: customers.clone() };
        let rows = answers(db, viewer, survey.id, &scope).await?;
        let score = match scoring::primary(survey.kind, &list) {
            Some(q) => scoring::aggregate(
                survey.kind,
                &rows.iter().filter_map(|a| scoring::rating(a, &q.key)).collect::<Vec<_>>(),
            ),
            // CUSTOM: the mean of the responses' own scores.
            None => {
                let scores: Vec<f64> = rows.iter().filter_map(|a| scoring::score(survey.kind, &list, a)).collect();
                (!scores.is_empty()).then(|| (scores.iter().sum::<f64>() / scores.len() as f64 * 10.0).round() / 10.0)
            }
        };
        sides.push(Side { responses: rows.len() as u64, score });
    }
    Ok((sides[0], sides[1]))
}

/// One question's count, mean, distribution and texts over `rows`.
fn question(q: &Question, rows: &[Value], texts: Rule) -> QuestionResult {
    let given: Vec<&Value> = rows.iter().filter_map(|a| a.get(&q.key)).collect();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut mean = None;
    let mut shown = None;
    match q.kind {
        QuestionKind::Rating => {
            let (min, max) = (q.min.unwrap_or(0), q.max.unwrap_or(0));
            let ratings: Vec<i64> = given.iter().filter_map(|v| v.as_i64()).collect();
            let distribution: Vec<(String, u64)> = (min..=max)
                .map(|r| (r.to_string(), ratings.iter().filter(|x| **x == i64::from(r)).count() as u64))
                .collect();
            if !ratings.is_empty() {
                mean = Some((ratings.iter().sum::<i64>() as f64 / ratings.len() as f64 * 100.0).round() / 100.0);
            }
            return QuestionResult {
                key: q.key.clone(),
                text: q.text.clone(),
                kind: q.kind,
                answered: ratings.len() as u64,
                mean,
                distribution,
                texts: None,
            };
        }
        QuestionKind::Choice => {
            for option in &q.options {
                counts.insert(option.clone(), 0);
            }
            for picked in given.iter().filter_map(|v| v.as_array()) {
                for option in picked.iter().filter_map(Value::as_str) {
                    *counts.entry(option.to_owned()).or_default() += 1;
                }
            }
        }
        QuestionKind::Text => {
            let list = given.iter().filter_map(|v| v.as_str()).take(MAX_TEXTS);
            shown = match texts {
                Rule::Allow => Some(list.map(str::to_owned).collect()),
                Rule::Mask(strategy) => Some(list.map(|t| mask(strategy, t)).collect()),
                Rule::Deny => None,
            };
        }
    }
    let distribution = match q.kind {
        QuestionKind::Choice => q.options.iter().map(|o| (o.clone(), counts.get(o).copied().unwrap_or(0))).collect(),
        _ => Vec::new(),
    };
    QuestionResult {
        key: q.key.clone(),
        text: q.text.clone(),
        kind: q.kind,
        answered: given.len() as u64,
        mean,
        distribution,
        texts: shown,
    }
}

/// The content of complaint feedback from the scope's customers in its period, as far as
/// the viewer sees the feedback.
async fn complaints(db: &DatabaseConnection, viewer: &Viewer, scope: &Scope) -> AppResult<Vec<String>> {
    let mut cond = Condition::all()
        .add(feedback::Column::Kind.eq(FeedbackKind::Complaint))
        .add(feedback::Column::CustomerId.in_subquery(scope.customers.clone()));
    if let Some(from) = scope.from {
        cond = cond.add(feedback::Column::ReceivedAt.gte(from));
    }
    if let Some(to) = scope.to {
        cond = cond.add(feedback::Column::ReceivedAt.lt(to));
    }
    Ok(feedback::Entity::find()
        .select_only()
        .column(feedback::Column::Content)
        .filter(counted::<feedback::Entity>(viewer, false).add(cond))
        .limit(MAX_RESPONSES)
        .into_tuple()
        .all(db)
        .await?)
}

/// Invitations to the survey sent in the period to the scope's customers.
async fn invited(db: &DatabaseConnection, survey: Uuid, scope: &Scope) -> AppResult<u64> {
    let mut select = invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(survey))
        .filter(Expr::col(invitation::Column::CustomerId).in_subquery(scope.customers.clone()));
    if let Some(from) = scope.from {
        select = select.filter(invitation::Column::CreatedAt.gte(from));
    }
    if let Some(to) = scope.to {
        select = select.filter(invitation::Column::CreatedAt.lt(to));
    }
    Ok(select.count(db).await?)
}
