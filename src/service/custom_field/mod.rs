//! Custom fields: definitions admins manage per record type (key, label, type, options,
//! required, sensitive), and the values records carry in their `custom_fields` JSON,
//! checked against the definitions on every write (`values`).

pub mod values;

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::now;
use crate::service::record::{Change, Checked};
use crate::service::validate::{Checker, ErrorCode};
use crate::set_field;
use entity::custom_field::{self, Column};
use entity::enums::{CustomFieldType, CustomRecordType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Statement,
};

crate::writes! {
    inputs custom_field_inputs;
    /// A custom field definition (admins).
    create NewDefinition as CreateCustomFieldDefinitionInput;
    /// Changes to a custom field definition; its key, record type and type stay.
    update DefinitionPatch as UpdateCustomFieldDefinitionInput;
    fields {
        record_type: Enum(CustomRecordType) [create required];
        /// `snake_case`, 1–40 characters, starting with a letter: the value's key.
        key: Text [create required];
        label: Text [create required] [update set];
        field_type: Enum(CustomFieldType) [create required];
        /// The choices of a SELECT or MULTI_SELECT field (1 to 100, distinct).
        options: Texts [create default] [update set];
        /// Every new record must have a value; no write may clear it.
        required: Bool [create default] [update set];
        /// Personal data: masked or denied by role like a phone number.
        sensitive: Bool [create default] [update set];
        /// Order among the record type's fields.
        position: Int [create default] [update set];
    }
}

/// Most options a choice field has.
const MAX_OPTIONS: usize = 100;

/// The row of a new definition, or the field errors.
pub async fn prepare(
    db: &DatabaseConnection,
    _viewer: &Viewer,
    new: NewDefinition,
) -> AppResult<Checked<custom_field::ActiveModel>> {
    let mut c = Checker::default();
    if !valid_key(&new.key) {
        c.push("key", ErrorCode::Invalid, "key must be snake_case: a letter, then letters, digits or _, at most 40");
    } else if key_taken(db, new.record_type, &new.key).await? {
        c.push("key", ErrorCode::AlreadyExists, format!("a field `{}` exists", new.key));
    }
    let label = c.name("label", &new.label, 100);
    let options = check_options(&mut c, new.field_type, &new.options);
    let row = custom_field::ActiveModel {
        record_type: Set(new.record_type),
        key: Set(new.key),
        label: Set(label),
        field_type: Set(new.field_type),
        options: Set(serde_json::json!(options).to_string()),
        required: Set(new.required),
        sensitive: Set(new.sensitive),
        position: Set(new.position),
        ..entity::record::new_row::<custom_field::Entity>(now())
    };
    Ok(c.finish(row))
}

/// The change `patch` makes to `current`.
pub async fn change(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &custom_field::Model,
    patch: DefinitionPatch,
) -> AppResult<Change<custom_field::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = custom_field::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = &patch.label {
        set_field!(row, fields, label, "label", c.name("label", v, 100));
    }
    if let Some(v) = &patch.options {
        let options = check_options(&mut c, current.field_type, v);
        set_field!(row, fields, options, "options", serde_json::json!(options).to_string());
    }
    if let Some(v) = patch.required {
        set_field!(row, fields, required, "required", v);
    }
    if let Some(v) = patch.sensitive {
        set_field!(row, fields, sensitive, "sensitive", v);
    }
    if let Some(v) = patch.position {
        set_field!(row, fields, position, "position", v);
    }
    Ok(c.finish((row, fields)))
}

/// `snake_case`, a letter first, at most 40: safe to name in SQL (index, JSON path).
pub fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && key.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_options(c: &mut Checker, ty: CustomFieldType, raw: &[String]) -> Vec<String> {
    let choice = matches!(ty, CustomFieldType::Select | CustomFieldType::MultiSelect);
    let mut out: Vec<String> = Vec::new();
    for item in raw {
        if let Some(v) = c.text("options", Some(item), 100)
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    if choice && (out.is_empty() || out.len() > MAX_OPTIONS) {
        c.push("options", ErrorCode::Invalid, format!("a choice field takes 1 to {MAX_OPTIONS} distinct options"));
    } else if !choice && !out.is_empty() {
        c.push("options", ErrorCode::Invalid, "only SELECT and MULTI_SELECT fields take options");
    }
    out
}

async fn key_taken(db: &DatabaseConnection, ty: CustomRecordType, key: &str) -> AppResult<bool> {
    let q = custom_field::Entity::find()
        .filter(Column::RecordType.eq(ty))
        .filter(Column::Key.eq(key))
        .filter(Column::DeletedAt.is_null());
    Ok(q.count(db).await? > 0)
}

/// The live definitions of `ty`, in order.
pub async fn definitions<C: ConnectionTrait>(db: &C, ty: CustomRecordType) -> AppResult<Vec<custom_field::Model>> {
    Ok(custom_field::Entity::find()
        .filter(Column::RecordType.eq(ty))
        .filter(Column::DeletedAt.is_null())
        .order_by_asc(Column::Position)
        .order_by_asc(Column::Key)
        .all(db)
        .await?)
}

/// The table whose records `ty` names.
pub fn table(ty: CustomRecordType) -> &'static str {
    match ty {
        CustomRecordType::Customer => "customers",
        CustomRecordType::Contact => "contacts",
        CustomRecordType::Deal => "deals",
        CustomRecordType::Ticket => "tickets",
    }
}

/// A new record's custom fields: `given`, checked against the definitions of `ty`.
pub async fn for_new<C: ConnectionTrait>(
    db: &C,
    c: &mut Checker,
    ty: CustomRecordType,
    given: &[values::FieldValue],
) -> AppResult<serde_json::Value> {
    let defs = definitions(db, ty).await?;
    Ok(values::apply(c, &defs, &serde_json::json!({}), given, true))
}

/// A record's custom fields after `given` (checked against the definitions of `ty`).
pub async fn for_change<C: ConnectionTrait>(
    db: &C,
    c: &mut Checker,
    ty: CustomRecordType,
    current: &serde_json::Value,
    given: &[values::FieldValue],
) -> AppResult<serde_json::Value> {
    let defs = definitions(db, ty).await?;
    Ok(values::apply(c, &defs, current, given, false))
}

/// After a definition is saved: an index on its value, so a filter on it over many
/// records reads the index (the key is a checked identifier, safe to name in SQL).
pub async fn index(db: &sea_orm::DatabaseTransaction, model: &custom_field::Model) -> AppResult<()> {
    let backend = db.get_database_backend();
    let table = table(model.record_type);
    let sql = format!(
        "CREATE INDEX IF NOT EXISTS idx_{table}_cf_{key} ON {table} ({expr})",
        key = model.key,
        expr = values::expression(&model.key)
    );
    db.execute_raw(Statement::from_string(backend, sql)).await?;
    Ok(())
}
