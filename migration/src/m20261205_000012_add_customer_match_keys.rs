//! The comparable forms of each customer for finding duplicates: the folded name, its
//! pinyin and the company without its legal suffix, indexed as blocking keys. The server
//! fills them for rows written before this migration (`service::duplicate::backfill`):
//! pinyin needs Rust, not SQL.

use crate::common::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 3] = ["match_name", "match_pinyin", "match_company"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            let mut column = text_null(column);
            manager.alter_table(Table::alter().table("customers").add_column(&mut column).to_owned()).await?;
        }
        for column in ["match_pinyin", "match_company"] {
            manager.create_index(index("customers", &[column])).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["match_pinyin", "match_company"] {
            let name = format!("idx_customers_{column}");
            manager.drop_index(Index::drop().name(name).table("customers").if_exists().to_owned()).await?;
        }
        for column in COLUMNS {
            manager.alter_table(Table::alter().table("customers").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
