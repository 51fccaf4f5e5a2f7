//! Customers: row-scoped reads, validated writes with optimistic locking, soft delete.

use super::page::{Page, PageArgs, SortSpec};
pub use super::record::Checked;
use super::validate::{Checker, ErrorCode};
use super::{now, record, sequence};
use crate::auth::Viewer;
use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use entity::customer::{self, Column};
use entity::enums::{Channel, CustomerKind, CustomerSource, Gender, Industry, LifecycleStage, Role};
use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
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

/// Sortable customer fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
    Name,
    Code,
}

impl SortField {
    /// The column behind the field.
    pub fn column(self) -> Column {
        match self {
            Self::CreatedAt => Column::CreatedAt,
            Self::UpdatedAt => Column::UpdatedAt,
            Self::Name => Column::Name,
            Self::Code => Column::Code,
        }
    }
}

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
    let search = query.search.as_deref().map(super::validate::normalize_text).filter(|s| !s.is_empty());
    let filter = match (query.filter, search) {
        (Some(f), Some(s)) => Some(f.add(search_condition(viewer, &s))),
        (None, Some(s)) => Some(search_condition(viewer, &s)),
        (f, None) => f,
    };
    record::list::<customer::Entity>(db, viewer, filter, &query.order, args, query.include_deleted).await
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
        if let Some(phone) = super::validate::normalize_phone(text) {
            any = any.add(Column::Phone.eq(phone));
        } else if text.chars().all(|c| c.is_ascii_digit()) {
            any = any.add(like(Column::Phone, &pattern));
        }
    }
    any
}

struct Clean {
    name: String,
    occupation: Option<String>,
    company_name: Option<String>,
    region: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    potential_needs: Option<String>,
    notes: Option<String>,
    preferences: Vec<String>,
}

fn clean_preferences(c: &mut Checker, raw: &[String]) -> Vec<String> {
    if raw.len() > 50 {
        c.push("preferences", ErrorCode::Invalid, "at most 50 preferences");
    }
    let mut out: Vec<String> = Vec::new();
    for item in raw {
        if let Some(v) = c.text("preferences", Some(item), 100)
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    out
}

fn check_birth_date(c: &mut Checker, date: Option<NaiveDate>) {
    if let Some(date) = date {
        let today = Utc::now().date_naive();
        if date > today || date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(date) {
            c.push("birthDate", ErrorCode::Invalid, "birthDate must be between 1900-01-01 and today");
        }
    }
}

fn check_company_size(c: &mut Checker, size: Option<i32>) {
    if size.is_some_and(|s| s < 1) {
        c.push("companySize", ErrorCode::Invalid, "companySize must be at least 1");
    }
}

/// Resolves the owner of a new or reassigned customer: SALES always own what they
/// create and may not reassign; ADMIN and MANAGER may name any active user.
async fn check_owner(
    db: &DatabaseConnection,
    viewer: &Viewer,
    c: &mut Checker,
    owner: Option<Uuid>,
) -> AppResult<Uuid> {
    let Some(owner) = owner else { return Ok(viewer.user_id) };
    if owner == viewer.user_id {
        return Ok(owner);
    }
    if !matches!(viewer.role, Role::Admin | Role::Manager) {
        c.push("ownerId", ErrorCode::Forbidden, "only admins and managers assign customers to others");
        return Ok(viewer.user_id);
    }
    let user = entity::user::Entity::find_by_id(owner).one(db).await?;
    match user {
        Some(u) if u.active && u.deleted_at.is_none() => Ok(owner),
        _ => {
            c.push("ownerId", ErrorCode::NotFound, "no such active user");
            Ok(viewer.user_id)
        }
    }
}

/// Another live customer with the same phone or email, if any.
async fn find_duplicate(
    db: &DatabaseConnection,
    phone: Option<&str>,
    email: Option<&str>,
    except: Option<Uuid>,
) -> AppResult<Option<customer::Model>> {
    let mut any = Condition::any();
    if let Some(phone) = phone {
        any = any.add(Column::Phone.eq(phone));
    }
    if let Some(email) = email {
        any = any.add(Column::Email.eq(email));
    }
    if phone.is_none() && email.is_none() {
        return Ok(None);
    }
    let mut select = customer::Entity::find().filter(any).filter(Column::DeletedAt.is_null());
    if let Some(id) = except {
        select = select.filter(Column::Id.ne(id));
    }
    Ok(select.one(db).await?)
}

/// Validates a new customer owned by the viewer (or, for admins and managers, by
/// `ownerId`) into the row to insert, numbered `C` + date + sequence.
pub async fn prepare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewCustomer,
) -> AppResult<Checked<customer::ActiveModel>> {
    super::permission::require_write(viewer, "Customer")?;
    let mut c = Checker::default();
    let clean = Clean {
        name: c.name("name", &input.name, 200),
        occupation: c.text("occupation", input.occupation.as_deref(), 200),
        company_name: c.text("companyName", input.company_name.as_deref(), 200),
        region: c.text("region", input.region.as_deref(), 200),
        address: c.text("address", input.address.as_deref(), 500),
        phone: c.phone("phone", input.phone.as_deref()),
        email: c.email("email", input.email.as_deref()),
        potential_needs: c.long_text("potentialNeeds", input.potential_needs.as_deref(), 5000),
        notes: c.long_text("notes", input.notes.as_deref(), 10_000),
        preferences: clean_preferences(&mut c, &input.preferences),
    };
    check_birth_date(&mut c, input.birth_date);
    check_company_size(&mut c, input.company_size);
    let owner_id = check_owner(db, viewer, &mut c, input.owner_id).await?;
    if c.errors.is_empty()
        && !input.allow_duplicate
        && let Some(dup) = find_duplicate(db, clean.phone.as_deref(), clean.email.as_deref(), None).await?
    {
        c.push(
            if clean.phone.is_some() && dup.phone == clean.phone { "phone" } else { "email" },
            ErrorCode::DuplicateSuspected,
            format!("customer {} has the same phone or email; pass allowDuplicate to create anyway", dup.code),
        );
    }
    let clean = match c.finish(clean) {
        Ok(clean) => clean,
        Err(errors) => return Ok(Err(errors)),
    };
    let now = now();
    // A number drawn for a write that then fails leaves a gap, never a duplicate.
    let code = sequence::next_code(db, "C", now.date_naive()).await?;
    Ok(Ok(customer::ActiveModel {
        id: Set(entity::new_id()),
        code: Set(code),
        kind: Set(input.kind.unwrap_or(CustomerKind::Individual)),
        name: Set(clean.name),
        gender: Set(input.gender),
        birth_date: Set(input.birth_date),
        occupation: Set(clean.occupation),
        company_name: Set(clean.company_name),
        industry: Set(input.industry),
        region: Set(clean.region),
        company_size: Set(input.company_size),
        address: Set(clean.address),
        phone: Set(clean.phone),
        email: Set(clean.email),
        preferred_channel: Set(input.preferred_channel),
        preferences: Set(serde_json::json!(clean.preferences)),
        potential_needs: Set(clean.potential_needs),
        notes: Set(clean.notes),
        source: Set(input.source.unwrap_or(CustomerSource::Other)),
        owner_id: Set(owner_id),
        marketing_consent: Set(input.marketing_consent),
        consent_at: Set(input.marketing_consent.then_some(now)),
        lifecycle_stage: Set(LifecycleStage::Potential),
        value_tier: Set(None),
        next_follow_up_at: Set(input.next_follow_up_at),
        last_interaction_at: Set(None),
        custom_fields: Set(serde_json::json!({})),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    }))
}

/// The change `patch` makes to `current` (only the given fields are written).
pub async fn change(
    db: &DatabaseConnection,
    viewer: &Viewer,
    current: &customer::Model,
    patch: CustomerPatch,
) -> AppResult<record::Change<customer::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = <customer::ActiveModel as Default>::default();
    let mut fields: Vec<&str> = Vec::new();
    macro_rules! set {
        ($field:ident, $name:literal, $value:expr) => {{
            row.$field = Set($value);
            fields.push($name);
        }};
    }
    if let Some(kind) = patch.kind {
        set!(kind, "kind", kind);
    }
    if let Some(name) = &patch.name {
        let v = c.name("name", name, 200);
        set!(name, "name", v);
    }
    if let Some(v) = patch.gender {
        set!(gender, "gender", v);
    }
    if let Some(v) = patch.birth_date {
        check_birth_date(&mut c, v);
        set!(birth_date, "birthDate", v);
    }
    if let Some(v) = &patch.occupation {
        let v = c.text("occupation", v.as_deref(), 200);
        set!(occupation, "occupation", v);
    }
    if let Some(v) = &patch.company_name {
        let v = c.text("companyName", v.as_deref(), 200);
        set!(company_name, "companyName", v);
    }
    if let Some(v) = patch.industry {
        set!(industry, "industry", v);
    }
    if let Some(v) = &patch.region {
        let v = c.text("region", v.as_deref(), 200);
        set!(region, "region", v);
    }
    if let Some(v) = patch.company_size {
        check_company_size(&mut c, v);
        set!(company_size, "companySize", v);
    }
    if let Some(v) = &patch.address {
        let v = c.text("address", v.as_deref(), 500);
        set!(address, "address", v);
    }
    if let Some(v) = &patch.phone {
        let v = c.phone("phone", v.as_deref());
        set!(phone, "phone", v);
    }
    if let Some(v) = &patch.email {
        let v = c.email("email", v.as_deref());
        set!(email, "email", v);
    }
    if let Some(v) = patch.preferred_channel {
        set!(preferred_channel, "preferredChannel", v);
    }
    if let Some(v) = &patch.preferences {
        let v = clean_preferences(&mut c, v);
        set!(preferences, "preferences", serde_json::json!(v));
    }
    if let Some(v) = &patch.potential_needs {
        let v = c.long_text("potentialNeeds", v.as_deref(), 5000);
        set!(potential_needs, "potentialNeeds", v);
    }
    if let Some(v) = &patch.notes {
        let v = c.long_text("notes", v.as_deref(), 10_000);
        set!(notes, "notes", v);
    }
    if let Some(v) = patch.source {
        set!(source, "source", v);
    }
    if let Some(owner) = patch.owner_id
        && owner != current.owner_id
    {
        let v = check_owner(db, viewer, &mut c, Some(owner)).await?;
        set!(owner_id, "ownerId", v);
    }
    if let Some(consent) = patch.marketing_consent
        && consent != current.marketing_consent
    {
        set!(marketing_consent, "marketingConsent", consent);
        row.consent_at = Set(consent.then(now));
    }
    if let Some(v) = patch.next_follow_up_at {
        set!(next_follow_up_at, "nextFollowUpAt", v);
    }
    Ok(c.finish((row, fields)))
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
