//! Duplicates: customers that are likely one person or company entered twice. Each
//! customer carries comparable forms of its name and company (`keys`, kept in `match_*`
//! columns on every write); candidates are found through those blocking keys, never by
//! comparing every pair (`cluster`), and scored by the signals they share.

pub mod cluster;
pub mod keys;

pub use keys::{Keys, Profile, Signal, keys, score};

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::record;
use entity::customer::{self, Column};
use entity::enums::CustomerKind;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Statement,
};
use uuid::Uuid;

/// Lowest score reported by default: a shared phone or email, or a name (or its pinyin)
/// with a company; a name alone (namesakes) or a company alone (colleagues) is not enough.
pub const DEFAULT_MIN_SCORE: f64 = 0.5;
/// Most customers one write is compared with.
const MAX_PROBE: u64 = 50;

/// A customer like the one written.
#[derive(Clone, Debug)]
pub struct Match {
    pub customer: customer::Model,
    pub score: f64,
    pub signals: Vec<Signal>,
}

/// Sets the `match_*` columns of `row` to `k` (empty forms stored as `NULL`, except the
/// name, whose presence marks the keys as filled).
pub fn set_keys(row: &mut customer::ActiveModel, k: Keys) {
    row.match_pinyin = Set(Some(k.pinyin).filter(|s| !s.is_empty()));
    row.match_company = Set(Some(k.company).filter(|s| !s.is_empty()));
    row.match_name = Set(Some(k.name));
}

/// What `c` is compared on (its stored keys; computed if not yet filled).
pub fn profile(c: &customer::Model) -> Profile {
    let keys = match &c.match_name {
        Some(name) => Keys {
            name: name.clone(),
            pinyin: c.match_pinyin.clone().unwrap_or_default(),
            company: c.match_company.clone().unwrap_or_default(),
        },
        None => keys(c.kind, &c.name, c.company_name.as_deref()),
    };
    Profile { phone: c.phone.clone(), email: c.email.clone(), keys }
}

/// The live customers the viewer may see that look like `probe` (scoring at least
/// `min_score`), best first; `except` is the record itself on an update.
pub async fn matches(
    db: &DatabaseConnection,
    viewer: &Viewer,
    probe: &Profile,
    except: Option<Uuid>,
    min_score: f64,
) -> AppResult<Vec<Match>> {
    let mut any = Condition::any();
    if let Some(phone) = &probe.phone {
        any = any.add(Column::Phone.eq(phone.as_str()));
    }
    if let Some(email) = &probe.email {
        any = any.add(Column::Email.eq(email.as_str()));
    }
    for (column, key) in [(Column::MatchPinyin, &probe.keys.pinyin), (Column::MatchCompany, &probe.keys.company)] {
        if !key.is_empty() {
            any = any.add(column.eq(key.as_str()));
        }
    }
    if any.is_empty() {
        return Ok(Vec::new());
    }
    let mut select = customer::Entity::find()
        .filter(any)
        .filter(record::visible::<customer::Entity>(viewer, false))
        .limit(MAX_PROBE);
    if let Some(id) = except {
        select = select.filter(Column::Id.ne(id));
    }
    let mut out: Vec<Match> = crate::engine::rows::all(db, select)
        .await?
        .into_iter()
        .filter_map(|customer| {
            let (score, signals) = score(probe, &profile(&customer));
            (score >= min_score).then_some(Match { customer, score, signals })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.customer.id.cmp(&b.customer.id)));
    Ok(out)
}

/// Fills the keys of customers written before they existed, 500 rows a statement;
/// answers how many. Run at start-up (idempotent: only rows without keys).
pub async fn backfill(db: &DatabaseConnection) -> AppResult<u64> {
    let mut done = 0;
    loop {
        let rows: Vec<(Uuid, CustomerKind, String, Option<String>)> = customer::Entity::find()
            .select_only()
            .columns([Column::Id, Column::Kind, Column::Name, Column::CompanyName])
            .filter(Column::MatchName.is_null())
            .limit(500)
            .into_tuple()
            .all(db)
            .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        done += rows.len() as u64;
        update_keys(db, &rows).await?;
    }
}

/// One `UPDATE` setting the keys of `rows` (both databases: a CTE of values).
async fn update_keys(db: &DatabaseConnection, rows: &[(Uuid, CustomerKind, String, Option<String>)]) -> AppResult<()> {
    let backend = db.get_database_backend();
    let pg = backend == sea_orm::DbBackend::Postgres;
    let mut values = Vec::with_capacity(rows.len() * 4);
    let mut tuples = Vec::with_capacity(rows.len());
    for (i, (id, kind, name, company)) in rows.iter().enumerate() {
        let k = keys(*kind, name, company.as_deref());
        let p = |n: usize| if pg { format!("${}", 4 * i + n) } else { "?".to_owned() };
        tuples.push(format!("({}, {}, {}, {})", p(1), p(2), p(3), p(4)));
        values.push(sea_orm::Value::from(*id));
        values.push(k.name.into());
        values.push(Some(k.pinyin).filter(|s| !s.is_empty()).into());
        values.push(Some(k.company).filter(|s| !s.is_empty()).into());
    }
    let sql = if pg {
        // A join on the values (SQLite's UPDATE … FROM cannot name the values' columns).
        format!(
            "UPDATE customers SET match_name = k.n, match_pinyin = k.p, match_company = k.c \
             FROM (VALUES {}) AS k(id, n, p, c) WHERE customers.id = k.id",
            tuples.join(", ")
        )
    } else {
        let set = |column: &str, v: &str| format!("{column} = (SELECT {v} FROM k WHERE k.id = customers.id)");
        format!(
            "WITH k(id, n, p, c) AS (VALUES {}) UPDATE customers SET {}, {}, {} WHERE id IN (SELECT id FROM k)",
            tuples.join(", "),
            set("match_name", "n"),
            set("match_pinyin", "p"),
            set("match_company", "c"),
        )
    };
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    Ok(())
}
