//! Customers: row-scoped reads, validated writes with optimistic locking, soft delete.

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::page::{Page, PageArgs, SortSpec};
use crate::service::record;
pub use crate::service::record::Checked;
use entity::customer::{self, Column};
use entity::enums::CustomerKind;
use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection};

crate::writes! {
    inputs customer_inputs;
    /// A new customer. Missing key fields are accepted and flagged (`needsFollowUp`).
    create NewCustomer as CreateCustomerInput, derive(Default);
    /// Changes to a customer. Fields left out stay as they are; an explicit `null` clears.
    update CustomerPatch as UpdateCustomerInput;
    fields {
        kind: Enum(CustomerKind) [create optional] [update set];
        name: Text [create required] [update set];
        gender: Enum(Gender) [create optional] [update clear];
        birth_date: Date [create optional] [update clear];
        occupation: Text [create optional] [update clear];
        company_name: Text [create optional] [update clear];
        industry: Enum(Industry) [create optional] [update clear];
        region: Text [create optional] [update clear];
        company_size: Int [create optional] [update clear];
        address: Text [create optional] [update clear];
        phone: Text
            [create optional "Any common format; stored as E.164 (numbers without `+` are read as mainland China)."]
            [update clear];
        email: Text [create optional] [update clear];
        preferred_channel: Enum(Channel) [create optional] [update clear];
        preferences: Texts [create default] [update set];
        potential_needs: Text [create optional] [update clear];
        /// How soon the potential need matters; HIGH makes it urgent.
        need_priority: Enum(NeedPriority) [create optional] [update clear];
        /// When the customer expects to act on the need; close enough, it is urgent.
        need_expected_date: Date [create optional] [update clear];
        notes: Text [create optional] [update clear];
        source: Enum(CustomerSource) [create optional] [update set];
        owner_id: Id(User) [create optional "Owner (admins and managers only); defaults to the caller."] [update set];
        marketing_consent: Bool [create default] [update set];
        next_follow_up_at: DateTime [create optional] [update clear];
        allow_duplicate: Bool [create default "Create even if a customer with the same phone or email exists (as `duplicatePolicy: ALLOW`)."];
        /// Values of the customer's custom fields (`customFieldDefinitions`); on update, the
        /// given keys change (`null` clears), the rest stay.
        custom_fields: Each(crate::graphql::types::custom_field::CustomFieldValueInput, crate::service::custom_field::values::FieldValue)
            [create default] [update set];
        /// How likely duplicates are treated (default WARN); the payload lists them.
        duplicate_policy: Enum(DuplicatePolicy) [create optional] [update set];
    }
}

mod checks;
pub mod likeness;
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
    let mut any = Condition::any().add(like(Column::Code, &pattern.to_uppercase()));
    if readable("companyName") {
        any = any.add(like(Column::CompanyName, &pattern));
    }
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

/// The customers [`missing_fields`] finds something missing on, as SQL (the follow-up
/// queue's MISSING_FIELDS): the same rule, kept beside it.
pub fn missing_fields_condition() -> Condition {
    Condition::any()
        .add(Column::Phone.is_null().and(Column::Email.is_null()))
        .add(Column::Kind.eq(CustomerKind::Company).and(Column::CompanyName.is_null().or(Column::Industry.is_null())))
        .add(Column::Region.is_null())
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

/// How many live customers the viewer may see match `filter`.
pub async fn count(db: &DatabaseConnection, viewer: &Viewer, filter: Condition) -> AppResult<u64> {
    use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter};
    let visible = record::visible::<customer::Entity>(viewer, false);
    Ok(customer::Entity::find().filter(visible).filter(filter).count(db).await?)
}

/// What follows a new customer in the insert's transaction: its need class (URGENT /
/// ROUTINE), and the MARKETING grant in the consent ledger when it was created with
/// `marketingConsent`.
pub async fn after_create(
    txn: &sea_orm::DatabaseTransaction,
    viewer: &crate::auth::Viewer,
    saved: &customer::Model,
) -> AppResult<()> {
    crate::service::classification::one::reevaluate(txn, saved.id, &["NEED"], crate::service::now()).await?;
    if saved.marketing_consent {
        crate::service::consent::follow_marketing_field(txn, viewer, saved.id, true, "createCustomer").await?;
    }
    Ok(())
}
