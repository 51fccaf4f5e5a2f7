//! Customers and their contact people.

use crate::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000002_create_customers_and_contacts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut customers = record_table("customers");
        customers
            .col(string_len_uniq("code", 32))
            .col(code("kind"))
            .col(string_len("name", 200))
            .col(code_null("gender"))
            .col(date_null("birth_date"))
            .col(string_len_null("occupation", 200))
            .col(string_len_null("company_name", 200))
            .col(code_null("industry"))
            .col(string_len_null("region", 200))
            .col(integer_null("company_size"))
            .col(string_len_null("address", 500))
            .col(string_len_null("phone", 32))
            .col(string_len_null("email", 320))
            .col(code_null("preferred_channel"))
            .col(json("preferences"))
            .col(text_null("potential_needs"))
            .col(text_null("notes"))
            .col(code("source"))
            .col(uuid("owner_id"))
            .col(boolean("marketing_consent").default(false))
            .col(timestamp_with_time_zone_null("consent_at"))
            .col(code("lifecycle_stage"))
            .col(code_null("value_tier"))
            .col(timestamp_with_time_zone_null("next_follow_up_at"))
            .col(timestamp_with_time_zone_null("last_interaction_at"))
            .col(json("custom_fields"));
        create(
            manager,
            customers,
            vec![fk("customers", "owner_id", "users", ForeignKeyAction::Restrict)],
            vec![
                index("customers", &["owner_id", "id"]),
                index("customers", &["name", "id"]),
                index("customers", &["created_at", "id"]),
                index("customers", &["updated_at", "id"]),
                index("customers", &["phone"]),
                index("customers", &["email"]),
                index("customers", &["deleted_at"]),
            ],
        )
        .await?;

        let mut contacts = record_table("contacts");
        contacts
            .col(uuid("customer_id"))
            .col(string_len("name", 200))
            .col(string_len_null("title", 200))
            .col(code_null("decision_role"))
            .col(string_len_null("phone", 32))
            .col(string_len_null("email", 320))
            .col(boolean("is_primary").default(false))
            .col(text_null("notes"));
        create(
            manager,
            contacts,
            vec![fk("contacts", "customer_id", "customers", ForeignKeyAction::Cascade)],
            vec![index("contacts", &["customer_id", "id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["contacts", "customers"]).await
    }
}
