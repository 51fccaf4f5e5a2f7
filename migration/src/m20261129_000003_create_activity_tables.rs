//! What happens with a customer: interactions, deals, purchases, tickets, feedback.

use crate::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000003_create_activity_tables"
    }
}

use ForeignKeyAction::{Cascade, Restrict, SetNull};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut deals = record_table("deals");
        deals
            .col(uuid("customer_id"))
            .col(uuid("owner_id"))
            .col(string_len("title", 200))
            .col(code("stage"))
            .col(big_integer("amount_e4"))
            .col(char_len("currency", 3))
            .col(integer("probability"))
            .col(date_null("expected_close_date"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .col(text_null("lost_reason"));
        create(
            manager,
            deals,
            vec![fk("deals", "customer_id", "customers", Cascade), fk("deals", "owner_id", "users", Restrict)],
            vec![index("deals", &["customer_id", "id"]), index("deals", &["owner_id", "stage"])],
        )
        .await?;

        let mut interactions = record_table("interactions");
        interactions
            .col(uuid("customer_id"))
            .col(uuid_null("contact_id"))
            .col(uuid_null("deal_id"))
            .col(uuid("user_id"))
            .col(code("channel"))
            .col(timestamp_with_time_zone("occurred_at"))
            .col(text("summary"))
            .col(text_null("outcome"))
            .col(text_null("next_step"))
            .col(timestamp_with_time_zone_null("next_follow_up_at"));
        create(
            manager,
            interactions,
            vec![
                fk("interactions", "customer_id", "customers", Cascade),
                fk("interactions", "contact_id", "contacts", SetNull),
                fk("interactions", "deal_id", "deals", SetNull),
                fk("interactions", "user_id", "users", Restrict),
            ],
            vec![
                index("interactions", &["customer_id", "occurred_at"]),
                index("interactions", &["deal_id"]),
                index("interactions", &["contact_id"]),
                index("interactions", &["user_id"]),
            ],
        )
        .await?;

        let mut purchases = record_table("purchases");
        purchases
            .col(uuid("customer_id"))
            .col(uuid_null("deal_id"))
            .col(string_len("product", 200))
            .col(integer("quantity"))
            .col(big_integer("amount_e4"))
            .col(char_len("currency", 3))
            .col(date("purchased_at"))
            .col(string_len_null("payment_method", 64));
        create(
            manager,
            purchases,
            vec![fk("purchases", "customer_id", "customers", Cascade), fk("purchases", "deal_id", "deals", SetNull)],
            vec![index("purchases", &["customer_id", "purchased_at"]), index("purchases", &["deal_id"])],
        )
        .await?;

        let mut tickets = record_table("tickets");
        tickets
            .col(string_len_uniq("code", 32))
            .col(uuid("customer_id"))
            .col(uuid_null("contact_id"))
            .col(uuid_null("assignee_id"))
            .col(string_len("subject", 300))
            .col(text_null("description"))
            .col(code("category"))
            .col(code("priority"))
            .col(code("status"))
            .col(timestamp_with_time_zone("opened_at"))
            .col(timestamp_with_time_zone_null("first_response_at"))
            .col(timestamp_with_time_zone_null("resolved_at"))
            .col(timestamp_with_time_zone_null("due_at"))
            .col(text_null("resolution"));
        create(
            manager,
            tickets,
            vec![
                fk("tickets", "customer_id", "customers", Cascade),
                fk("tickets", "contact_id", "contacts", SetNull),
                fk("tickets", "assignee_id", "users", SetNull),
            ],
            vec![
                index("tickets", &["customer_id", "opened_at"]),
                index("tickets", &["assignee_id", "status"]),
                index("tickets", &["contact_id"]),
            ],
        )
        .await?;

        let mut feedback = record_table("feedback");
        feedback
            .col(uuid("customer_id"))
            .col(uuid_null("ticket_id"))
            .col(code("kind"))
            .col(code("sentiment"))
            .col(text("content"))
            .col(string_len_null("source", 64))
            .col(timestamp_with_time_zone("received_at"));
        create(
            manager,
            feedback,
            vec![fk("feedback", "customer_id", "customers", Cascade), fk("feedback", "ticket_id", "tickets", SetNull)],
            vec![index("feedback", &["customer_id", "received_at"]), index("feedback", &["ticket_id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["feedback", "tickets", "purchases", "interactions", "deals"]).await
    }
}
