//! Data-subject rights: the export of everything held about a customer (PIPL art. 45,
//! GDPR art. 15 and 20) and its erasure (PIPL art. 47, GDPR art. 17).
//!
//! An erasure anonymises, irreversibly, the personal data of the customer, of the records
//! merged into it and of everything under them — names, phones, emails, addresses, the free
//! text of contacts, interactions, deals, tickets, feedback, reviews, correction requests,
//! consent evidence and survey answers, the old → new values in the audit trail, merge
//! snapshots and stored idempotent replies naming the customer — and keeps the
//! non-personal facts (amounts, dates, stages, categories, classes) that reports count. The
//! customer stays as an anonymous record (`erasedAt`), no longer changed or written under.
//! Each erasure is logged (`erasures`: who, when, why — never what) so that a restore from
//! an older backup can apply it again ([`reapply`]).

use super::record::Checked;
use super::validate::{Checker, ErrorCode};
use super::{audit, now};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::{
    campaign_participation, classification, consent, contact, correction_request, customer, customer_review,
    customer_tag, deal, erasure, feedback, interaction, purchase, survey_response, ticket, ticket_status_change,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr, UpdateStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Value as DbValue,
};
use serde_json::{Value, json};
use uuid::Uuid;

/// What an erasure writes in place of a required free-text value.
pub const ERASED: &str = "[erased]";

/// The export document's format, for readers to check.
pub const FORMAT: &str = "clientele.subject-export/1";

/// The customer `id` and the records merged into it (a merge chain is short; the walk
/// stops after 1,000 records in any case).
async fn family<C: ConnectionTrait>(db: &C, id: Uuid) -> AppResult<Vec<Uuid>> {
    let mut ids = vec![id];
    let mut frontier = vec![id];
    while !frontier.is_empty() && ids.len() < 1000 {
        let merged: Vec<Uuid> = customer::Entity::find()
            .filter(customer::Column::MergedInto.is_in(frontier.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.id)
            .filter(|m| !ids.contains(m))
            .collect();
        ids.extend(&merged);
        frontier = merged;
    }
    Ok(ids)
}

/// Serialises rows, money as its decimal amount (`amount_e4` → `amount`).
fn documents<M: serde::Serialize>(rows: Vec<M>) -> AppResult<Vec<Value>> {
    rows.into_iter()
        .map(|row| {
            let mut value = serde_json::to_value(row).map_err(|e| AppError::internal(format!("export: {e}")))?;
            if let Some(object) = value.as_object_mut()
                && let Some(units) = object.remove("amount_e4").and_then(|v| v.as_i64())
            {
                object.insert("amount".into(), json!(entity::money::from_e4(units).to_string()));
            }
            Ok(value)
        })
        .collect()
}

/// Everything held about customer `id` as one JSON document, audited: admins, or the
/// command line (`viewer` `None`). `None` when there is no such customer.
pub async fn export(db: &DatabaseConnection, viewer: Option<&Viewer>, id: Uuid) -> AppResult<Option<Value>> {
    if viewer.is_some_and(|v| !v.is_admin()) {
        return Err(AppError::Forbidden("only admins export a customer's data".into()));
    }
    let Some(main) = customer::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
    let ids = family(db, id).await?;
    macro_rules! under {
        ($module:ident) => {
            documents(
                $module::Entity::find()
                    .filter($module::Column::CustomerId.is_in(ids.clone()))
                    .order_by_asc($module::Column::Id)
                    .all(db)
                    .await?,
            )?
        };
    }
    let tickets = ticket::Entity::find().filter(ticket::Column::CustomerId.is_in(ids.clone())).all(db).await?;
    let statuses = ticket_status_change::Entity::find()
        .filter(ticket_status_change::Column::TicketId.is_in(tickets.iter().map(|t| t.id)))
        .order_by_asc(ticket_status_change::Column::ChangedAt)
        .all(db)
        .await?;
    let merged = customer::Entity::find().filter(customer::Column::Id.is_in(ids[1..].to_vec())).all(db).await?;
    let mut document = json!({
        "format": FORMAT,
        "exportedAt": now(),
        "customer": documents(vec![main.clone()])?.remove(0),
        "mergedRecords": documents(merged)?,
        "contacts": under!(contact),
        "interactions": under!(interaction),
        "purchases": under!(purchase),
        "deals": under!(deal),
        "tickets": documents(tickets)?,
        "ticketStatusChanges": documents(statuses)?,
        "feedback": under!(feedback),
        "surveyResponses": under!(survey_response),
        "campaignParticipations": under!(campaign_participation),
        "tags": under!(customer_tag),
        "reviews": under!(customer_review),
        "correctionRequests": under!(correction_request),
        "consents": under!(consent),
        "classification": classes(db, &ids).await?,
        "classificationHistory": documents(
            classification::history::Entity::find()
                .filter(classification::history::Column::CustomerId.is_in(ids.clone()))
                .order_by_asc(classification::history::Column::ChangedAt)
                .all(db)
                .await?,
        )?,
    });
    let trail = trail(db, &document, &ids).await?;
    document["auditTrail"] = Value::Array(trail);
    // Who read the person's record (the audit of personal-data reads).
    let mut reads = Vec::new();
    for id in &ids {
        let filter = super::access_log::Filter { record: Some(*id), ..Default::default() };
        reads.extend(documents(super::access_log::of(db, filter, 10_000).await?)?);
    }
    document["accessLog"] = Value::Array(reads);
    let txn = crate::engine::rows::begin(db).await?;
    match viewer {
        Some(viewer) => audit::record(&txn, viewer, "exportSubjectData", "Customer", id, &["*"]).await?,
        None => audit::record_unattended(&txn, "exportSubjectData", "Customer", id, &["*"]).await?,
    }
    crate::engine::rows::commit(txn).await?;
    Ok(Some(document))
}

/// The customer's current classes, each with the reason a person reads.
async fn classes(db: &DatabaseConnection, ids: &[Uuid]) -> AppResult<Vec<Value>> {
    use super::classification::{reason, rules};
    let rows = classification::current::Entity::find()
        .filter(classification::current::Column::CustomerId.is_in(ids.to_vec()))
        .filter(classification::current::Column::Value.is_not_null())
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let rules = rules::cached_at_version(db, m.rules_version).await?;
        let facts = reason::Facts { amount: m.amount, share: m.share, at: m.at, count: m.count };
        let why = reason::reason(&m.dimension, m.value.as_deref().unwrap_or_default(), facts, &rules);
        out.push(json!({ "customer_id": m.customer_id, "dimension": m.dimension, "value": m.value,
                         "since": m.since, "reason": why }));
    }
    Ok(out)
}

/// The audit events about the customer and every record in `document`: who created,
/// changed, exported or erased what, and when.
async fn trail(db: &DatabaseConnection, document: &Value, ids: &[Uuid]) -> AppResult<Vec<Value>> {
    use entity::audit_event::{Column, Entity};
    let mut records: Vec<Uuid> = ids.to_vec();
    for key in ["contacts", "interactions", "purchases", "deals", "tickets", "feedback", "surveyResponses"] {
        for row in document[key].as_array().into_iter().flatten() {
            if let Some(id) = row["id"].as_str().and_then(|s| Uuid::parse_str(s).ok()) {
                records.push(id);
            }
        }
    }
    let mut out = Vec::new();
    for chunk in records.chunks(500) {
        let rows = Entity::find()
            .filter(Column::EntityId.is_in(chunk.to_vec()))
            .order_by_asc(Column::CreatedAt)
            .all(db)
            .await?;
        out.extend(documents(rows)?);
    }
    Ok(out)
}

/// The `UPDATE` of `table` setting `values` where `column` is one of `ids`.
fn scrub(table: &str, column: &str, ids: &[Uuid], values: Vec<(&str, SimpleExpr)>) -> UpdateStatement {
    scrub_where(table, Condition::all().add(Expr::col(Alias::new(column)).is_in(ids.iter().copied())), values)
}

/// The `UPDATE` of `table` setting `values` where `condition` holds.
fn scrub_where(table: &str, condition: Condition, values: Vec<(&str, SimpleExpr)>) -> UpdateStatement {
    let mut update = Query::update();
    update.table(Alias::new(table));
    for (name, value) in values {
        update.value(Alias::new(name), value);
    }
    update.cond_where(condition).to_owned()
}

fn null() -> SimpleExpr {
    Expr::val(DbValue::String(None))
}

fn erased() -> SimpleExpr {
    Expr::val(ERASED)
}

/// A table under a customer: its required text columns (set to `[erased]`), optional
/// ones (set NULL) and JSON objects (emptied).
type Blanked = (&'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);

/// The tables under a customer with the free text an erasure blanks.
const UNDER: [Blanked; 8] = [
    ("contacts", &["name"], &["title", "phone", "email", "notes"], &["custom_fields"]),
    ("interactions", &["summary"], &["outcome", "next_step"], &[]),
    ("tickets", &["subject"], &["description", "resolution"], &["custom_fields"]),
    ("feedback", &["content"], &[], &[]),
    ("deals", &["title"], &["lost_reason"], &["custom_fields"]),
    ("customer_reviews", &[], &["note"], &[]),
    ("correction_requests", &[], &["note", "closing_note"], &[]),
    ("consents", &[], &["evidence"], &[]),
];

/// The tables whose records' audit events hold old → new values to remove.
const AUDITED: [&str; 7] =
    ["contacts", "interactions", "purchases", "deals", "tickets", "feedback", "survey_responses"];

/// Erases customer `id` (admins; `viewer` `None`: the command line) for `reason`:
/// irreversible, logged, audited. See the module's documentation for what goes.
pub async fn erase(
    db: &DatabaseConnection,
    viewer: Option<&Viewer>,
    id: Uuid,
    reason: &str,
) -> AppResult<Checked<erasure::Model>> {
    if viewer.is_some_and(|v| !v.is_admin()) {
        return Err(AppError::Forbidden("only admins erase a customer's data".into()));
    }
    let mut c = Checker::default();
    let reason = c.text("reason", Some(reason), 500).unwrap_or_default();
    if reason.is_empty() {
        c.push("reason", ErrorCode::Required, "say why (e.g. the customer's request of 2026-12-01)");
    }
    let found = customer::Entity::find_by_id(id).one(db).await?;
    match &found {
        None => c.push("id", ErrorCode::NotFound, "no such Customer"),
        Some(m) if m.erased_at.is_some() => c.push("id", ErrorCode::InvalidState, "the customer was erased already"),
        Some(_) => {}
    }
    if let Err(errors) = c.finish(()) {
        return Ok(Err(errors));
    }
    let found = found.ok_or(AppError::NotFound)?;
    let at = now();
    let txn = crate::engine::rows::begin(db).await?;
    anonymise(&txn, viewer, id, at).await?;
    let row = erasure::Model {
        id: entity::new_id(),
        customer_id: id,
        customer_code: found.code.clone(),
        reason,
        erased_by: viewer.map(|v| v.user_id),
        erased_at: at,
    };
    let saved = sea_orm::ActiveModelTrait::insert(erasure::ActiveModel::from(row), &txn).await?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(saved))
}

/// The erasure's writes, in `txn`.
async fn anonymise<C: ConnectionTrait>(txn: &C, viewer: Option<&Viewer>, id: Uuid, at: DateTime<Utc>) -> AppResult<()> {
    let ids = family(txn, id).await?;
    let empty_object = || -> SimpleExpr { Expr::val(json!({})) };
    let mut customer_values: Vec<(&str, SimpleExpr)> = vec![("name", erased())];
    for column in [
        "occupation",
        "company_name",
        "address",
        "phone",
        "email",
        "potential_needs",
        "notes",
        "match_name",
        "match_pinyin",
        "match_company",
        "gender",
    ] {
        customer_values.push((column, null()));
    }
    customer_values.extend([
        ("birth_date", Expr::val(DbValue::ChronoDate(None))),
        ("preferences", Expr::val(json!([]))),
        ("custom_fields", empty_object()),
        ("marketing_consent", Expr::val(false)),
        ("partner_sharing_consent", Expr::val(false)),
        ("consent_at", Expr::val(DbValue::ChronoDateTimeUtc(None))),
        ("erased_at", Expr::val(at)),
        ("updated_at", Expr::val(at)),
        ("version", Expr::col(Alias::new("version")).add(1)),
    ]);
    txn.execute(&scrub("customers", "id", &ids, customer_values)).await?;
    for (table, required, optional, objects) in UNDER {
        let mut values: Vec<(&str, SimpleExpr)> = Vec::new();
        values.extend(required.iter().map(|c| (*c, erased())));
        values.extend(optional.iter().map(|c| (*c, null())));
        values.extend(objects.iter().map(|c| (*c, empty_object())));
        txn.execute(&scrub(table, "customer_id", &ids, values)).await?;
    }
    // Live grants end: an erased customer consents to nothing.
    let ended = vec![("withdrawn_at", Expr::val(at)), ("withdrawal_source", Expr::val("erased"))];
    let live = Condition::all()
        .add(Expr::col(Alias::new("customer_id")).is_in(ids.iter().copied()))
        .add(Expr::col(Alias::new("withdrawn_at")).is_null());
    let end = scrub_where("consents", live, ended);
    txn.execute(&end).await?;
    text_answers(txn, &ids).await?;
    // Old → new values in the audit trail of the customer and everything under it.
    let mut about = Condition::any().add(Expr::col(Alias::new("entity_id")).is_in(ids.iter().copied()));
    for table in AUDITED {
        let under = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("customer_id")).is_in(ids.iter().copied()))
            .to_owned();
        about = about.add(Expr::col(Alias::new("entity_id")).in_subquery(under));
    }
    let audit = scrub_where("audit_events", about, vec![("changes", Expr::val(DbValue::Json(None)))]);
    txn.execute(&audit).await?;
    // Merge snapshots hold the merged records as they were; an undo is refused after an
    // erasure anyway (the survivor's version moved on).
    let mut involved = Condition::any().add(Expr::col(Alias::new("survivor_id")).is_in(ids.iter().copied()));
    for id in &ids {
        involved = involved.add(Expr::col(Alias::new("merged_ids")).like(format!("%{id}%")));
    }
    let merges = scrub_where("customer_merges", involved, vec![("before_image", Expr::val("[]"))]);
    txn.execute(&merges).await?;
    // Stored idempotent replies and requests naming the customer.
    let gid = crate::graphql::relay::global_id("Customer", id).0;
    let text = |column: &str| -> SimpleExpr {
        Expr::col(Alias::new(column)).cast_as(Alias::new("TEXT")).like(format!("%{gid}%"))
    };
    let keys = Query::delete()
        .from_table(Alias::new("idempotency_keys"))
        .cond_where(sea_orm::Condition::any().add(text("request")).add(text("response")))
        .to_owned();
    txn.execute(&keys).await?;
    match viewer {
        Some(viewer) => audit::record(txn, viewer, "erase", "Customer", id, &["*"]).await?,
        None => audit::record_unattended(txn, "erase", "Customer", id, &["*"]).await?,
    }
    Ok(())
}

/// Removes the text answers of the customers' survey responses (ratings and choices stay).
async fn text_answers<C: ConnectionTrait>(txn: &C, ids: &[Uuid]) -> AppResult<()> {
    let responses = survey_response::Entity::find()
        .filter(survey_response::Column::CustomerId.is_in(ids.to_vec()))
        .all(txn)
        .await?;
    for response in responses {
        let Value::Object(mut answers) = response.answers else { continue };
        let before = answers.len();
        answers.retain(|_, v| !v.is_string());
        if answers.len() == before {
            continue;
        }
        survey_response::Entity::update_many()
            .col_expr(survey_response::Column::Answers, Expr::val(Value::Object(answers)))
            .filter(survey_response::Column::Id.eq(response.id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// The erasure log, newest first: at most `first` entries (admins).
pub async fn log(db: &DatabaseConnection, viewer: &Viewer, first: u64) -> AppResult<Vec<erasure::Model>> {
    use sea_orm::QuerySelect;
    if !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins read the erasure log".into()));
    }
    Ok(erasure::Entity::find().order_by_desc(erasure::Column::ErasedAt).limit(first).all(db).await?)
}

/// Applies every logged erasure again to customers that hold personal data once more (after
/// a restore from a backup taken before it); the number applied.
pub async fn reapply(db: &DatabaseConnection) -> AppResult<u64> {
    let logged = erasure::Entity::find().order_by_asc(erasure::Column::ErasedAt).all(db).await?;
    let mut applied = 0;
    for entry in logged {
        let current = customer::Entity::find_by_id(entry.customer_id).one(db).await?;
        if current.is_none_or(|c| c.erased_at.is_some()) {
            continue;
        }
        let txn = crate::engine::rows::begin(db).await?;
        anonymise(&txn, None, entry.customer_id, entry.erased_at).await?;
        crate::engine::rows::commit(txn).await?;
        applied += 1;
    }
    Ok(applied)
}
