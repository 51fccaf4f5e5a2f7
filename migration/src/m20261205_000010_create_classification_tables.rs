//! Classification kept with its history: the rules as versioned data, each customer's
//! current class per dimension (value, since when, and the facts behind it), every change
//! of class, and the customer's potential need given a priority and an expected date.

use crate::common::{code, code_null, create, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The facts a class was decided on (for its reason): an amount in whole units of the
/// base currency, a share (0–1), a date and a count, each where the dimension has one.
fn facts(table: &mut TableCreateStatement) {
    table
        .col(big_integer_null("amount"))
        .col(double_null("share"))
        .col(date_null("at"))
        .col(integer_null("count"))
        .col(integer("rules_version"));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let rules = Table::create()
            .table("classification_rules")
            .col(pk_uuid("id"))
            .col(integer_uniq("version"))
            .col(text("rules"))
            .col(uuid_null("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .to_owned();
        create(manager, rules, vec![], vec![]).await?;

        let mut current = Table::create()
            .table("customer_classifications")
            .col(uuid("customer_id"))
            .col(code("dimension"))
            .col(code_null("value"))
            .col(timestamp_with_time_zone("since"))
            .primary_key(Index::create().col("customer_id").col("dimension"))
            .to_owned();
        facts(&mut current);
        create(
            manager,
            current,
            vec![fk("customer_classifications", "customer_id", "customers", ForeignKeyAction::Cascade)],
            vec![index("customer_classifications", &["dimension", "value", "customer_id"])],
        )
        .await?;

        let mut history = Table::create()
            .table("classification_history")
            .col(big_integer("id").auto_increment().primary_key())
            .col(uuid("customer_id"))
            .col(code("dimension"))
            .col(code_null("from_value"))
            .col(code_null("to_value"))
            .col(timestamp_with_time_zone("changed_at"))
            .to_owned();
        facts(&mut history);
        create(
            manager,
            history,
            vec![fk("classification_history", "customer_id", "customers", ForeignKeyAction::Cascade)],
            vec![index("classification_history", &["customer_id", "changed_at"])],
        )
        .await?;

        for column in [code_null("need_priority"), date_null("need_expected_date"), code_null("need_urgency")] {
            let mut column = column;
            manager.alter_table(Table::alter().table("customers").add_column(&mut column).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["need_priority", "need_expected_date", "need_urgency"] {
            manager.alter_table(Table::alter().table("customers").drop_column(column).to_owned()).await?;
        }
        for table in ["classification_history", "customer_classifications", "classification_rules"] {
            manager.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
