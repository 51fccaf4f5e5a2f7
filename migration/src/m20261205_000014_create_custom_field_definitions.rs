//! Custom field definitions: the fields a team adds to customers without a schema change
//! (key, label, type, options, required, sensitive). Values live in the record's
//! `custom_fields` JSON; each definition gets an expression index on its key when created.

use crate::common::{code, create, index, record_table};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = record_table("custom_field_definitions");
        table
            .col(code("record_type"))
            .col(string_len("key", 40))
            .col(string_len("label", 100))
            .col(code("field_type"))
            .col(text("options"))
            .col(boolean("required"))
            .col(boolean("sensitive"))
            .col(integer("position"));
        create(manager, table, vec![], vec![index("custom_field_definitions", &["record_type", "key"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("custom_field_definitions").if_exists().to_owned()).await
    }
}
