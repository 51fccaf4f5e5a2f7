//! Service levels: the SLA policy as data — first-response and resolution targets by ticket
//! priority × the customer's value tier, in business or calendar hours, with the business
//! calendar — stored as versions (the highest in force), validated and audited; and what
//! follows from it for tickets (`tickets`) and as time passes (`job`).

pub mod calendar;
pub mod job;
pub mod tickets;

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::record::Checked;
use crate::service::validate::{Checker, ErrorCode, FieldError};
use crate::service::{audit, now};
pub use calendar::Calendar;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use entity::enums::{TicketPriority, ValueTier};
use entity::sla_policy;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, TransactionSession, TransactionTrait};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use uuid::Uuid;

/// The time zone of business hours and report periods (`CLIENTELE_TIME_ZONE`).
static TIME_ZONE: OnceLock<Tz> = OnceLock::new();

/// The default of `CLIENTELE_TIME_ZONE`.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Asia::Shanghai;

/// Sets the process's time zone once, at start; later calls keep the first.
pub fn set_time_zone(tz: Tz) {
    let _ = TIME_ZONE.set(tz);
}

/// The configured time zone.
pub fn time_zone() -> Tz {
    TIME_ZONE.get().copied().unwrap_or(DEFAULT_TIME_ZONE)
}

/// Most targets a policy holds.
const MAX_TARGETS: usize = 40;
/// Most holidays a calendar lists.
const MAX_HOLIDAYS: usize = 400;
/// Longest target, in hours (a year).
const MAX_HOURS: f64 = 8_760.0;

/// The targets for tickets of one priority (and one customer value tier, or any tier).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub priority: TicketPriority,
    /// `None`: customers of any other tier, and unclassified ones.
    pub value_tier: Option<ValueTier>,
    pub first_response_hours: f64,
    pub resolution_hours: f64,
    /// Count working hours of the calendar (true) or every hour (false).
    pub business_hours: bool,
}

/// The SLA policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub calendar: Calendar,
    pub targets: Vec<Target>,
}

impl Default for Policy {
    /// An URGENT ticket of a HIGH-value customer is answered within 24 hours, weekends
    /// included (source article 002); the rest in working hours, by priority.
    fn default() -> Self {
        use TicketPriority as P;
        let t = |priority, value_tier, first_response_hours, resolution_hours, business_hours| Target {
            priority,
            value_tier,
            first_response_hours,
            resolution_hours,
            business_hours,
        };
        Policy {
            calendar: Calendar::default(),
            targets: vec![
                t(P::Urgent, Some(ValueTier::High), 24.0, 72.0, false),
                t(P::Urgent, None, 8.0, 40.0, true),
                t(P::High, Some(ValueTier::High), 8.0, 40.0, true),
                t(P::High, None, 16.0, 80.0, true),
                t(P::Normal, None, 24.0, 120.0, true),
                t(P::Low, None, 40.0, 200.0, true),
            ],
        }
    }
}

/// A ticket's due times under a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub first_response: DateTime<Utc>,
    pub resolution: DateTime<Utc>,
}

impl Policy {
    /// The target for `priority` and `tier`: the one naming the tier, else the priority's
    /// default (a checked policy has one for every priority).
    pub fn target(&self, priority: TicketPriority, tier: Option<ValueTier>) -> Option<&Target> {
        let exact =
            tier.and_then(|tier| self.targets.iter().find(|t| t.priority == priority && t.value_tier == Some(tier)));
        exact.or_else(|| self.targets.iter().find(|t| t.priority == priority && t.value_tier.is_none()))
    }

    /// Due times of a ticket opened at `opened` with `priority`, its customer in `tier`.
    pub fn due(&self, opened: DateTime<Utc>, priority: TicketPriority, tier: Option<ValueTier>) -> Option<Due> {
        let target = self.target(priority, tier)?;
        let tz = time_zone();
        let after = |hours: f64| {
            let minutes = (hours * 60.0).round() as i64;
            if target.business_hours {
                self.calendar.add(opened, minutes, tz)
            } else {
                opened + Duration::minutes(minutes)
            }
        };
        Some(Due { first_response: after(target.first_response_hours), resolution: after(target.resolution_hours) })
    }

    /// The policy checked field by field (GraphQL paths such as `targets.2.resolutionHours`);
    /// holidays sorted.
    pub fn checked(mut self) -> Checked<Policy> {
        let mut c = Checker::default();
        let cal = &mut self.calendar;
        if cal.working_days.is_empty() {
            c.push("calendar.workingDays", ErrorCode::Required, "name at least one working day");
        }
        let mut seen = Vec::new();
        for day in &cal.working_days {
            if calendar::weekday(*day).is_none() || seen.contains(day) {
                c.push("calendar.workingDays", ErrorCode::Invalid, "working days are distinct weekdays");
                break;
            }
            seen.push(*day);
        }
        if cal.start >= cal.end {
            c.push("calendar.endTime", ErrorCode::Invalid, "the working day ends after it starts");
        }
        cal.holidays.sort();
        cal.holidays.dedup();
        if cal.holidays.len() > MAX_HOLIDAYS {
            c.push("calendar.holidays", ErrorCode::Invalid, format!("at most {MAX_HOLIDAYS} holidays"));
        }
        if self.targets.len() > MAX_TARGETS {
            c.push("targets", ErrorCode::Invalid, format!("at most {MAX_TARGETS} targets"));
        }
        for (i, t) in self.targets.iter().enumerate() {
            for (field, hours) in
                [("firstResponseHours", t.first_response_hours), ("resolutionHours", t.resolution_hours)]
            {
                if !(hours.is_finite() && hours > 0.0 && hours <= MAX_HOURS) {
                    c.push(&format!("targets.{i}.{field}"), ErrorCode::Invalid, "hours are above 0 and at most 8760");
                }
            }
            if t.resolution_hours < t.first_response_hours {
                c.push(
                    &format!("targets.{i}.resolutionHours"),
                    ErrorCode::Invalid,
                    "resolution comes after the first response",
                );
            }
            if self.targets[..i].iter().any(|o| o.priority == t.priority && o.value_tier == t.value_tier) {
                c.push(&format!("targets.{i}"), ErrorCode::AlreadyExists, "one target per priority and value tier");
            }
        }
        for priority in [TicketPriority::Low, TicketPriority::Normal, TicketPriority::High, TicketPriority::Urgent] {
            if !self.targets.iter().any(|t| t.priority == priority && t.value_tier.is_none()) {
                c.push(
                    "targets",
                    ErrorCode::Required,
                    format!("a target for {} tickets of any value tier is required", priority.as_str()),
                );
            }
        }
        c.finish(self)
    }
}

/// The policy in force: its version (0: the defaults, never changed), when and by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub version: i32,
    pub policy: Policy,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<Uuid>,
}

/// The policy in force.
pub async fn current<C: ConnectionTrait>(db: &C) -> AppResult<Stored> {
    let latest = sla_policy::Entity::find().order_by_desc(sla_policy::Column::Version).one(db).await?;
    Ok(match latest {
        None => Stored { version: 0, policy: Policy::default(), updated_at: None, updated_by: None },
        Some(row) => Stored {
            version: row.version,
            policy: serde_json::from_str(&row.policy)
                .map_err(|e| AppError::internal(format!("stored SLA policy v{}: {e}", row.version)))?,
            updated_at: Some(row.created_at),
            updated_by: row.created_by,
        },
    })
}

/// Replaces the policy (admins only) if it is still at `expected_version`: a new version,
/// audited. Tickets already open keep their due times until their priority or customer
/// tier changes. An invalid policy changes nothing.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    viewer: &Viewer,
    expected_version: i32,
    new: Policy,
) -> AppResult<Checked<Stored>> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins change the SLA policy".into()));
    }
    let new = match new.checked() {
        Ok(policy) => policy,
        Err(errors) => return Ok(Err(errors)),
    };
    let txn = crate::engine::rows::begin_write(db).await?;
    let before = current(&txn).await?;
    if before.version != expected_version {
        return Ok(Err(crate::service::record::stale(expected_version, before.version)));
    }
    let id = entity::new_id();
    let row = sla_policy::ActiveModel {
        id: Set(id),
        version: Set(before.version + 1),
        policy: Set(serde_json::to_string(&new).map_err(AppError::internal)?),
        created_by: Set(Some(viewer.user_id)),
        created_at: Set(now()),
    };
    // The unique version refuses a concurrent update made against the same version.
    if let Err(err) = sla_policy::Entity::insert(row).exec_without_returning(&txn).await {
        if crate::service::record::unique_violation(&err).is_some() {
            return Ok(Err(vec![FieldError::new(
                "expectedVersion",
                ErrorCode::StaleVersion,
                "the policy changed meanwhile; reload and retry",
            )]));
        }
        return Err(err.into());
    }
    let mut changed = Vec::new();
    if before.policy.calendar != new.calendar {
        changed.push("calendar");
    }
    if before.policy.targets != new.targets {
        changed.push("targets");
    }
    audit::record(&txn, viewer, "update", "SlaPolicy", id, &changed).await?;
    let saved = current(&txn).await?;
    txn.commit().await?;
    Ok(Ok(saved))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_valid_and_answers_urgent_high_value_tickets_in_a_day() {
        let policy = Policy::default().checked().expect("valid defaults");
        let opened = DateTime::parse_from_rfc3339("2026-12-05T10:00:00Z").unwrap().with_timezone(&Utc); // a Saturday
        let due = policy.due(opened, TicketPriority::Urgent, Some(ValueTier::High)).unwrap();
        assert_eq!(due.first_response, opened + Duration::hours(24));
        // Other tiers fall back to the priority's default, in working hours (Monday 17:00 local).
        let due = policy.due(opened, TicketPriority::Urgent, Some(ValueTier::Low)).unwrap();
        assert_eq!(due.first_response.to_rfc3339(), "2026-12-07T09:00:00+00:00");
    }

    #[test]
    fn a_policy_is_checked_field_by_field() {
        let mut policy = Policy::default();
        policy.calendar.working_days = vec![1, 1, 9];
        policy.targets[1].resolution_hours = 1.0;
        policy.targets[2].first_response_hours = f64::NAN;
        policy.targets.push(policy.targets[0].clone());
        policy.targets.retain(|t| t.priority != TicketPriority::Low);
        let errors = policy.checked().unwrap_err();
        let fields: Vec<String> = errors.iter().map(|e| e.field[1..].join(".")).collect();
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        assert!(fields.contains(&"calendar.workingDays"), "{fields:?}");
        assert!(fields.contains(&"targets.1.resolutionHours"), "{fields:?}");
        assert!(fields.contains(&"targets.2.firstResponseHours"), "{fields:?}");
        assert!(fields.contains(&"targets.5"), "duplicate: {fields:?}");
        assert!(fields.contains(&"targets"), "LOW has no default: {fields:?}");
    }
}
