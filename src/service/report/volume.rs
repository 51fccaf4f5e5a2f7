//! Ticket volume: tickets opened and resolved per period (day, week from Monday, month,
//! quarter, year) of the configured time zone (`CLIENTELE_TIME_ZONE`), over the tickets the
//! caller may see.
//!
//! The periods' edges are local midnights, turned into instants here (chrono-tz knows
//! every zone's offsets and daylight-saving moves), so both databases answer with the same
//! grouped statement: each timestamp falls into the period whose edges hold it, by a
//! `CASE` over the edges — no time-zone arithmetic in SQL, which SQLite does not have.

use super::sales::Period;
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::record::counted;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use entity::ticket::{self, Column};
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Most periods one report spans (daily over more than two years asks for a coarser one).
pub const MAX_PERIODS: usize = 800;

/// Tickets opened and resolved in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeRow {
    /// The period's first day (local).
    pub period: NaiveDate,
    pub opened: i64,
    pub resolved: i64,
}

/// The first day of the period holding `day`.
pub fn period_start(period: Period, day: NaiveDate) -> NaiveDate {
    let month_start = |month: u32| NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day);
    match period {
        Period::Day => day,
        Period::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
        Period::Month => month_start(day.month()),
        Period::Quarter => month_start((day.month() - 1) / 3 * 3 + 1),
        Period::Year => month_start(1),
    }
}

/// The first day of the period after the one starting on `start`.
fn next(period: Period, start: NaiveDate) -> Option<NaiveDate> {
    match period {
        Period::Day => start.checked_add_days(Days::new(1)),
        Period::Week => start.checked_add_days(Days::new(7)),
        Period::Month => start.checked_add_months(Months::new(1)),
        Period::Quarter => start.checked_add_months(Months::new(3)),
        Period::Year => start.checked_add_months(Months::new(12)),
    }
}

/// The instant local midnight of `day` begins in `zone` (where a daylight-saving move skips
/// midnight, the first local moment of the day).
pub fn midnight(zone: Tz, day: NaiveDate) -> DateTime<Utc> {
    let mut at = day.and_time(chrono::NaiveTime::MIN);
    for _ in 0..4 {
        if let Some(instant) = zone.from_local_datetime(&at).earliest() {
            return instant.with_timezone(&Utc);
        }
        at += chrono::Duration::minutes(30);
    }
    Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN))
}

/// The periods from `from` up to (not including) `to`: their labels and, one more than
/// them, their edges as instants (the first edge is `from`'s midnight, the last `to`'s).
fn periods(
    zone: Tz,
    period: Period,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(Vec<NaiveDate>, Vec<DateTime<Utc>>)> {
    let mut labels = Vec::new();
    let mut edges = vec![midnight(zone, from)];
    let mut start = period_start(period, from);
    while start < to {
        if labels.len() == MAX_PERIODS {
            return Err(AppError::QueryTooComplex(format!(
                "more than {MAX_PERIODS} periods: choose a longer period or a shorter range"
            )));
        }
        labels.push(start);
        let end = Ord::min(next(period, start).unwrap_or(to), to);
        edges.push(midnight(zone, end));
        start = end;
    }
    Ok((labels, edges))
}

/// Tickets opened and resolved per period from local day `from` up to (not including) `to`.
pub async fn ticket_volume(
    db: &DatabaseConnection,
    viewer: &Viewer,
    period: Period,
    (from, to): (NaiveDate, NaiveDate),
) -> AppResult<Vec<VolumeRow>> {
    if to <= from {
        return Err(AppError::BadUserInput("`to` comes after `from`".into()));
    }
    let (labels, edges) = periods(crate::service::sla::time_zone(), period, from, to)?;
    let mut rows: Vec<VolumeRow> = labels.iter().map(|&period| VolumeRow { period, opened: 0, resolved: 0 }).collect();
    for (column, opened) in [(Column::OpenedAt, true), (Column::ResolvedAt, false)] {
        for (index, count) in counts(db, viewer, column, &edges).await? {
            let Some(row) = usize::try_from(index).ok().and_then(|i| rows.get_mut(i)) else { continue };
            if opened {
                row.opened = count;
            } else {
                row.resolved = count;
            }
        }
    }
    Ok(rows)
}

/// `(period index, tickets)` of the visible tickets whose `column` falls between the first
/// and the last edge, in one grouped statement.
async fn counts(
    db: &DatabaseConnection,
    viewer: &Viewer,
    column: Column,
    edges: &[DateTime<Utc>],
) -> AppResult<Vec<(i64, i64)>> {
    let (Some(first), Some(last)) = (edges.first(), edges.last()) else { return Ok(Vec::new()) };
    let at = || Expr::col((ticket::Entity, column));
    let mut case = CaseStatement::new();
    for (index, edge) in edges.iter().skip(1).enumerate() {
        case = case.case(at().lt(*edge), Expr::val(index as i64));
    }
    let index: Expr = case.finally(Expr::val(-1i64)).into();
    let q = Query::select()
        .expr_as(index, Alias::new("period"))
        .expr_as(Expr::col((ticket::Entity, Column::Id)).count(), Alias::new("count"))
        .from(ticket::Entity)
        .cond_where(counted::<ticket::Entity>(viewer, false))
        .and_where(at().gte(*first))
        .and_where(at().lt(*last))
        .group_by_col(Alias::new("period"))
        .to_owned();
    let backend = db.get_database_backend();
    let rows = db.query_all_raw(backend.build(&q)).await?;
    rows.iter()
        .map(|row| Ok((row.try_get::<i64>("", "period")?, row.try_get::<i64>("", "count")?)))
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods_start_on_mondays_months_quarters_and_years() {
        assert_eq!(period_start(Period::Week, day("2026-03-08")), day("2026-03-02"));
        assert_eq!(period_start(Period::Quarter, day("2026-06-30")), day("2026-04-01"));
        assert_eq!(period_start(Period::Year, day("2026-06-30")), day("2026-01-01"));
        let (labels, edges) =
            periods(chrono_tz::Asia::Shanghai, Period::Month, day("2026-01-15"), day("2026-03-01")).unwrap();
        assert_eq!(labels, [day("2026-01-01"), day("2026-02-01")]);
        // Shanghai's midnight is 16:00 UTC the day before; the first edge is `from`'s.
        assert_eq!(edges[0].to_rfc3339(), "2026-01-14T16:00:00+00:00");
        assert_eq!(edges[2].to_rfc3339(), "2026-02-28T16:00:00+00:00");
    }

    #[test]
    fn edges_follow_daylight_saving() {
        // London moves to summer time on 2026-03-29: midnight is 00:00 UTC before, 23:00 after.
        let zone = chrono_tz::Europe::London;
        assert_eq!(midnight(zone, day("2026-03-29")).to_rfc3339(), "2026-03-29T00:00:00+00:00");
        assert_eq!(midnight(zone, day("2026-03-30")).to_rfc3339(), "2026-03-29T23:00:00+00:00");
        // Where a move skips midnight (Santiago, 2026-09-06), the day begins at 01:00 local.
        let zone = chrono_tz::America::Santiago;
        assert!(midnight(zone, day("2026-09-06")) < midnight(zone, day("2026-09-07")));
        assert!(periods(zone, Period::Day, day("2020-01-01"), day("2026-01-01")).is_err());
    }
}
