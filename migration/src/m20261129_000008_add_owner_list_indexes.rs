//! Indexes for "one owner's customers, in an order": the sales rep's own lists. Without
//! them a page of one owner's customers by name walked the whole name index, filtering by
//! owner (about 100 ms at 100,000 customers instead of under 1 ms).

use crate::common::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&[&str]; 2] = [&["owner_id", "name", "id"], &["owner_id", "created_at", "id"]];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for columns in INDEXES {
            manager.create_index(index("customers", columns).if_not_exists().to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for columns in INDEXES {
            let name = format!("idx_customers_{}", columns.join("_"));
            manager.drop_index(Index::drop().name(name).table("customers").if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
