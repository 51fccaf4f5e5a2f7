//! The audit of personal-data reads (PIPL art. 54, GDPR art. 30/32): whenever a response
//! carries a governed field unmasked to a caller who does not own the records, one access
//! event — who, which records, which fields, when, the request — is recorded.
//!
//! Each request collects what it read in [`Reads`] (the standard path's field policy and
//! the direct path's renderer note each unmasked governed value of a personal record);
//! the response that is finally sent hands them to [`AccessLog`], whose writer task stores
//! them in batches (one multi-row insert per batch) off the request's critical path. A
//! clean shutdown flushes what is queued ([`AccessLog::flush`]).
//!
//! Exempt: SALES users (whose rows are exactly the customers they own and the records
//! under them) and reads that carried nothing governed unmasked. Everyone else — admins,
//! managers, the service desk, marketing, analysts, partner keys (`pii:read`) — is logged.

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::enums::Role;
use entity::personal_data_access::{self, Column, Entity, Model};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// The record types whose governed fields are a customer's personal data.
const PERSONAL: [&str; 8] =
    ["Customer", "Contact", "Interaction", "Purchase", "Deal", "Ticket", "Feedback", "SurveyResponse"];

/// What one request read: per record, the governed fields it carried unmasked.
#[derive(Default)]
pub struct Reads {
    items: Mutex<BTreeMap<(&'static str, Uuid), Vec<&'static str>>>,
}

impl Reads {
    /// True when `viewer`'s reads are logged.
    pub fn applies(viewer: &Viewer) -> bool {
        viewer.role != Role::Sales
    }

    /// Notes that `field` of the `ty` record `id` left unmasked.
    pub fn note(&self, ty: &'static str, id: Uuid, field: &'static str) {
        if !PERSONAL.contains(&ty) {
            return;
        }
        let Ok(mut items) = self.items.lock() else { return };
        let fields = items.entry((ty, id)).or_default();
        if !fields.contains(&field) {
            fields.push(field);
        }
    }

    fn take(&self) -> BTreeMap<(&'static str, Uuid), Vec<&'static str>> {
        self.items.lock().map(|mut items| std::mem::take(&mut *items)).unwrap_or_default()
    }
}

/// A message to the writer.
enum Message {
    Event(Model),
    /// Write everything queued before this, then answer.
    Flush(oneshot::Sender<()>),
}

/// The queue of access events and its writer task.
#[derive(Clone)]
pub struct AccessLog {
    tx: mpsc::UnboundedSender<Message>,
    queued: std::sync::Arc<AtomicU64>,
}

/// Events written per statement at most.
const BATCH: usize = 200;
/// How long the writer waits to fill a batch.
const LINGER: Duration = Duration::from_millis(100);

impl AccessLog {
    /// Starts the writer on `db`. Its statements are the log's, not a request's: they stay
    /// out of the statement counters (tests and `/metrics` count statements per request).
    pub fn start(db: DatabaseConnection) -> Self {
        let mut db = db;
        db.set_metric_callback(|_| {});
        let (tx, rx) = mpsc::unbounded_channel();
        let queued = std::sync::Arc::new(AtomicU64::new(0));
        tokio::spawn(write(db, rx, queued.clone()));
        Self { tx, queued }
    }

    /// Queues what `reads` collected for `viewer` (nothing when it read nothing governed).
    pub fn submit(&self, viewer: &Viewer, reads: &Reads) {
        let items = reads.take();
        if items.is_empty() || !Reads::applies(viewer) {
            return;
        }
        let mut ids = String::with_capacity(items.len() * 37);
        let records: Vec<serde_json::Value> = items
            .into_iter()
            .map(|((ty, id), fields)| {
                if !ids.is_empty() {
                    ids.push(' ');
                }
                ids.push_str(&id.to_string());
                serde_json::json!({ "type": ty, "id": id, "fields": fields })
            })
            .collect();
        let event = Model {
            id: entity::new_id(),
            actor_id: Some(viewer.user_id),
            api_key_id: viewer.api_key_id,
            request_id: crate::http::request_id::current(),
            at: crate::service::now(),
            records: serde_json::Value::Array(records),
            record_ids: ids,
        };
        let queued = self.queued.fetch_add(1, Ordering::Relaxed) + 1;
        if queued.is_multiple_of(10_000) {
            tracing::warn!(queued, "personal-data access events are queued faster than they are written");
        }
        if self.tx.send(Message::Event(event)).is_err() {
            tracing::error!("the personal-data access log is closed; an access event was not recorded");
        }
    }

    /// Waits until every event queued so far is written (a clean shutdown calls it).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Message::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

/// The writer: batches of up to [`BATCH`] events, each batch one insert; a failed insert
/// is retried (the events stay queued) until it succeeds.
async fn write(db: DatabaseConnection, mut rx: mpsc::UnboundedReceiver<Message>, queued: std::sync::Arc<AtomicU64>) {
    let mut batch: Vec<Model> = Vec::new();
    let mut flushes: Vec<oneshot::Sender<()>> = Vec::new();
    loop {
        let message = if batch.is_empty() {
            match rx.recv().await {
                Some(m) => Some(m),
                None => break,
            }
        } else {
            tokio::time::timeout(LINGER, rx.recv()).await.unwrap_or(None)
        };
        match message {
            Some(Message::Event(event)) => {
                batch.push(event);
                if batch.len() < BATCH {
                    continue;
                }
            }
            Some(Message::Flush(done)) => flushes.push(done),
            None => {}
        }
        while !batch.is_empty() {
            let rows = batch.iter().cloned().map(personal_data_access::ActiveModel::from);
            match Entity::insert_many(rows).exec_without_returning(&db).await {
                Ok(_) => {
                    queued.fetch_sub(batch.len() as u64, Ordering::Relaxed);
                    batch.clear();
                }
                Err(error) => {
                    tracing::warn!(%error, events = batch.len(), "writing personal-data access events failed; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
        for done in flushes.drain(..) {
            let _ = done.send(());
        }
    }
}

/// Conditions on the access log.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub actor: Option<Uuid>,
    pub record: Option<Uuid>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The access events matching `filter`, newest first, at most `first` (admins).
pub async fn list(db: &DatabaseConnection, viewer: &Viewer, filter: Filter, first: u64) -> AppResult<Vec<Model>> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins read the personal-data access log".into()));
    }
    of(db, filter, first).await
}

/// The access events matching `filter`, newest first, at most `first` (for the subject's
/// export too).
pub async fn of(db: &DatabaseConnection, filter: Filter, first: u64) -> AppResult<Vec<Model>> {
    let mut select = Entity::find();
    if let Some(actor) = filter.actor {
        select = select.filter(Column::ActorId.eq(actor));
    }
    if let Some(record) = filter.record {
        select = select.filter(Column::RecordIds.contains(record.to_string()));
    }
    if let Some(from) = filter.from {
        select = select.filter(Column::At.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(Column::At.lt(to));
    }
    Ok(select.order_by_desc(Column::At).limit(first).all(db).await?)
}
