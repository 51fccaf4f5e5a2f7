//! Customers: row-scoped reads, validated writes with optimistic locking, soft delete.

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::page::{Page, PageArgs, SortSpec};
use crate::service::record;
pub use crate::service::record::Checked;
use chrono::{DateTime, NaiveDate, Utc};
use entity::customer::{self, Column};
use entity::enums::{Channel, CustomerKind, CustomerSource, Gender, Industry};
use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection};
use uuid::Uuid;

/// A customer to create; strings are raw client input.
#[derive(Debug, Default, Clone)]
pub struct NewCustomer {
    pub kind: Option<CustomerKind>,
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub occupation: Option<String>,
    pub company_name: Option<String>,
    pub industry: Option<Industry>,
    pub region: Option<String>,
    pub company_size: Option<i32>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_channel: Option<Channel>,
    pub preferences: Vec<String>,
    pub potential_needs: Option<String>,
    pub notes: Option<String>,
    pub source: Option<CustomerSource>,
    pub owner_id: Option<Uuid>,
    pub marketing_consent: bool,
    pub next_follow_up_at: Option<DateTime<Utc>>,
    /// Create even when another customer has the same phone or email.
    pub allow_duplicate: bool,
}

/// Changes to a customer: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Default, Clone)]
pub struct CustomerPatch {
    pub kind: Option<CustomerKind>,
    pub name: Option<String>,
    pub gender: Option<Option<Gender>>,
    pub birth_date: Option<Option<NaiveDate>>,
    pub occupation: Option<Option<String>>,
    pub company_name: Option<Option<String>>,
    pub industry: Option<Option<Industry>>,
    pub region: Option<Option<String>>,
    pub company_size: Option<Option<i32>>,
    pub address: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub preferred_channel: Option<Option<Channel>>,
    pub preferences: Option<Vec<String>>,
    pub potential_needs: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub source: Option<CustomerSource>,
    pub owner_id: Option<Uuid>,
    pub marketing_consent: Option<bool>,
    pub next_follow_up_at: Option<Option<DateTime<Utc>>>,
}

mod checks;
mod write;

pub use write::{change, prepare};

/// What a customer list asks for.
#[derive(Debug, Default)]
pub struct ListQuery {
    /// Translated `filter` argument.
    pub filter: Option<Condition>,
    /// Free text over name, company, phone, email and code.
    pub search: Option<String>,
    /// Sort keys.
    pub order: SortSpec<Column>,
    /// Include soft-deleted rows (admins only).
    pub include_deleted: bool,
}

/// A page of customers plus the statement that counts the whole list (run only when the
/// client asks for `totalCount`).
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    query: ListQuery,
    args: &PageArgs,
) -> AppResult<(Page<customer::Model>, SelectStatement)> {
    let filter = list_filter(viewer, query.filter, query.search.as_deref());
    record::list::<customer::Entity>(db, viewer, filter, &query.order, args, query.include_deleted).await
}

/// A list's `filter` and free-text `search`, as one condition (`None`: every row).
pub fn list_filter(viewer: &Viewer, filter: Option<Condition>, search: Option<&str>) -> Option<Condition> {
    let search = search.map(crate::service::validate::normalize_text).filter(|s| !s.is_empty());
    match (filter, search) {
        (Some(f), Some(s)) => Some(f.add(search_condition(viewer, &s))),
        (None, Some(s)) => Some(search_condition(viewer, &s)),
        (f, None) => f,
    }
}

/// `LIKE '%text%'` over the searchable columns the viewer reads in full (a masked field
/// is not searched: matching on it would reveal it), with `%`, `_` and `\` escaped.
fn search_condition(viewer: &Viewer, text: &str) -> Condition {
    let readable = |field: &str| crate::auth::policy::readable(viewer, "Customer", field);
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    let lower = format!("%{}%", escaped.to_lowercase());
    let like = |col: Column, p: &str| Expr::col(col).like(sea_orm::sea_query::LikeExpr::new(p).escape('\\'));
    let mut any =
        Condition::any().add(like(Column::CompanyName, &pattern)).add(like(Column::Code, &pattern.to_uppercase()));
    if readable("name") {
        any = any.add(like(Column::Name, &pattern));
    }
    if readable("email") {
        any = any.add(like(Column::Email, &lower));
    }
    if readable("phone") {
        if let Some(phone) = crate::service::validate::normalize_phone(text) {
            any = any.add(Column::Phone.eq(phone));
        } else if text.chars().all(|c| c.is_ascii_digit()) {
            any = any.add(like(Column::Phone, &pattern));
        }
    }
    any
}

/// Key fields that are missing: the record is marked to follow up (待跟进), not refused.
pub fn missing_fields(c: &customer::Model) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if c.phone.is_none() && c.email.is_none() {
        missing.push("phone");
        missing.push("email");
    }
    if c.kind == CustomerKind::Company {
        if c.company_name.is_none() {
            missing.push("companyName");
        }
        if c.industry.is_none() {
            missing.push("industry");
        }
    }
    if c.region.is_none() {
        missing.push("region");
    }
    missing
}
