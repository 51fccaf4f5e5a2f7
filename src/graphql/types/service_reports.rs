//! The service reports in the API: service times per priority, category or assignee, and
//! ticket volume per period of the configured time zone. Over exactly the tickets the caller
//! may see; the statements live in `service::report::{service, volume}`.

use super::reports::ReportPeriod;
use crate::graphql::context;
use crate::graphql::relay::{Date, One, one};
use crate::graphql::types::all::User;
use crate::graphql::types::enums::{TicketCategory, TicketPriority};
use crate::service::report::{service, volume};
use async_graphql::{Context, Enum, Object, Result};
use chrono::{DateTime, Utc};

/// What tickets are grouped by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ServiceGroup {
    Priority,
    Category,
    Assignee,
}

/// Service figures of one group of tickets.
pub struct ServiceTimes(service::ServiceRow);

#[Object]
impl ServiceTimes {
    async fn priority(&self) -> Option<TicketPriority> {
        match self.0.group {
            service::Group::Priority(p) => Some(p.into()),
            _ => None,
        }
    }
    async fn category(&self) -> Option<TicketCategory> {
        match self.0.group {
            service::Group::Category(c) => Some(c.into()),
            _ => None,
        }
    }
    /// With `by: ASSIGNEE` (`null` also for unassigned tickets).
    async fn assignee(&self, ctx: &Context<'_>) -> Result<One<User>> {
        match self.0.group {
            service::Group::Assignee(Some(id)) => one::<entity::user::Entity, _>(ctx, Some(id), User).await,
            _ => Ok(None),
        }
    }
    /// Tickets opened in the range.
    async fn opened(&self) -> i64 {
        self.0.opened
    }
    /// Of them, resolved or closed.
    async fn resolved(&self) -> i64 {
        self.0.resolved
    }
    /// Seconds from opening to the first response: median.
    async fn first_response_p50(&self) -> Option<f64> {
        self.0.first_response_p50
    }
    /// … 90th percentile.
    async fn first_response_p90(&self) -> Option<f64> {
        self.0.first_response_p90
    }
    /// Seconds from opening to resolution: median.
    async fn resolution_p50(&self) -> Option<f64> {
        self.0.resolution_p50
    }
    /// … 90th percentile.
    async fn resolution_p90(&self) -> Option<f64> {
        self.0.resolution_p90
    }
    /// Tickets that missed a service level.
    async fn breached(&self) -> i64 {
        self.0.breached
    }
    /// `breached` per opened ticket, in percent.
    async fn breach_rate(&self) -> Option<f64> {
        self.0.breach_rate()
    }
}

/// Tickets opened and resolved in one period.
pub struct TicketVolume(volume::VolumeRow);

#[Object]
impl TicketVolume {
    /// The period's first day, in the configured time zone (`CLIENTELE_TIME_ZONE`).
    async fn period(&self) -> Date {
        Date(self.0.period)
    }
    /// Tickets opened in the period.
    async fn opened(&self) -> i64 {
        self.0.opened
    }
    /// Tickets whose (latest) resolution falls in the period.
    async fn resolved(&self) -> i64 {
        self.0.resolved
    }
}

#[derive(Default)]
pub struct ServiceReportsQuery;

#[Object]
impl ServiceReportsQuery {
    /// Tickets opened in `[from, to)` per priority, category or assignee: how many, how many
    /// resolved, first-response and resolution time percentiles, breaches.
    async fn service_times(
        &self,
        ctx: &Context<'_>,
        by: ServiceGroup,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ServiceTimes>> {
        let viewer = context::viewer(ctx)?;
        let by = match by {
            ServiceGroup::Priority => service::ServiceBy::Priority,
            ServiceGroup::Category => service::ServiceBy::Category,
            ServiceGroup::Assignee => service::ServiceBy::Assignee,
        };
        let rows = service::service_times(context::db(ctx)?, viewer, by, from, to).await?;
        Ok(rows.into_iter().map(ServiceTimes).collect())
    }

    /// Tickets opened and resolved per period from local day `from` up to (not including)
    /// `to`, periods in the configured time zone (`CLIENTELE_TIME_ZONE`); every period of the
    /// range is listed, empty ones with zeros.
    async fn ticket_volume(
        &self,
        ctx: &Context<'_>,
        period: ReportPeriod,
        from: Date,
        to: Date,
    ) -> Result<Vec<TicketVolume>> {
        let viewer = context::viewer(ctx)?;
        let rows = volume::ticket_volume(context::db(ctx)?, viewer, period.into(), (from.0, to.0)).await?;
        Ok(rows.into_iter().map(TicketVolume).collect())
    }
}
