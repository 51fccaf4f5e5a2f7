//! Feedback: praise, suggestions and complaints, recorded and changed.

use super::now;
use super::record::{Change, Checked, check_ref};
use super::reference::same_customer;
use super::validate::Checker;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::set_field;
use entity::enums::{FeedbackKind, Sentiment};
use entity::{customer, feedback, ticket};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

/// A complaint makes its customer a complainant, in the feedback's transaction.
pub async fn reclassify(txn: &sea_orm::DatabaseTransaction, saved: &feedback::Model) -> AppResult<()> {
    if saved.kind != entity::enums::FeedbackKind::Complaint {
        return Ok(());
    }
    super::classification::one::reevaluate(txn, saved.customer_id, &["COMPLAINANT"], now()).await.map(drop)
}

crate::writes! {
    inputs feedback_inputs;
    /// Praise, a suggestion or a complaint to record.
    create NewFeedback as CreateFeedbackInput;
    /// Changes to a piece of feedback.
    update FeedbackPatch as UpdateFeedbackInput;
    fields {
        customer_id: Id(Customer) [create required];
        ticket_id: Id(Ticket) [create optional];
        kind: Enum(FeedbackKind) [create required] [update set];
        sentiment: Enum(Sentiment)
            [create optional "From the kind when left out (praise positive, complaint negative)."] [update set];
        content: Text [create required] [update set];
        source: Text [create optional] [update clear];
        received_at: DateTime [create optional "Now when left out."];
    }
}

/// The sentiment a kind of feedback has unless told otherwise.
pub fn default_sentiment(kind: FeedbackKind) -> Sentiment {
    match kind {
        FeedbackKind::Praise => Sentiment::Positive,
        FeedbackKind::Suggestion => Sentiment::Neutral,
        FeedbackKind::Complaint => Sentiment::Negative,
    }
}

/// The row of new feedback, or the field errors.
pub async fn prepare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewFeedback,
) -> AppResult<Checked<feedback::ActiveModel>> {
    let mut c = Checker::default();
    let customer = check_ref::<customer::Entity>(db, viewer, &mut c, "customerId", new.customer_id).await?;
    let customer_id = customer.map(|m| m.id).unwrap_or_default();
    let ticket = check_ref::<ticket::Entity>(db, viewer, &mut c, "ticketId", new.ticket_id).await?;
    same_customer(&mut c, "ticketId", customer_id, ticket.as_ref().map(|m| m.customer_id));
    let ts = now();
    let row = feedback::ActiveModel {
        customer_id: Set(customer_id),
        ticket_id: Set(ticket.map(|m| m.id)),
        kind: Set(new.kind),
        sentiment: Set(new.sentiment.unwrap_or(default_sentiment(new.kind))),
        content: Set(c.name("content", &new.content, 10_000)),
        source: Set(c.text("source", new.source.as_deref(), 64)),
        received_at: Set(new.received_at.unwrap_or(ts)),
        ..entity::record::new_row::<feedback::Entity>(ts)
    };
    Ok(c.finish(row))
}

/// The change `patch` makes to feedback.
pub async fn change(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    _current: &feedback::Model,
    patch: FeedbackPatch,
) -> AppResult<Change<feedback::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = feedback::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = patch.kind {
        set_field!(row, fields, kind, "kind", v);
    }
    if let Some(v) = patch.sentiment {
        set_field!(row, fields, sentiment, "sentiment", v);
    }
    if let Some(v) = &patch.content {
        set_field!(row, fields, content, "content", c.name("content", v, 10_000));
    }
    if let Some(v) = patch.source {
        set_field!(row, fields, source, "source", c.text("source", v.as_deref(), 64));
    }
    Ok(c.finish((row, fields)))
}
