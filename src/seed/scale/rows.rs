//! The rows of one batch of scale customers: built in memory from the seeded generator.

use super::{Batch, Codes, People};
use crate::service::now;
use chrono::{DateTime, Duration, Utc};
use entity::enums::*;
use entity::record::new_row;
use entity::{contact, customer, customer_tag, deal, interaction, purchase, survey_response, ticket};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"];
const GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋"];
const FIRST: &[&str] = &["James", "Mary", "Robert", "Linda", "Michael", "Sarah", "David", "Emma"];
const LAST: &[&str] = &["Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark"];

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn mobile(rng: &mut fastrand::Rng) -> String {
    format!("+86138{:08}", rng.u32(..100_000_000))
}

pub(super) fn build_batch(
    rng: &mut fastrand::Rng,
    codes: &mut Codes,
    people: &People,
    tags: &[Uuid],
    survey_id: Uuid,
    start: usize,
    count: usize,
) -> Batch {
    let base = now();
    let mut b = Batch::default();
    for i in start..start + count {
        let (id, owner, created) = build_customer(rng, codes, people, &mut b, base, i);
        build_people_and_sales(rng, &mut b, i, id, owner, created);
        build_purchases(rng, &mut b, id, created);
        build_service(rng, codes, people, &mut b, survey_id, id, owner, created);
        build_tags(rng, &mut b, tags, id, created);
    }
    b
}

/// A customer row: its id, owner and creation time.
fn build_customer(
    rng: &mut fastrand::Rng,
    codes: &mut Codes,
    people: &People,
    b: &mut Batch,
    base: DateTime<Utc>,
    i: usize,
) -> (Uuid, Uuid, DateTime<Utc>) {
    let id = entity::new_id();
    let owner = people.reps[i / 500 % people.reps.len()];
    let created = base - Duration::days(rng.i64(0..720)) - Duration::seconds(rng.i64(0..86_400));
    let company = rng.u8(..5) < 2;
    let name = if company {
        format!("{} {} Ltd", pick(rng, LAST), i)
    } else if rng.bool() {
        format!("{}{}{}", pick(rng, SURNAMES), pick(rng, GIVEN), pick(rng, GIVEN))
    } else {
        format!("{} {}", pick(rng, FIRST), pick(rng, LAST))
    };
    let keys = crate::service::duplicate::keys(
        if company { CustomerKind::Company } else { CustomerKind::Individual },
        &name,
        company.then_some(name.as_str()),
    );
    let mut row = customer::ActiveModel {
        id: Set(id),
        code: Set(codes.next("C", created)),
        kind: Set(if company { CustomerKind::Company } else { CustomerKind::Individual }),
        name: Set(name.clone()),
        gender: Set(None),
        birth_date: Set(None),
        occupation: Set(None),
        company_name: Set(company.then_some(name)),
        industry: Set(company.then(|| [Industry::Manufacturing, Industry::Services, Industry::Retail][rng.usize(..3)])),
        region: Set(Some(["上海", "北京", "广州", "深圳"][rng.usize(..4)].into())),
        company_size: Set(None),
        address: Set(None),
        // Unique per customer: live customers may not share a phone.
        phone: Set(Some(format!("+86138{:08}", i))),
        email: Set(Some(format!("c{i}@scale.example.com"))),
        preferred_channel: Set(Some(Channel::Phone)),
        preferences: Set(serde_json::json!([])),
        potential_needs: Set(None),
        notes: Set(None),
        source: Set(CustomerSource::Import),
        owner_id: Set(owner),
        marketing_consent: Set(rng.bool()),
        consent_at: Set(None),
        partner_sharing_consent: Set(false),
        analytics_allowed: Set(true),
        profiling_allowed: Set(true),
        lifecycle_stage: Set(LifecycleStage::Established),
        value_tier: Set(Some([ValueTier::High, ValueTier::Medium, ValueTier::Low][rng.usize(..3)])),
        next_follow_up_at: Set(None),
        last_interaction_at: Set(Some(created + Duration::days(30))),
        custom_fields: Set(serde_json::json!({})),
        duplicate_allowed: Set(false),
        ..new_row::<customer::Entity>(created)
    };
    crate::service::duplicate::set_keys(&mut row, keys);
    b.customers.push(row);
    (id, owner, created)
}

/// Three contacts and four deals (about two in three open).
fn build_people_and_sales(
    rng: &mut fastrand::Rng,
    b: &mut Batch,
    i: usize,
    id: Uuid,
    owner: Uuid,
    created: DateTime<Utc>,
) {
    for j in 0..3 {
        b.contacts.push(contact::ActiveModel {
            customer_id: Set(id),
            name: Set(format!("{} {}", pick(rng, FIRST), pick(rng, LAST))),
            title: Set(Some("Buyer".into())),
            decision_role: Set(Some(DecisionRole::Influencer)),
            phone: Set(Some(mobile(rng))),
            email: Set(Some(format!("p{i}_{j}@scale.example.com"))),
            is_primary: Set(j == 0),
            notes: Set(None),
            ..new_row::<contact::Entity>(created)
        });
    }
    for _ in 0..4 {
        // About two in three deals are open (2.7 of 4 per customer).
        let stage = [
            DealStage::Lead,
            DealStage::Qualified,
            DealStage::Proposal,
            DealStage::Negotiation,
            DealStage::Won,
            DealStage::Lost,
        ][if rng.u8(..3) < 2 { rng.usize(..4) } else { 4 + rng.usize(..2) }];
        b.deals.push(deal::ActiveModel {
            customer_id: Set(id),
            owner_id: Set(owner),
            title: Set("Subscription".into()),
            stage: Set(stage),
            amount_e4: Set(rng.i64(1_000..500_000) * 10_000),
            currency: Set("CNY".into()),
            probability: Set(crate::service::deal::stage_probability(stage)),
            expected_close_date: Set(None),
            closed_at: Set(matches!(stage, DealStage::Won | DealStage::Lost).then_some(created)),
            lost_reason: Set((stage == DealStage::Lost).then(|| "Budget".to_string())),
            ..new_row::<deal::Entity>(created)
        });
    }
}

/// Three purchases within two years of the customer's creation, none in the future.
fn build_purchases(rng: &mut fastrand::Rng, b: &mut Batch, id: Uuid, created: DateTime<Utc>) {
    const PRODUCTS: [&str; 4] = ["CRM Seat (annual)", "Onboarding Package", "Support Plan", "Data Migration"];
    let today = now().date_naive();
    for _ in 0..3 {
        let day = (created + Duration::days(rng.i64(0..730))).date_naive().min(today);
        b.purchases.push(purchase::ActiveModel {
            customer_id: Set(id),
            deal_id: Set(None),
            product: Set(pick(rng, &PRODUCTS).to_owned()),
            quantity: Set(rng.i32(1..20)),
            amount_e4: Set(rng.i64(100..200_000) * 10_000 + rng.i64(0..100) * 100),
            currency: Set("CNY".into()),
            purchased_at: Set(day),
            payment_method: Set(None),
            ..new_row::<purchase::Entity>(created)
        });
    }
}

/// Ten tickets, five interactions and two survey responses.
#[allow(clippy::too_many_arguments)]
fn build_service(
    rng: &mut fastrand::Rng,
    codes: &mut Codes,
    people: &People,
    b: &mut Batch,
    survey_id: Uuid,
    id: Uuid,
    owner: Uuid,
    created: DateTime<Utc>,
) {
    for _ in 0..10 {
        let opened = created + Duration::hours(rng.i64(1..10_000));
        let priority =
            [TicketPriority::Low, TicketPriority::Normal, TicketPriority::High, TicketPriority::Urgent][rng.usize(..4)];
        let status = [TicketStatus::Open, TicketStatus::Resolved, TicketStatus::Closed][rng.usize(..3)];
        // Answered within minutes to two days, resolved within hours to two weeks.
        let answered = opened + Duration::minutes(rng.i64(5..2_880));
        let resolved = answered + Duration::minutes(rng.i64(30..20_000));
        b.tickets.push(ticket::ActiveModel {
            code: Set(codes.next("T", opened)),
            customer_id: Set(id),
            contact_id: Set(None),
            assignee_id: Set(Some(people.service)),
            subject: Set("Question about the invoice".into()),
            description: Set(None),
            category: Set(
                [TicketCategory::Question, TicketCategory::Request, TicketCategory::Complaint][rng.usize(..3)]
            ),
            priority: Set(priority),
            status: Set(status),
            opened_at: Set(opened),
            first_response_at: Set((status != TicketStatus::Open || rng.bool()).then_some(answered)),
            resolved_at: Set((status != TicketStatus::Open).then_some(resolved)),
            due_at: Set(None),
            resolution: Set(None),
            ..new_row::<ticket::Entity>(opened)
        });
    }
    for _ in 0..5 {
        b.interactions.push(interaction::ActiveModel {
            customer_id: Set(id),
            contact_id: Set(None),
            deal_id: Set(None),
            user_id: Set(owner),
            channel: Set([Channel::Phone, Channel::Email, Channel::Meeting][rng.usize(..3)]),
            occurred_at: Set(created + Duration::days(rng.i64(0..300))),
            summary: Set("Follow-up".into()),
            outcome: Set(None),
            next_step: Set(None),
            next_follow_up_at: Set(None),
            ..new_row::<interaction::Entity>(created)
        });
    }
    for _ in 0..2 {
        let score = rng.u8(..11);
        b.responses.push(survey_response::ActiveModel {
            survey_id: Set(survey_id),
            customer_id: Set(id),
            ticket_id: Set(None),
            answers: Set(serde_json::json!({ "nps": score })),
            score: Set(Some(f64::from(score))),
            submitted_at: Set(created + Duration::days(rng.i64(0..300))),
            ..new_row::<survey_response::Entity>(created)
        });
    }
}

/// One or two of the tags.
fn build_tags(rng: &mut fastrand::Rng, b: &mut Batch, tags: &[Uuid], id: Uuid, created: DateTime<Utc>) {
    let first = rng.usize(..tags.len());
    for tag_id in
        [tags[first], tags[(first + 1 + rng.usize(..tags.len() - 1)) % tags.len()]].into_iter().take(1 + rng.usize(..2))
    {
        b.tags.push(customer_tag::ActiveModel {
            id: Set(entity::new_id()),
            customer_id: Set(id),
            tag_id: Set(tag_id),
            created_at: Set(created),
            updated_at: Set(created),
        });
    }
}
