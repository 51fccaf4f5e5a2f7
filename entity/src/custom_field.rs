//! A custom field definition: a field a team adds to a record type without a schema change.

use crate::enums::{CustomFieldType, CustomRecordType};
use sea_orm::entity::prelude::*;

/// A row of `custom_field_definitions`; keys are unique per record type among live rows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "custom_field_definitions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub record_type: CustomRecordType,
    /// `snake_case`, the key of the value in the record's `custom_fields`.
    pub key: String,
    pub label: String,
    pub field_type: CustomFieldType,
    /// The choices of a SELECT or MULTI_SELECT field, a JSON array of strings.
    pub options: String,
    pub required: bool,
    /// Personal data: governed by the field policy like a phone number.
    pub sensitive: bool,
    /// Order among the record type's fields.
    pub position: i32,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
