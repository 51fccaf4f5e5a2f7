//! `clientele seed --scale N`: a deterministic, realistic bulk data set for benchmarks.
//!
//! At N = 1: 100,000 customers (about 500 per sales rep), 300,000 contacts, 400,000 deals
//! (about 2.7 open per customer), 1,000,000 tickets, 200,000 survey responses, 500,000
//! interactions and tags. Rows go in with multi-row inserts inside large transactions;
//! the same seed gives the same data on every run.

use crate::error::{AppError, AppResult};
use crate::service::now;
use chrono::{DateTime, Utc};
use entity::enums::*;
use entity::{
    contact, customer, customer_tag, deal, interaction, purchase, survey, survey_response, tag, team, ticket, user,
};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Statement, TransactionTrait,
};
use std::collections::BTreeMap;
use uuid::Uuid;

mod rows;
use rows::build_batch;

/// The sign-in email of the scale data's admin.
pub const SCALE_ADMIN: &str = "admin@scale.clientele.dev";
/// Customers at N = 1.
const CUSTOMERS_AT_ONE: f64 = 100_000.0;
/// Bound parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 30_000;
/// Customers written per transaction (with everything under them).
const CUSTOMERS_PER_TXN: usize = 2_000;

/// Fills an empty database with the scale-`n` data set.
pub async fn scale(db: &DatabaseConnection, n: f64) -> AppResult<()> {
    if !(n > 0.0 && n <= 10.0) {
        return Err(AppError::BadUserInput("--scale takes a number above 0 and at most 10".into()));
    }
    let customers = ((CUSTOMERS_AT_ONE * n).round() as usize).max(10);
    if customer::Entity::find().count(db).await? > 0 {
        let seeded = crate::db::setting(db, "scale_seed").await?;
        return match seeded {
            Some(previous) => {
                println!("scale data already present (--scale {previous}); nothing to do");
                Ok(())
            }
            None => {
                Err(AppError::BadUserInput("the database already holds customers; --scale wants an empty one".into()))
            }
        };
    }
    let mut rng = fastrand::Rng::with_seed(0x5eed_c0de);
    let people = insert_people(db, customers).await?;
    let tags = insert_tags(db).await?;
    let survey_id = insert_survey(db).await?;
    let bar = ProgressBar::new(customers as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} customers ({per_sec}, eta {eta})")
            .map_err(AppError::internal)?,
    );
    let mut codes = Codes::default();
    let mut start = 0;
    while start < customers {
        let count = CUSTOMERS_PER_TXN.min(customers - start);
        let batch = build_batch(&mut rng, &mut codes, &people, &tags, survey_id, start, count);
        let txn = db.begin().await?;
        batch.write(&txn).await?;
        txn.commit().await?;
        start += count;
        bar.set_position(start as u64);
    }
    bar.finish_and_clear();
    codes.save(db).await?;
    // Fresh planner statistics: without them PostgreSQL guesses one row per table and
    // picks nested loops over whole tables until autovacuum happens to analyze (the
    // classification's joins take minutes instead of seconds). Again after it, for the
    // classification tables it filled.
    db.execute_unprepared("ANALYZE").await?;
    // Classified as the rules make it, so a later `reclassify` (the benchmark times one)
    // finds nothing to rewrite.
    crate::service::classification::reclassify_all(db, crate::service::now(), |_, _| {}).await?;
    crate::service::report::summary::rebuild(db).await?;
    migration::backfill_consents(db, "scale seed", None).await?;
    db.execute_unprepared("ANALYZE").await?;
    crate::db::setting_or_insert(db, "scale_seed", n.to_string()).await?;
    println!(
        "seeded scale {n}: {customers} customers, {} sales reps; admin {SCALE_ADMIN} (clientele token --user {SCALE_ADMIN}), \
         a rep: {}",
        people.reps.len(),
        rep_email(0)
    );
    Ok(())
}

fn rep_email(i: usize) -> String {
    format!("rep{i}@scale.clientele.dev")
}

struct People {
    reps: Vec<Uuid>,
    service: Uuid,
}

async fn insert_people(db: &DatabaseConnection, customers: usize) -> AppResult<People> {
    let ts = now();
    let reps_needed = customers.div_ceil(500);
    let txn = db.begin().await?;
    let mut users = Vec::new();
    let mut teams = Vec::new();
    let mut row = |email: String, name: String, role: Role, team_id: Option<Uuid>| {
        let id = entity::new_id();
        users.push(user::ActiveModel {
            id: Set(id),
            email: Set(email),
            name: Set(name),
            role: Set(role),
            team_id: Set(team_id),
            password_hash: Set(None),
            active: Set(true),
            senior: Set(role == Role::Service),
            external_id: Set(None),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
        });
        id
    };
    row(SCALE_ADMIN.into(), "Scale Admin".into(), Role::Admin, None);
    let service = row("service@scale.clientele.dev".into(), "Scale Service".into(), Role::Service, None);
    let mut reps = Vec::with_capacity(reps_needed);
    let mut current_team = None;
    for i in 0..reps_needed {
        if i % 10 == 0 {
            let team_id = entity::new_id();
            current_team = Some(team_id);
            teams.push(team::ActiveModel {
                id: Set(team_id),
                name: Set(format!("Scale team {}", i / 10)),
                description: Set(None),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
                deleted_at: Set(None),
            });
            row(
                format!("manager{}@scale.clientele.dev", i / 10),
                format!("Manager {}", i / 10),
                Role::Manager,
                Some(team_id),
            );
        }
        reps.push(row(rep_email(i), format!("Rep {i}"), Role::Sales, current_team));
    }
    insert_chunked::<team::Entity, _>(&txn, teams, 7).await?;
    insert_chunked::<user::Entity, _>(&txn, users, 12).await?;
    txn.commit().await?;
    Ok(People { reps, service })
}

async fn insert_tags(db: &DatabaseConnection) -> AppResult<Vec<Uuid>> {
    let ts = now();
    let mut rows = Vec::new();
    let mut ids = Vec::new();
    for (dimension, names) in [
        ("value", ["high", "medium", "low", "potential", "vip"]),
        ("lifecycle", ["potential", "new", "established", "churn-risk", "won-back"]),
        ("industry", ["manufacturing", "services", "education", "retail", "finance"]),
        ("behaviour", ["high-frequency", "dormant", "complainant", "promoter", "urgent"]),
    ] {
        for name in names {
            let id = entity::new_id();
            ids.push(id);
            rows.push(tag::ActiveModel {
                id: Set(id),
                name: Set(name.into()),
                dimension: Set(dimension.into()),
                color: Set(None),
                version: Set(1),
                created_at: Set(ts),
                updated_at: Set(ts),
                deleted_at: Set(None),
            });
        }
    }
    insert_chunked::<tag::Entity, _>(db, rows, 8).await?;
    Ok(ids)
}

async fn insert_survey(db: &DatabaseConnection) -> AppResult<Uuid> {
    let ts = now();
    let id = entity::new_id();
    survey::Entity::insert(survey::ActiveModel {
        id: Set(id),
        title: Set("Relationship NPS".into()),
        kind: Set(SurveyKind::Nps),
        status: Set(SurveyStatus::Active),
        questions: Set(serde_json::json!([{ "key": "nps", "kind": "RATING", "text": "Recommend us?", "min": 0, "max": 10, "required": true }])),
        version: Set(1),
        created_at: Set(ts),
        updated_at: Set(ts),
        deleted_at: Set(None),
    })
    .exec(db)
    .await?;
    Ok(id)
}

/// Per-day counters behind `C…` and `T…` numbers, saved to `sequences` at the end so
/// later numbers continue after them.
#[derive(Default)]
struct Codes(BTreeMap<String, i64>);

impl Codes {
    fn next(&mut self, prefix: &str, at: DateTime<Utc>) -> String {
        let name = format!("{prefix}{}", at.format("%Y%m%d"));
        let value = self.0.entry(name.clone()).or_insert(0);
        *value += 1;
        format!("{name}{value:03}")
    }

    async fn save(&self, db: &DatabaseConnection) -> AppResult<()> {
        let backend = db.get_database_backend();
        let (a, b) = match backend {
            sea_orm::DatabaseBackend::Postgres => ("$1", "$2"),
            _ => ("?", "?"),
        };
        let sql = format!(
            "INSERT INTO sequences (name, value) VALUES ({a}, {b}) ON CONFLICT (name) DO UPDATE SET value = \
             CASE WHEN sequences.value > excluded.value THEN sequences.value ELSE excluded.value END"
        );
        let txn = db.begin().await?;
        for (name, value) in &self.0 {
            txn.execute_raw(Statement::from_sql_and_values(backend, &sql, [name.clone().into(), (*value).into()]))
                .await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

/// Everything written for one range of customers.
#[derive(Default)]
struct Batch {
    customers: Vec<customer::ActiveModel>,
    contacts: Vec<contact::ActiveModel>,
    deals: Vec<deal::ActiveModel>,
    purchases: Vec<purchase::ActiveModel>,
    tickets: Vec<ticket::ActiveModel>,
    interactions: Vec<interaction::ActiveModel>,
    responses: Vec<survey_response::ActiveModel>,
    tags: Vec<customer_tag::ActiveModel>,
}

impl Batch {
    async fn write<C: ConnectionTrait>(self, db: &C) -> AppResult<()> {
        insert_chunked::<customer::Entity, _>(db, self.customers, 31).await?;
        insert_chunked::<contact::Entity, _>(db, self.contacts, 13).await?;
        insert_chunked::<deal::Entity, _>(db, self.deals, 15).await?;
        insert_chunked::<purchase::Entity, _>(db, self.purchases, 13).await?;
        insert_chunked::<ticket::Entity, _>(db, self.tickets, 19).await?;
        insert_chunked::<interaction::Entity, _>(db, self.interactions, 15).await?;
        insert_chunked::<survey_response::Entity, _>(db, self.responses, 11).await?;
        insert_chunked::<customer_tag::Entity, _>(db, self.tags, 5).await?;
        Ok(())
    }
}

/// Multi-row inserts of at most [`MAX_PARAMS`] bound values each.
async fn insert_chunked<E, C>(db: &C, rows: Vec<E::ActiveModel>, columns: usize) -> AppResult<()>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let per = (MAX_PARAMS / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(per).collect();
        E::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}
