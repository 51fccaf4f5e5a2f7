//! A demo customer's activity: communication, purchases, deals, tickets and engagement.

use super::PRODUCTS;
use crate::error::AppResult;
use crate::service::{now, sequence};
use chrono::{Duration, Utc};
use entity::enums::*;
use entity::record::new_row;
use entity::{
    campaign_participation, customer_tag, deal, feedback, interaction, new_id, purchase, survey_response, ticket,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use uuid::Uuid;

/// Who and what a demo customer's activity refers to.
pub(super) struct Refs<'a> {
    pub(super) customer_id: Uuid,
    pub(super) owner: Uuid,
    pub(super) service: Uuid,
    pub(super) campaign_id: Uuid,
    pub(super) survey_id: Uuid,
    pub(super) tags: &'a [Uuid],
}

/// A customer's communication, purchases, deals, tickets and engagement.
pub(super) async fn insert_activity<C: sea_orm::ConnectionTrait>(
    db: &C,
    rng: &mut fastrand::Rng,
    refs: &Refs<'_>,
) -> AppResult<()> {
    let ts = now();
    insert_sales(db, rng, refs, ts).await?;
    insert_tickets(db, rng, refs, ts).await?;
    insert_engagement(db, rng, refs, ts).await
}

async fn insert_sales<C: sea_orm::ConnectionTrait>(
    db: &C,
    rng: &mut fastrand::Rng,
    refs: &Refs<'_>,
    ts: chrono::DateTime<Utc>,
) -> AppResult<()> {
    for _ in 0..rng.usize(0..5) {
        interaction::ActiveModel {
            customer_id: Set(refs.customer_id),
            contact_id: Set(None),
            deal_id: Set(None),
            user_id: Set(refs.owner),
            channel: Set([Channel::Phone, Channel::Meeting, Channel::Email, Channel::Visit][rng.usize(..4)]),
            occurred_at: Set(ts - Duration::days(rng.i64(0..200))),
            summary: Set("讨论续约与新需求".into()),
            outcome: Set(Some("positive".into())),
            next_step: Set(Some("Send a quote".into())),
            next_follow_up_at: Set(Some(ts + Duration::days(7))),
            ..new_row::<interaction::Entity>(ts)
        }
        .insert(db)
        .await?;
    }
    for _ in 0..rng.usize(0..4) {
        let (product, price) = PRODUCTS[rng.usize(..PRODUCTS.len())];
        let quantity = rng.i32(1..5);
        purchase::ActiveModel {
            customer_id: Set(refs.customer_id),
            deal_id: Set(None),
            product: Set(product.into()),
            quantity: Set(quantity),
            amount_e4: Set(price * i64::from(quantity) * 10_000),
            currency: Set("CNY".into()),
            purchased_at: Set((ts - Duration::days(rng.i64(0..400))).date_naive()),
            payment_method: Set(Some(["bank transfer", "Alipay", "card"][rng.usize(..3)].into())),
            ..new_row::<purchase::Entity>(ts)
        }
        .insert(db)
        .await?;
    }
    insert_deals(db, rng, refs, ts).await
}

async fn insert_deals<C: sea_orm::ConnectionTrait>(
    db: &C,
    rng: &mut fastrand::Rng,
    refs: &Refs<'_>,
    ts: chrono::DateTime<Utc>,
) -> AppResult<()> {
    let stages = [
        DealStage::Lead,
        DealStage::Qualified,
        DealStage::Proposal,
        DealStage::Negotiation,
        DealStage::Won,
        DealStage::Lost,
    ];
    for _ in 0..rng.usize(0..3) {
        let stage = stages[rng.usize(..6)];
        deal::ActiveModel {
            customer_id: Set(refs.customer_id),
            owner_id: Set(refs.owner),
            title: Set("年度 CRM 订阅".into()),
            stage: Set(stage),
            amount_e4: Set(rng.i64(5_000..200_000) * 10_000),
            currency: Set("CNY".into()),
            probability: Set(rng.i32(5..95)),
            expected_close_date: Set(Some((ts + Duration::days(rng.i64(5..120))).date_naive())),
            closed_at: Set(matches!(stage, DealStage::Won | DealStage::Lost).then_some(ts)),
            lost_reason: Set((stage == DealStage::Lost).then(|| "Budget".to_string())),
            ..new_row::<deal::Entity>(ts)
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Three interactions in the last three weeks: a high-frequency customer.
pub(super) async fn insert_frequent_contact<C: sea_orm::ConnectionTrait>(db: &C, refs: &Refs<'_>) -> AppResult<()> {
    let ts = now();
    for days in [2, 9, 16] {
        interaction::ActiveModel {
            customer_id: Set(refs.customer_id),
            contact_id: Set(None),
            deal_id: Set(None),
            user_id: Set(refs.owner),
            channel: Set(Channel::Wechat),
            occurred_at: Set(ts - Duration::days(days)),
            summary: Set("跟进试用反馈".into()),
            outcome: Set(Some("positive".into())),
            next_step: Set(None),
            next_follow_up_at: Set(None),
            ..new_row::<interaction::Entity>(ts)
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Tickets under the SLA policy in force (due times for unclassified customers, breaches as
/// their times fall, the status history), and a complaint's feedback.
async fn insert_tickets<C: sea_orm::ConnectionTrait>(
    db: &C,
    rng: &mut fastrand::Rng,
    refs: &Refs<'_>,
    ts: chrono::DateTime<Utc>,
) -> AppResult<()> {
    use crate::service::sla::{
        self,
        tickets::{late, record_move, tier_code},
    };
    let policy = sla::current(db).await?.policy;
    for _ in 0..rng.usize(0..3) {
        let status = [TicketStatus::Open, TicketStatus::InProgress, TicketStatus::Resolved, TicketStatus::Closed]
            [rng.usize(..4)];
        let opened = ts - Duration::days(rng.i64(0..90));
        let resolved = matches!(status, TicketStatus::Resolved | TicketStatus::Closed);
        let category =
            [TicketCategory::Question, TicketCategory::Request, TicketCategory::Complaint, TicketCategory::Incident]
                [rng.usize(..4)];
        let priority =
            [TicketPriority::Low, TicketPriority::Normal, TicketPriority::High, TicketPriority::Urgent][rng.usize(..4)];
        let due = policy.due(opened, priority, None);
        let first_response_at = std::cmp::min(opened + Duration::hours(rng.i64(1..30)), ts);
        let resolved_at = resolved.then(|| std::cmp::min(opened + Duration::hours(rng.i64(3..150)), ts));
        let resolution_due = due.map(|d| d.resolution);
        let saved = ticket::ActiveModel {
            code: Set(sequence::next_code(db, "T", opened.date_naive()).await?),
            customer_id: Set(refs.customer_id),
            contact_id: Set(None),
            assignee_id: Set(Some(refs.service)),
            subject: Set("无法导出报表".into()),
            description: Set(Some("Export to Excel times out".into())),
            category: Set(category),
            priority: Set(priority),
            status: Set(status),
            opened_at: Set(opened),
            first_response_at: Set(Some(first_response_at)),
            resolved_at: Set(resolved_at),
            due_at: Set(resolution_due),
            resolution: Set(resolved.then(|| "Increased the export timeout".to_string())),
            first_response_due_at: Set(due.map(|d| d.first_response)),
            resolution_due_at: Set(resolution_due),
            first_response_breached: Set(late(due.map(|d| d.first_response), first_response_at)),
            resolution_breached: Set(late(resolution_due, resolved_at.unwrap_or(ts))),
            sla_tier: Set(Some(tier_code(None))),
            resolution_outcome: Set((status == TicketStatus::Closed).then_some(ResolutionOutcome::Confirmed)),
            reopen_count: Set(0),
            ..new_row::<ticket::Entity>(ts)
        }
        .insert(db)
        .await?;
        record_move(db, saved.id, Some(refs.owner), None, TicketStatus::Open, opened).await?;
        if status != TicketStatus::Open {
            let moved = resolved_at.unwrap_or(first_response_at);
            record_move(db, saved.id, Some(refs.service), Some(TicketStatus::Open), status, moved).await?;
        }
        if category == TicketCategory::Complaint {
            feedback::ActiveModel {
                customer_id: Set(refs.customer_id),
                ticket_id: Set(Some(saved.id)),
                kind: Set(FeedbackKind::Complaint),
                sentiment: Set(Sentiment::Negative),
                content: Set("导出太慢".into()),
                source: Set(Some("phone".into())),
                received_at: Set(opened),
                ..new_row::<feedback::Entity>(ts)
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// A survey answer, a campaign participation and tags, each for some customers.
async fn insert_engagement<C: sea_orm::ConnectionTrait>(
    db: &C,
    rng: &mut fastrand::Rng,
    refs: &Refs<'_>,
    ts: chrono::DateTime<Utc>,
) -> AppResult<()> {
    if rng.u8(..3) == 0 {
        let score = rng.u8(..11);
        survey_response::ActiveModel {
            survey_id: Set(refs.survey_id),
            customer_id: Set(refs.customer_id),
            ticket_id: Set(None),
            answers: Set(serde_json::json!({ "nps": score, "why": "服务及时" })),
            score: Set(Some(f64::from(score))),
            submitted_at: Set(ts),
            ..new_row::<survey_response::Entity>(ts)
        }
        .insert(db)
        .await?;
    }
    if rng.u8(..4) == 0 {
        campaign_participation::ActiveModel {
            campaign_id: Set(refs.campaign_id),
            customer_id: Set(refs.customer_id),
            status: Set([ParticipationStatus::Invited, ParticipationStatus::Attended, ParticipationStatus::NoShow]
                [rng.usize(..3)]),
            ..new_row::<campaign_participation::Entity>(ts)
        }
        .insert(db)
        .await?;
    }
    for tag_id in refs.tags.iter().filter(|_| rng.u8(..5) == 0) {
        customer_tag::ActiveModel {
            id: Set(new_id()),
            customer_id: Set(refs.customer_id),
            tag_id: Set(*tag_id),
            created_at: Set(ts),
            updated_at: Set(ts),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
