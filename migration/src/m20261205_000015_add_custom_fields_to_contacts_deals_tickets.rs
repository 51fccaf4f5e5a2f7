//! Room for custom fields on contacts, deals and tickets too: a JSON object per record, as
//! customers have had from the start (`{}` for the rows already there).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 3] = ["contacts", "deals", "tickets"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            let mut column = json("custom_fields").default(Expr::cust("'{}'")).to_owned();
            manager.alter_table(Table::alter().table(table).add_column(&mut column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager.alter_table(Table::alter().table(table).drop_column("custom_fields").to_owned()).await?;
        }
        Ok(())
    }
}
