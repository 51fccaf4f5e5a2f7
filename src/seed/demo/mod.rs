//! `clientele seed --demo`: a realistic, deterministic demo data set.

use crate::error::{AppError, AppResult};
use crate::service::{now, sequence, user as users};
use chrono::{Duration, Utc};
use entity::enums::*;
use entity::record::new_row;
use entity::{campaign, contact, customer, new_id, survey, tag};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, TransactionTrait};
use uuid::Uuid;

mod activity;
use activity::{Refs, insert_activity};

/// The demo admin's sign-in email.
pub const DEMO_ADMIN: &str = "admin@demo.clientele.dev";
const CUSTOMERS: usize = 300;

const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];
const GIVEN: &[&str] =
    &["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明"];
const FIRST: &[&str] = &["James", "Mary", "Robert", "Linda", "Michael", "Sarah", "David", "Emma", "Daniel", "Olivia"];
const LAST: &[&str] = &["Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark", "Lewis", "Walker"];
const COMPANIES: &[&str] =
    &["华兴制造", "远景科技", "蓝海教育", "金桥贸易", "Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "恒通物流"];
const REGIONS: &[&str] = &["上海", "北京", "广州", "深圳", "杭州", "成都", "Singapore", "London"];
const PRODUCTS: &[(&str, i64)] =
    &[("CRM Seat (annual)", 1_200), ("Onboarding Package", 8_000), ("Support Plan", 3_600), ("Data Migration", 15_000)];

/// Inserts the demo data set and prints the admin's credentials. Run again, it leaves
/// the data alone and only issues the admin a fresh password.
pub async fn demo(db: &DatabaseConnection) -> AppResult<()> {
    let password = random_password()?;
    if let Some(admin) = users::find_by_email(db, DEMO_ADMIN).await? {
        let mut row: entity::user::ActiveModel = admin.into();
        row.password_hash = Set(Some(crate::auth::password::hash(password.clone()).await?));
        row.update(db).await?;
        println!("demo data already present; new password for {DEMO_ADMIN}: {password}");
        return Ok(());
    }
    let mut rng = fastrand::Rng::with_seed(20_261_129);
    let east = users::team_named(db, "East China Sales").await?;
    let admin = users::create(db, DEMO_ADMIN, "Demo Admin", Role::Admin, None, Some(password.clone())).await?;
    let manager = users::create(db, "manager@demo.clientele.dev", "周经理", Role::Manager, Some(east.id), None).await?;
    let mut reps = Vec::new();
    for (i, name) in ["李销售", "Emma Sales", "王小明"].iter().enumerate() {
        reps.push(
            users::create(db, &format!("sales{}@demo.clientele.dev", i + 1), name, Role::Sales, Some(east.id), None)
                .await?
                .id,
        );
    }
    let service = users::create(db, "service@demo.clientele.dev", "客服小陈", Role::Service, None, None).await?;
    users::create(db, "marketing@demo.clientele.dev", "Marketing Mia", Role::Marketing, None, None).await?;
    users::create(db, "analyst@demo.clientele.dev", "Analyst Alex", Role::Analyst, None, None).await?;

    let txn = db.begin().await?;
    let tags = insert_tags(&txn).await?;
    let (campaign_id, survey_id) = insert_campaign_and_survey(&txn).await?;
    for i in 0..CUSTOMERS {
        let owner = if i.is_multiple_of(10) { manager.id } else { reps[i % reps.len()] };
        let id = insert_customer(&txn, &mut rng, i, owner).await?;
        let refs = Refs { customer_id: id, owner, service: service.id, campaign_id, survey_id, tags: &tags };
        insert_activity(&txn, &mut rng, &refs).await?;
        if i.is_multiple_of(25) {
            activity::insert_frequent_contact(&txn, &refs).await?;
        }
    }
    lookalikes(&txn).await?;
    // Every customer classified as the rules make it of this data.
    crate::service::classification::reclassify_all(&txn, crate::service::now(), |_, _| {}).await?;
    // The dashboard summaries of the records just written.
    migration::rebuild_summaries(&txn).await?;
    // The consents the customers gave, under the demo's privacy notice.
    let notice = privacy_notice(&txn, admin.id).await?;
    migration::backfill_consents(&txn, "demo seed", Some(notice)).await?;
    txn.commit().await?;
    println!("seeded {CUSTOMERS} demo customers with contacts, interactions, purchases, deals, tickets and surveys");
    println!("demo admin: {DEMO_ADMIN} / {password} (id {})", admin.id);
    println!("token for scripts: clientele token --user {DEMO_ADMIN}");
    Ok(())
}

/// One person entered three ways (张明 / Zhang Ming at one company, 张先生 with his phone), so
/// `duplicateCandidates` has something to find: three of the demo's individuals renamed.
async fn lookalikes<C: sea_orm::ConnectionTrait>(db: &C) -> AppResult<()> {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
    let people = customer::Entity::find()
        .filter(customer::Column::Kind.eq(CustomerKind::Individual))
        .order_by_asc(customer::Column::Code)
        .limit(3)
        .all(db)
        .await?;
    let phone = people.first().and_then(|p| p.phone.clone()).or_else(|| Some("+8613800138000".into()));
    let spellings = [
        ("张明", Some("华兴制造"), phone.clone()),
        ("Zhang Ming", Some("华兴制造有限公司"), None),
        ("张先生", None, phone),
    ];
    for (person, (name, company, phone)) in people.into_iter().zip(spellings) {
        let mut row = person.into_active_model();
        row.name = Set(name.to_owned());
        row.company_name = Set(company.map(str::to_owned));
        row.phone = Set(phone);
        row.duplicate_allowed = Set(true);
        crate::service::duplicate::set_keys(
            &mut row,
            crate::service::duplicate::keys(CustomerKind::Individual, name, company),
        );
        row.update(db).await?;
    }
    Ok(())
}

fn random_password() -> AppResult<String> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn mobile(rng: &mut fastrand::Rng) -> String {
    let prefix = ["138", "139", "186", "135", "159", "177"][rng.usize(..6)];
    format!("+86{prefix}{:08}", rng.u32(..100_000_000))
}

async fn insert_tags<C: sea_orm::ConnectionTrait>(db: &C) -> AppResult<Vec<Uuid>> {
    let now = now();
    let mut ids = Vec::new();
    for (dimension, name, color) in [
        ("value", "高价值", "#d4380d"),
        ("needs", "紧急需求", "#fa8c16"),
        ("industry", "制造业", "#1677ff"),
        ("behaviour", "沉睡客户", "#8c8c8c"),
    ] {
        let id = new_id();
        tag::ActiveModel {
            id: Set(id),
            name: Set(name.into()),
            dimension: Set(dimension.into()),
            color: Set(Some(color.into())),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
        }
        .insert(db)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

async fn insert_campaign_and_survey<C: sea_orm::ConnectionTrait>(db: &C) -> AppResult<(Uuid, Uuid)> {
    let now = now();
    let campaign_id = new_id();
    campaign::ActiveModel {
        id: Set(campaign_id),
        name: Set("2026 上海工业博览会".into()),
        kind: Set(CampaignKind::Exhibition),
        description: Set(Some("Booth B12".into())),
        starts_on: Set((Utc::now() - Duration::days(40)).date_naive()),
        ends_on: Set(Some((Utc::now() - Duration::days(37)).date_naive())),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    }
    .insert(db)
    .await?;
    let survey_id = new_id();
    survey::ActiveModel {
        id: Set(survey_id), title: Set("客户满意度 NPS".into()), kind: Set(SurveyKind::Nps), status: Set(SurveyStatus::Active),
        questions: Set(serde_json::json!([
            { "key": "nps", "kind": "RATING", "text": "How likely are you to recommend us?", "min": 0, "max": 10, "required": true },
            { "key": "why", "kind": "TEXT", "text": "What is the main reason for your score?", "required": false }
        ])),
        version: Set(1), created_at: Set(now), updated_at: Set(now), deleted_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((campaign_id, survey_id))
}

async fn insert_customer<C: sea_orm::ConnectionTrait>(
    db: &C,
    rng: &mut fastrand::Rng,
    i: usize,
    owner: Uuid,
) -> AppResult<Uuid> {
    let created = now() - Duration::days(rng.i64(0..720));
    let company = i % 5 < 2;
    let chinese = !i.is_multiple_of(3);
    let name = if company {
        format!("{}{}", pick(rng, COMPANIES), if i >= COMPANIES.len() { format!(" {}", i) } else { String::new() })
    } else if chinese {
        format!("{}{}{}", pick(rng, SURNAMES), pick(rng, GIVEN), if rng.bool() { pick(rng, GIVEN) } else { "" })
    } else {
        format!("{} {}", pick(rng, FIRST), pick(rng, LAST))
    };
    let code = sequence::next_code(db, "C", created.date_naive()).await?;
    let kind = if company { CustomerKind::Company } else { CustomerKind::Individual };
    let keys = crate::service::duplicate::keys(kind, &name, company.then_some(name.as_str()));
    let mut row = customer::ActiveModel {
        code: Set(code),
        kind: Set(kind),
        name: Set(name.clone()),
        gender: Set((!company).then(|| if rng.bool() { Gender::Female } else { Gender::Male })),
        birth_date: Set((!company).then(|| (Utc::now() - Duration::days(rng.i64(8_000..20_000))).date_naive())),
        occupation: Set((!company).then(|| ["工程师", "教师", "Designer", "Manager"][rng.usize(..4)].to_string())),
        company_name: Set(company.then(|| name.clone())),
        industry: Set(company.then(|| {
            [Industry::Manufacturing, Industry::Services, Industry::Education, Industry::Technology][rng.usize(..4)]
        })),
        region: Set((!i.is_multiple_of(7)).then(|| pick(rng, REGIONS).to_string())),
        company_size: Set(company.then(|| rng.i32(10..5_000))),
        address: Set(None),
        phone: Set((!i.is_multiple_of(11)).then(|| format!("+86159{:08}", i))),
        email: Set((!i.is_multiple_of(4)).then(|| format!("customer{i}@example.com"))),
        preferred_channel: Set(Some([Channel::Phone, Channel::Email, Channel::Wechat][rng.usize(..3)])),
        preferences: Set(serde_json::json!(["快速响应", "本地部署"][..rng.usize(0..3)])),
        potential_needs: Set((i.is_multiple_of(6)).then(|| "Considering an upgrade next quarter".to_string())),
        // Every other need is high priority or expected within weeks (urgent), the rest
        // routine; derived from `i` so the generator's sequence stays as it was.
        need_priority: Set(i.is_multiple_of(6).then_some(match i % 36 {
            0 => NeedPriority::High,
            12 => NeedPriority::Low,
            _ => NeedPriority::Normal,
        })),
        need_expected_date: Set(i
            .is_multiple_of(6)
            .then(|| (created.max(now()) + Duration::days(if i % 24 == 6 { 14 } else { 120 })).date_naive())),
        notes: Set(None),
        source: Set([CustomerSource::WebForm, CustomerSource::Event, CustomerSource::Referral, CustomerSource::Phone]
            [rng.usize(..4)]),
        owner_id: Set(owner),
        marketing_consent: Set(i % 3 != 2),
        consent_at: Set((i % 3 != 2).then_some(created)),
        partner_sharing_consent: Set(i.is_multiple_of(4)),
        lifecycle_stage: Set(
            [LifecycleStage::Potential, LifecycleStage::New, LifecycleStage::Established][rng.usize(..3)]
        ),
        value_tier: Set(Some([ValueTier::High, ValueTier::Medium, ValueTier::Low][rng.usize(..3)])),
        next_follow_up_at: Set(Some(now() + Duration::days(rng.i64(1..60)))),
        last_interaction_at: Set(None),
        custom_fields: Set(serde_json::json!({})),
        duplicate_allowed: Set(false),
        ..new_row::<customer::Entity>(created)
    };
    crate::service::duplicate::set_keys(&mut row, keys);
    let saved = row.insert(db).await?;
    if company {
        insert_contacts(db, rng, i, saved.id).await?;
    }
    Ok(saved.id)
}

/// A company customer's one to three contacts, the first its primary.
async fn insert_contacts<C: sea_orm::ConnectionTrait>(
    db: &C,
    rng: &mut fastrand::Rng,
    i: usize,
    customer_id: Uuid,
) -> AppResult<()> {
    for j in 0..rng.usize(1..4) {
        contact::ActiveModel {
            customer_id: Set(customer_id),
            name: Set(format!("{} {}", pick(rng, FIRST), pick(rng, LAST))),
            title: Set(Some(["采购经理", "CTO", "Operations Lead"][rng.usize(..3)].into())),
            decision_role: Set(Some(
                [DecisionRole::DecisionMaker, DecisionRole::Influencer, DecisionRole::User][rng.usize(..3)],
            )),
            phone: Set(Some(mobile(rng))),
            email: Set(Some(format!("contact{i}_{j}@example.com"))),
            is_primary: Set(j == 0),
            notes: Set(None),
            ..new_row::<contact::Entity>(now())
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The demo's privacy notice, version 1.
async fn privacy_notice<C: sea_orm::ConnectionTrait>(db: &C, admin: Uuid) -> AppResult<i32> {
    use sea_orm::ActiveModelTrait;
    let notice = entity::privacy_notice::Model {
        id: entity::new_id(),
        version: 1,
        title: "客户个人信息保护告知书 / Customer privacy notice".into(),
        body: "我们收集您的姓名、联系方式和购买记录，用于提供服务；经您同意，也用于营销和与合作伙伴共享。\n\
               We collect your name, contact details and purchases to serve you; with your consent, also for \
               marketing and sharing with partners. You may withdraw consent at any time."
            .into(),
        url: None,
        published_by: admin,
        published_at: crate::service::now(),
    };
    entity::privacy_notice::ActiveModel::from(notice).insert(db).await?;
    Ok(1)
}
