//! Service times: per ticket priority, category or assignee, the tickets opened in a range,
//! how many are resolved, first-response and resolution time percentiles (p50, p90, in
//! seconds, linear interpolation as `percentile_cont`) and the breach rate — over the
//! tickets the caller may see. On PostgreSQL one grouped statement with `percentile_cont`;
//! SQLite has no percentile function, so there the durations are read and ranked here.

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::record::counted;
use chrono::{DateTime, Utc};
use entity::enums::{TicketCategory, TicketPriority, TicketStatus};
use entity::ticket;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, QueryResult};
use std::collections::HashMap;
use uuid::Uuid;

/// Most tickets SQLite ranks in memory for one report.
const MAX_SQLITE_TICKETS: usize = 1_000_000;

/// What the tickets are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceBy {
    Priority,
    Category,
    Assignee,
}

/// The group a row belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Group {
    Priority(TicketPriority),
    Category(TicketCategory),
    Assignee(Option<Uuid>),
}

/// One group's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRow {
    pub group: Group,
    pub opened: i64,
    pub resolved: i64,
    pub first_response_p50: Option<f64>,
    pub first_response_p90: Option<f64>,
    pub resolution_p50: Option<f64>,
    pub resolution_p90: Option<f64>,
    /// Tickets with either service level missed.
    pub breached: i64,
}

impl ServiceRow {
    /// Breached tickets per opened ticket, in percent.
    pub fn breach_rate(&self) -> Option<f64> {
        (self.opened > 0).then(|| (self.breached as f64 / self.opened as f64 * 1000.0).round() / 10.0)
    }
}

impl Group {
    /// The order PostgreSQL gives the stored keys: by their text, none last.
    fn order(&self) -> (bool, String) {
        match self {
            Group::Priority(p) => (false, p.as_str().to_owned()),
            Group::Category(c) => (false, c.as_str().to_owned()),
            Group::Assignee(a) => (a.is_none(), a.map(|u| u.to_string()).unwrap_or_default()),
        }
    }
}

fn column(by: ServiceBy) -> ticket::Column {
    match by {
        ServiceBy::Priority => ticket::Column::Priority,
        ServiceBy::Category => ticket::Column::Category,
        ServiceBy::Assignee => ticket::Column::AssigneeId,
    }
}

/// Seconds from opening to `column`, as the backend computes them.
fn seconds(backend: DbBackend, column: &str) -> Expr {
    Expr::cust(match backend {
        DbBackend::Postgres => format!("EXTRACT(EPOCH FROM (tickets.{column} - tickets.opened_at))"),
        _ => format!("((julianday(tickets.{column}) - julianday(tickets.opened_at)) * 86400.0)"),
    })
}

/// The tickets of the report: visible, opened in `[from, to)`.
fn base(viewer: &Viewer, from: DateTime<Utc>, to: DateTime<Utc>) -> SelectStatement {
    Query::select()
        .from(ticket::Entity)
        .cond_where(counted::<ticket::Entity>(viewer, false))
        .and_where(Expr::col((ticket::Entity, ticket::Column::OpenedAt)).gte(from))
        .and_where(Expr::col((ticket::Entity, ticket::Column::OpenedAt)).lt(to))
        .to_owned()
}

fn breached() -> Expr {
    Expr::cust("CASE WHEN tickets.first_response_breached OR tickets.resolution_breached THEN 1 ELSE 0 END")
}

fn resolved() -> Expr {
    Expr::case(
        Expr::col((ticket::Entity, ticket::Column::Status))
            .is_in([TicketStatus::Resolved.as_str(), TicketStatus::Closed.as_str()]),
        1,
    )
    .finally(0)
    .into()
}

/// The report over tickets opened in `[from, to)`.
pub async fn service_times(
    db: &DatabaseConnection,
    viewer: &Viewer,
    by: ServiceBy,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<ServiceRow>> {
    if to <= from {
        return Err(AppError::BadUserInput("`to` comes after `from`".into()));
    }
    let backend = db.get_database_backend();
    let key = Expr::col((ticket::Entity, column(by)));
    if backend == DbBackend::Postgres {
        let pct = |p: f64, col: &str| {
            Expr::cust(format!(
                "percentile_cont({p}) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (tickets.{col} - tickets.opened_at)))"
            ))
        };
        let mut q = base(viewer, from, to);
        q.expr_as(key.clone(), Alias::new("key"))
            .expr_as(Expr::col((ticket::Entity, ticket::Column::Id)).count(), Alias::new("opened"))
            .expr_as(
                Expr::cust("CAST(SUM(CASE WHEN tickets.status IN ('RESOLVED', 'CLOSED') THEN 1 ELSE 0 END) AS BIGINT)"),
                Alias::new("resolved"),
            )
            .expr_as(pct(0.5, "first_response_at"), Alias::new("fr50"))
            .expr_as(pct(0.9, "first_response_at"), Alias::new("fr90"))
            .expr_as(pct(0.5, "resolved_at"), Alias::new("res50"))
            .expr_as(pct(0.9, "resolved_at"), Alias::new("res90"))
            .expr_as(
                Expr::cust(format!(
                    "CAST(SUM({}) AS BIGINT)",
                    "CASE WHEN tickets.first_response_breached OR tickets.resolution_breached THEN 1 ELSE 0 END"
                )),
                Alias::new("breached"),
            )
            .add_group_by([key.clone()])
            .order_by_expr(key, Order::Asc);
        let rows = db.query_all_raw(backend.build(&q)).await?;
        return rows
            .iter()
            .map(|row| {
                Ok(ServiceRow {
                    group: group(by, row)?,
                    opened: row.try_get("", "opened")?,
                    resolved: row.try_get("", "resolved")?,
                    first_response_p50: millis(row.try_get("", "fr50")?),
                    first_response_p90: millis(row.try_get("", "fr90")?),
                    resolution_p50: millis(row.try_get("", "res50")?),
                    resolution_p90: millis(row.try_get("", "res90")?),
                    breached: row.try_get("", "breached")?,
                })
            })
            .collect();
    }
    let mut q = base(viewer, from, to);
    q.expr_as(key, Alias::new("key"))
        .expr_as(seconds(backend, "first_response_at"), Alias::new("fr"))
        .expr_as(seconds(backend, "resolved_at"), Alias::new("res"))
        .expr_as(resolved(), Alias::new("resolved"))
        .expr_as(breached(), Alias::new("breached"))
        .limit(MAX_SQLITE_TICKETS as u64 + 1);
    let rows = db.query_all_raw(backend.build(&q)).await?;
    if rows.len() > MAX_SQLITE_TICKETS {
        return Err(AppError::QueryTooComplex("too many tickets for SQLite; narrow the range".into()));
    }
    type Acc = (i64, i64, Vec<f64>, Vec<f64>, i64);
    let mut groups: HashMap<Group, Acc> = HashMap::new();
    for row in &rows {
        let acc = groups.entry(group(by, row)?).or_default();
        acc.0 += 1;
        acc.1 += row.try_get::<i64>("", "resolved")?;
        if let Some(fr) = row.try_get::<Option<f64>>("", "fr")? {
            acc.2.push(fr);
        }
        if let Some(res) = row.try_get::<Option<f64>>("", "res")? {
            acc.3.push(res);
        }
        acc.4 += row.try_get::<i64>("", "breached")?;
    }
    let mut groups: Vec<(Group, Acc)> = groups.into_iter().collect();
    groups.sort_by_key(|(g, _)| g.order());
    Ok(groups
        .into_iter()
        .map(|(group, (opened, resolved, mut fr, mut res, breached))| ServiceRow {
            group,
            opened,
            resolved,
            first_response_p50: millis(percentile(&mut fr, 0.5)),
            first_response_p90: millis(percentile(&mut fr, 0.9)),
            resolution_p50: millis(percentile(&mut res, 0.5)),
            resolution_p90: millis(percentile(&mut res, 0.9)),
            breached,
        })
        .collect())
}

fn group(by: ServiceBy, row: &QueryResult) -> AppResult<Group> {
    Ok(match by {
        ServiceBy::Priority => Group::Priority(row.try_get("", "key")?),
        ServiceBy::Category => Group::Category(row.try_get("", "key")?),
        ServiceBy::Assignee => Group::Assignee(row.try_get("", "key")?),
    })
}

/// Seconds to the millisecond: SQLite's day fractions carry float noise, and both databases
/// must answer alike.
fn millis(seconds: Option<f64>) -> Option<f64> {
    seconds.map(|s| (s * 1000.0).round() / 1000.0)
}

/// The `p` percentile of `values` with linear interpolation between ranks (PostgreSQL's
/// `percentile_cont`); `None` when empty.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = p * (values.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    Some(values[lo] + (values[hi] - values[lo]) * (rank - lo as f64))
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_interpolate_like_percentile_cont() {
        let mut v = vec![40.0, 10.0, 20.0, 30.0];
        assert_eq!(percentile(&mut v, 0.5), Some(25.0));
        assert_eq!(percentile(&mut v, 0.9), Some(37.0));
        assert_eq!(percentile(&mut [7.0], 0.9), Some(7.0));
        assert_eq!(percentile(&mut [], 0.5), None);
    }
}
