//! Getting a database ready: created if missing, migrated and seeded with the scale data
//! through the real `clientele` binary, then read back for the random variables.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, FromQueryResult, Statement};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::process::Command;
use uuid::Uuid;

/// The server binary under test (the bench profile's build).
pub const BIN: &str = env!("CARGO_BIN_EXE_clientele");

/// Result of the set-up steps; the message says what failed.
pub type SetupResult<T> = Result<T, String>;

/// A customer as the random variables need it.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Customer {
    pub id: Uuid,
    #[sea_orm(alias = "owner_id")]
    pub owner: Uuid,
    /// As PostgreSQL prints it; cast back with `::timestamptz` by the floor.
    pub created_at: String,
}

/// What the seeded database holds that the workload draws from.
pub struct World {
    pub customers: Vec<Customer>,
    pub reps: Vec<Uuid>,
    pub tags: Vec<Uuid>,
    pub admin: Uuid,
    pub rep: Uuid,
    /// The seeded NPS survey (R3).
    pub survey: Uuid,
    /// When the world was read: the reports' ranges end here.
    pub now: chrono::DateTime<chrono::Utc>,
    /// Page starts for Q1 per row scope (admin, rep): a customer and its cursor.
    starts: HashMap<Option<Uuid>, Vec<(Customer, String)>>,
}

impl World {
    /// The user behind the admin (`None`) or rep (`Some`) token.
    pub fn viewer_id(&self, owner: Option<Uuid>) -> Uuid {
        owner.unwrap_or(self.admin)
    }

    /// R1's range: the twelve months ending with this one, as `YYYY-MM-DD` days.
    pub fn twelve_months(&self) -> (String, String) {
        use chrono::{Datelike, Months};
        let month = self.now.date_naive().with_day(1).unwrap_or(self.now.date_naive());
        let from = month.checked_sub_months(Months::new(11)).unwrap_or(month);
        let to = month.checked_add_months(Months::new(1)).unwrap_or(month);
        (from.to_string(), to.to_string())
    }

    /// R2's range: the 365 days up to now, as RFC 3339 instants (whole seconds).
    pub fn last_year(&self) -> (String, String) {
        let to = self.now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let from = (self.now - chrono::Duration::days(365)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
        (from, to)
    }

    /// Q1's page starts for a row scope.
    pub fn starts(&self, owner: Option<Uuid>) -> &[(Customer, String)] {
        self.starts.get(&owner).map(Vec::as_slice).unwrap_or_default()
    }
}

/// Creates the PostgreSQL database named in `url` when it does not exist.
pub async fn ensure_database(url: &str) -> SetupResult<()> {
    let (server, name) = url.split_once('?').map_or(url, |(base, _)| base).rsplit_once('/').ok_or("bad URL")?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("database name `{name}`: use letters, digits and underscores"));
    }
    let admin = Database::connect(format!("{server}/postgres")).await.map_err(|e| e.to_string())?;
    let exists = admin
        .query_one_raw(Statement::from_sql_and_values(
            admin.get_database_backend(),
            "SELECT 1 FROM pg_database WHERE datname = $1",
            [name.into()],
        ))
        .await
        .map_err(|e| e.to_string())?;
    if exists.is_none() {
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Runs the server binary's command line against `url`; its standard output.
pub fn cli(url: &str, args: &[&str]) -> SetupResult<String> {
    let out = Command::new(BIN)
        .args(args)
        .env("CLIENTELE_DATABASE_URL", url)
        .env("CLIENTELE_LOG", "warn")
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("{BIN}: {e}"))?;
    if !out.status.success() {
        return Err(format!("clientele {} failed ({})", args.join(" "), out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Seeds scale `scale` unless the database already holds that scale; another scale is an error.
pub async fn seed(db: &DatabaseConnection, url: &str, scale: f64) -> SetupResult<()> {
    cli(url, &["migrate"])?;
    let seeded: Vec<String> = column(db, "SELECT value FROM settings WHERE key = 'scale_seed'").await?;
    match seeded.first().map(|s| s.parse::<f64>()) {
        Some(Ok(previous)) if (previous - scale).abs() < 1e-9 => Ok(()),
        Some(_) => Err(format!("the database holds scale {}; give it another --database-url", seeded[0])),
        None => {
            eprintln!("seeding scale {scale} (once per database) …");
            cli(url, &["seed", "--scale", &scale.to_string()]).map(drop)
        }
    }
}

/// The first column of every row `sql` returns.
async fn column<T: sea_orm::TryGetable>(db: &DatabaseConnection, sql: &str) -> SetupResult<Vec<T>> {
    let rows =
        db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.map_err(|e| e.to_string())?;
    rows.iter().map(|r| r.try_get_by_index::<T>(0).map_err(|e| e.to_string())).collect()
}

/// Reads the seeded world; `graphql` runs a query as the admin (for Q1's cursors).
pub async fn world<F, Fut>(db: &DatabaseConnection, graphql: F) -> SetupResult<World>
where
    F: Fn(Value) -> Fut,
    Fut: Future<Output = SetupResult<Value>>,
{
    let customers = Customer::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT id, owner_id, created_at::text AS created_at FROM customers WHERE deleted_at IS NULL \
         ORDER BY created_at, id",
    ))
    .all(db)
    .await
    .map_err(|e| e.to_string())?;
    let reps: Vec<Uuid> = column(db, "SELECT id FROM users WHERE role = 'SALES' AND active ORDER BY email").await?;
    let tags: Vec<Uuid> = column(db, "SELECT id FROM tags WHERE deleted_at IS NULL ORDER BY name").await?;
    let admin = *column::<Uuid>(db, "SELECT id FROM users WHERE email = 'admin@scale.clientele.dev'")
        .await?
        .first()
        .ok_or("no admin")?;
    let rep = *column::<Uuid>(db, "SELECT id FROM users WHERE email = 'rep0@scale.clientele.dev'")
        .await?
        .first()
        .ok_or("no rep0")?;
    let survey = *column::<Uuid>(db, "SELECT id FROM surveys WHERE title = 'Relationship NPS'")
        .await?
        .first()
        .ok_or("no NPS survey")?;
    let purchases: Vec<i64> = column(db, "SELECT count(*) FROM purchases").await?;
    if customers.len() < 100 || reps.is_empty() || tags.is_empty() || purchases.first().is_none_or(|n| *n == 0) {
        return Err("the scale data is missing; drop the database and run again".into());
    }
    let mut starts = HashMap::new();
    let mut rng = fastrand::Rng::with_seed(0xc0ffee);
    for owner in [None, Some(rep)] {
        let scoped: Vec<&Customer> = customers.iter().filter(|c| owner.is_none_or(|o| c.owner == o)).collect();
        // Page starts that leave a full page of 50 after them.
        let room = scoped.len().saturating_sub(50).max(1);
        let picked: Vec<Customer> = (0..100).map(|_| scoped[rng.usize(..room)].clone()).collect();
        let global: Vec<_> = picked.iter().map(|c| clientele::graphql::relay::global_id("Customer", c.id)).collect();
        let query =
            "query($ids: [ID!]) { customers(first: 100, filter: {id: {in: $ids}}) { edges { cursor node { id } } } }";
        let data = graphql(json!({"query": query, "variables": {"ids": global}})).await?;
        let mut cursors = HashMap::new();
        for edge in data["customers"]["edges"].as_array().ok_or("no edges")? {
            cursors.insert(edge["node"]["id"].as_str().unwrap_or_default().to_string(), edge["cursor"].clone());
        }
        let with_cursor = picked
            .into_iter()
            .zip(global)
            .map(|(c, id)| match cursors.get(id.as_str()).and_then(Value::as_str) {
                Some(cursor) => Ok((c, cursor.to_string())),
                None => Err(format!("no cursor for customer {}", c.id)),
            })
            .collect::<SetupResult<Vec<_>>>()?;
        starts.insert(owner, with_cursor);
    }
    Ok(World { customers, reps, tags, admin, rep, survey, now: chrono::Utc::now(), starts })
}
