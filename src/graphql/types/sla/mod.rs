//! Service levels in the API: the `Duration` scalar, a ticket's status history, the SLA
//! policy (`slaPolicy`, `updateSlaPolicy`) and the team leads' queues (`overdueTickets`,
//! `ticketsAtRisk`). The rules live in `service::sla`.

mod history;

pub use history::{IsoDuration, TicketStatusChange, history};

use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::input::activity::{TicketFilter, TicketOrder};
use crate::graphql::relay::{Conn, TotalCount, connection, page_args, page_complexity};
use crate::graphql::types::all::Ticket;
use crate::graphql::types::enums::{TicketPriority, ValueTier};
use crate::service::sla::{self as service, Calendar, Policy, Target};
use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveTime, Utc};
use entity::enums::Role;
use entity::ticket;

/// A day of the week.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

const WEEK: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// When the team works, in the server's time zone.
#[derive(SimpleObject, InputObject, Clone, Debug, serde::Serialize, serde::Deserialize)]
#[graphql(input_name = "BusinessCalendarInput")]
pub struct BusinessCalendar {
    pub working_days: Vec<Weekday>,
    /// Start of the working day, `HH:MM`.
    pub start_time: String,
    /// End of the working day, `HH:MM` (after the start).
    pub end_time: String,
    /// Days off that fall on working days.
    pub holidays: Vec<crate::graphql::relay::Date>,
}

/// The targets for tickets of one priority, for customers of one value tier (or any).
#[derive(SimpleObject, InputObject, Clone, Debug, serde::Serialize, serde::Deserialize)]
#[graphql(input_name = "SlaTargetInput")]
pub struct SlaTarget {
    pub priority: TicketPriority,
    /// `null`: customers of any tier without a target of their own, and unclassified ones.
    pub value_tier: Option<ValueTier>,
    pub first_response_hours: f64,
    pub resolution_hours: f64,
    /// Count the calendar's working hours (true) or every hour (false).
    pub business_hours: bool,
}

/// The SLA policy in force.
#[derive(SimpleObject, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SlaPolicy {
    /// 0 for the defaults; each update adds one. Pass it back as `expectedVersion`.
    pub version: i32,
    /// When this version was made (`null` for the defaults).
    pub updated_at: Option<DateTime<Utc>>,
    /// The IANA time zone of the calendar (`CLIENTELE_TIME_ZONE`).
    pub time_zone: String,
    pub calendar: BusinessCalendar,
    pub targets: Vec<SlaTarget>,
}

impl From<service::Stored> for SlaPolicy {
    fn from(s: service::Stored) -> Self {
        let cal = s.policy.calendar;
        SlaPolicy {
            version: s.version,
            updated_at: s.updated_at,
            time_zone: service::time_zone().name().to_owned(),
            calendar: BusinessCalendar {
                working_days: cal
                    .working_days
                    .iter()
                    .filter_map(|d| WEEK.get(usize::from(*d).wrapping_sub(1)).copied())
                    .collect(),
                start_time: cal.start.format("%H:%M").to_string(),
                end_time: cal.end.format("%H:%M").to_string(),
                holidays: cal.holidays.into_iter().map(crate::graphql::relay::Date).collect(),
            },
            targets: s
                .policy
                .targets
                .into_iter()
                .map(|t| SlaTarget {
                    priority: t.priority.into(),
                    value_tier: t.value_tier.map(Into::into),
                    first_response_hours: t.first_response_hours,
                    resolution_hours: t.resolution_hours,
                    business_hours: t.business_hours,
                })
                .collect(),
        }
    }
}

/// A new SLA policy, replacing the version named.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateSlaPolicyInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    /// The `version` the change was made against; another version is `STALE_VERSION`.
    pub expected_version: i32,
    pub calendar: BusinessCalendar,
    /// At most 40; one per priority and value tier, and one of any tier for every priority.
    pub targets: Vec<SlaTarget>,
}

impl UpdateSlaPolicyInput {
    /// The service's policy, or the errors of the times of day.
    fn policy(&self) -> Result<Policy, Vec<crate::service::validate::FieldError>> {
        use crate::service::validate::{ErrorCode, FieldError};
        let time = |field: &str, text: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map_err(|_| FieldError::new(field, ErrorCode::Invalid, "a time of day, HH:MM"))
        };
        let (start, end) = match (
            time("calendar.startTime", &self.calendar.start_time),
            time("calendar.endTime", &self.calendar.end_time),
        ) {
            (Ok(s), Ok(e)) => (s, e),
            (s, e) => return Err([s.err(), e.err()].into_iter().flatten().collect()),
        };
        let working_days = self
            .calendar
            .working_days
            .iter()
            .map(|d| WEEK.iter().position(|w| w == d).unwrap_or(0) as u8 + 1)
            .collect();
        Ok(Policy {
            calendar: Calendar {
                working_days,
                start,
                end,
                holidays: self.calendar.holidays.iter().map(|d| d.0).collect(),
            },
            targets: self
                .targets
                .iter()
                .map(|t| Target {
                    priority: t.priority.into(),
                    value_tier: t.value_tier.map(Into::into),
                    first_response_hours: t.first_response_hours,
                    resolution_hours: t.resolution_hours,
                    business_hours: t.business_hours,
                })
                .collect(),
        })
    }
}

crate::payload!(/// The result of `updateSlaPolicy`.
    UpdateSlaPolicyPayload { sla_policy: SlaPolicy });

/// Whether `viewer` leads a team: managers and admins.
fn team_lead(viewer: &crate::auth::Viewer) -> Result<()> {
    if matches!(viewer.role, Role::Admin | Role::Manager) {
        Ok(())
    } else {
        Err(AppError::Forbidden("the overdue and at-risk queues are for managers and admins".into()).into())
    }
}

#[derive(Default)]
pub struct SlaQuery;

#[Object]
impl SlaQuery {
    /// The SLA policy in force (readable by every staff role).
    async fn sla_policy(&self, ctx: &Context<'_>) -> Result<SlaPolicy> {
        context::viewer(ctx)?;
        Ok(service::current(context::db(ctx)?).await?.into())
    }

    /// Open tickets past a due time: no first response by its due time, or not resolved by
    /// its due time (managers and admins, within their row scope).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn overdue_tickets(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<TicketFilter>,
        order_by: Option<Vec<TicketOrder>>,
    ) -> Result<Conn<Ticket>> {
        queue(ctx, crate::service::now(), None, (first, after, last, before), filter, order_by).await
    }

    /// Open tickets not yet overdue whose first response or resolution falls due within
    /// `within` (ISO 8601, e.g. `PT4H`).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn tickets_at_risk(
        &self,
        ctx: &Context<'_>,
        within: IsoDuration,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<TicketFilter>,
        order_by: Option<Vec<TicketOrder>>,
    ) -> Result<Conn<Ticket>> {
        queue(ctx, crate::service::now(), Some(within.0), (first, after, last, before), filter, order_by).await
    }
}

/// Open tickets overdue at `now` (`within: None`), or due within `within` and not overdue.
async fn queue(
    ctx: &Context<'_>,
    now: DateTime<Utc>,
    within: Option<chrono::Duration>,
    (first, after, last, before): (Option<i32>, Option<String>, Option<i32>, Option<String>),
    filter: Option<TicketFilter>,
    order_by: Option<Vec<TicketOrder>>,
) -> Result<Conn<Ticket>> {
    let viewer = context::viewer(ctx)?;
    team_lead(viewer)?;
    let mut cond = service::tickets::queue_condition(now, within);
    if let Some(f) = filter {
        cond = cond.add(f.condition(viewer)?);
    }
    let order = TicketOrder::spec(viewer, order_by)?;
    let args = page_args(first, after, last, before);
    let (page, count) =
        crate::service::record::list::<ticket::Entity>(context::db(ctx)?, viewer, Some(cond), &order, &args, false)
            .await?;
    Ok(connection(page, TotalCount::Statement(Box::new(count)), Ticket))
}

#[derive(Default)]
pub struct SlaMutation;

#[Object]
impl SlaMutation {
    /// Replaces the SLA policy (admins): validated, a new version, audited. Tickets opened
    /// from then on, and tickets whose priority or customer tier changes, get its targets.
    async fn update_sla_policy(
        &self,
        ctx: &Context<'_>,
        input: UpdateSlaPolicyInput,
    ) -> Result<UpdateSlaPolicyPayload> {
        let viewer = context::viewer(ctx)?;
        let key = input.client_mutation_id.clone();
        crate::graphql::idempotency::idempotent(ctx, key.as_deref(), || async {
            let payload =
                |policy: Option<SlaPolicy>, errors: Vec<crate::service::validate::FieldError>| UpdateSlaPolicyPayload {
                    sla_policy: policy,
                    user_errors: errors.into_iter().map(crate::graphql::types::user_error::UserError::from).collect(),
                    client_mutation_id: key.clone(),
                };
            let policy = match input.policy() {
                Ok(policy) => policy,
                Err(errors) => return Ok(payload(None, errors)),
            };
            Ok(match service::update(context::db(ctx)?, viewer, input.expected_version, policy).await? {
                Ok(stored) => payload(Some(stored.into()), vec![]),
                Err(errors) => payload(None, errors),
            })
        })
        .await
    }
}
