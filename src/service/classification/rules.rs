//! The classification rules as data: named rule kinds with parameters (thresholds,
//! windows, a percentile, the base currency), stored as versions — each change a new
//! version, the highest one in force — validated and audited.

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::record::Checked;
use crate::service::validate::{Checker, ErrorCode, FieldError};
use crate::service::{audit, now};
use chrono::{DateTime, Utc};
use entity::classification::rules;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, TransactionSession, TransactionTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The thresholds and windows of the classification, by dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    pub lifecycle: LifecycleRules,
    pub value: ValueRules,
    pub behaviour: BehaviourRules,
    pub need: NeedRules,
}

/// Lifecycle: POTENTIAL (no purchase) / NEW (first purchase recent) / ESTABLISHED /
/// CHURN_RISK (no interaction for long).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LifecycleRules {
    /// A customer whose first purchase is at most this many months old is NEW.
    pub new_within_months: u32,
    /// A customer with purchases and no interaction for this many months (counted from
    /// the record's creation when it has none) is at CHURN_RISK.
    pub churn_risk_after_months: u32,
}

/// Value: HIGH / MEDIUM / LOW by spend over a window, POTENTIAL when spend is growing.
/// Spend counts purchases in the base currency, in whole units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueRules {
    /// ISO 4217 code of the purchases that count.
    pub base_currency: String,
    /// The spend window, in months back from now.
    pub window_months: u32,
    /// HIGH: at least this spend in the window …
    pub high_threshold: i64,
    /// … or among this top share of customers by spend, in percent.
    pub high_top_percent: u32,
    /// MEDIUM: at least this spend in the window; below it (with a purchase ever), LOW.
    pub medium_threshold: i64,
    /// POTENTIAL: the spend of the last this-many months exceeds that of the same span
    /// before it (and the customer is not HIGH).
    pub growth_months: u32,
}

/// Behaviours, each held or not: HIGH_FREQUENCY, DORMANT, COMPLAINANT.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BehaviourRules {
    /// HIGH_FREQUENCY: at least this many interactions …
    pub high_frequency_interactions: u32,
    /// … within this many days.
    pub high_frequency_days: u32,
    /// DORMANT: no interaction for this many months.
    pub dormant_after_months: u32,
    /// COMPLAINANT: a complaint ticket or complaint feedback within this many months.
    pub complaint_within_months: u32,
}

/// Need urgency, from the customer's potential need: URGENT / ROUTINE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedRules {
    /// URGENT: the need's priority is HIGH, or its expected date is at most this many
    /// days away (or past); any other need is ROUTINE.
    pub urgent_within_days: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            lifecycle: LifecycleRules { new_within_months: 3, churn_risk_after_months: 6 },
            value: ValueRules {
                base_currency: "CNY".to_string(),
                window_months: 12,
                high_threshold: 50_000,
                high_top_percent: 10,
                medium_threshold: 10_000,
                growth_months: 3,
            },
            behaviour: BehaviourRules {
                high_frequency_interactions: 3,
                high_frequency_days: 30,
                dormant_after_months: 3,
                complaint_within_months: 12,
            },
            need: NeedRules { urgent_within_days: 30 },
        }
    }
}

impl Rules {
    /// The rules checked field by field (GraphQL paths such as `value.highThreshold`),
    /// the base currency upper-cased.
    pub fn checked(mut self) -> Checked<Rules> {
        let mut c = Checker::default();
        let months = |c: &mut Checker, field: &str, v: u32| {
            if !(1..=120).contains(&v) {
                c.push(field, ErrorCode::Invalid, format!("{field} must be between 1 and 120 months"));
            }
        };
        months(&mut c, "lifecycle.newWithinMonths", self.lifecycle.new_within_months);
        months(&mut c, "lifecycle.churnRiskAfterMonths", self.lifecycle.churn_risk_after_months);
        months(&mut c, "value.windowMonths", self.value.window_months);
        months(&mut c, "value.growthMonths", self.value.growth_months);
        months(&mut c, "behaviour.dormantAfterMonths", self.behaviour.dormant_after_months);
        months(&mut c, "behaviour.complaintWithinMonths", self.behaviour.complaint_within_months);
        self.value.base_currency = c.currency("value.baseCurrency", Some(&self.value.base_currency), "CNY");
        let v = &self.value;
        if v.medium_threshold < 0 || v.high_threshold < 0 {
            c.push("value.highThreshold", ErrorCode::Invalid, "spend thresholds cannot be negative");
        } else if v.medium_threshold > v.high_threshold {
            c.push("value.mediumThreshold", ErrorCode::Invalid, "mediumThreshold cannot exceed highThreshold");
        }
        if v.high_top_percent > 100 {
            c.push("value.highTopPercent", ErrorCode::Invalid, "highTopPercent must be between 0 and 100");
        }
        let b = &self.behaviour;
        if !(1..=1_000).contains(&b.high_frequency_interactions) {
            c.push("behaviour.highFrequencyInteractions", ErrorCode::Invalid, "must be between 1 and 1000");
        }
        if !(1..=366).contains(&b.high_frequency_days) {
            c.push("behaviour.highFrequencyDays", ErrorCode::Invalid, "must be between 1 and 366 days");
        }
        if self.need.urgent_within_days > 366 {
            c.push("need.urgentWithinDays", ErrorCode::Invalid, "must be between 0 and 366 days");
        }
        c.finish(self)
    }
}

/// The rules in force: their version (0: the defaults, never changed), when and by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The stored row (`None`: the defaults).
    pub id: Option<Uuid>,
    pub version: i32,
    pub rules: Rules,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<Uuid>,
}

/// The rules in force.
pub async fn current<C: ConnectionTrait>(db: &C) -> AppResult<Stored> {
    let latest = rules::Entity::find().order_by_desc(rules::Column::Version).one(db).await?;
    match latest {
        None => Ok(Stored { id: None, version: 0, rules: Rules::default(), updated_at: None, updated_by: None }),
        Some(row) => Ok(Stored {
            id: Some(row.id),
            version: row.version,
            rules: serde_json::from_str(&row.rules)
                .map_err(|e| AppError::internal(format!("stored classification rules v{}: {e}", row.version)))?,
            updated_at: Some(row.created_at),
            updated_by: row.created_by,
        }),
    }
}

/// The rules of one version (the defaults for 0), for reasons given under them.
pub async fn at_version<C: ConnectionTrait>(db: &C, version: i32) -> AppResult<Rules> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let row = rules::Entity::find().filter(rules::Column::Version.eq(version)).one(db).await?;
    match row {
        None => Ok(Rules::default()),
        Some(row) => serde_json::from_str(&row.rules).map_err(|e| AppError::internal(format!("rules v{version}: {e}"))),
    }
}

/// Replaces the rules (admins only) if they are still at `expected_version`: a new
/// version, audited with the rule kinds that changed. Invalid rules change nothing.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    viewer: &Viewer,
    expected_version: i32,
    new: Rules,
) -> AppResult<Checked<Stored>> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins change the classification rules".into()));
    }
    let new = match new.checked() {
        Ok(rules) => rules,
        Err(errors) => return Ok(Err(errors)),
    };
    let txn = crate::engine::rows::begin_write(db).await?;
    let before = current(&txn).await?;
    if before.version != expected_version {
        return Ok(Err(crate::service::record::stale(expected_version, before.version)));
    }
    let changed = changed_kinds(&before.rules, &new);
    let id = entity::new_id();
    let row = rules::ActiveModel {
        id: Set(id),
        version: Set(before.version + 1),
        rules: Set(serde_json::to_string(&new).map_err(|e| AppError::internal(e.to_string()))?),
        created_by: Set(Some(viewer.user_id)),
        created_at: Set(now()),
    };
    // The unique version refuses a concurrent update made against the same version.
    if let Err(err) = rules::Entity::insert(row).exec_without_returning(&txn).await {
        if crate::service::record::unique_violation(&err).is_some() {
            return Ok(Err(vec![FieldError::new(
                "expectedVersion",
                ErrorCode::StaleVersion,
                "the rules changed meanwhile; reload and retry",
            )]));
        }
        return Err(err.into());
    }
    audit::record(&txn, viewer, "update", "ClassificationRules", id, &changed).await?;
    let saved = current(&txn).await?;
    txn.commit().await?;
    Ok(Ok(saved))
}

/// The rule kinds that differ, as GraphQL names.
fn changed_kinds(before: &Rules, after: &Rules) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    if before.lifecycle != after.lifecycle {
        kinds.push("lifecycle");
    }
    if before.value != after.value {
        kinds.push("value");
    }
    if before.behaviour != after.behaviour {
        kinds.push("behaviour");
    }
    if before.need != after.need {
        kinds.push("need");
    }
    kinds
}

/// [`at_version`], kept in memory: a version never changes once written.
pub async fn cached_at_version<C: ConnectionTrait>(db: &C, version: i32) -> AppResult<Rules> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<i32, Rules>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(rules) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&version) {
        return Ok(rules.clone());
    }
    let rules = at_version(db, version).await?;
    // Version 0 (no stored rules) is the defaults; stored versions are kept.
    if version > 0 {
        cache.lock().unwrap_or_else(|p| p.into_inner()).insert(version, rules.clone());
    }
    Ok(rules)
}
