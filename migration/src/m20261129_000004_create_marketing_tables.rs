//! Campaigns, surveys and tags.

use crate::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000004_create_marketing_tables"
    }
}

use ForeignKeyAction::{Cascade, SetNull};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut campaigns = record_table("campaigns");
        campaigns
            .col(string_len("name", 200))
            .col(code("kind"))
            .col(text_null("description"))
            .col(date("starts_on"))
            .col(date_null("ends_on"));
        create(manager, campaigns, vec![], vec![index("campaigns", &["starts_on"])]).await?;

        let mut participations = record_table("campaign_participations");
        participations.col(uuid("campaign_id")).col(uuid("customer_id")).col(code("status"));
        create(
            manager,
            participations,
            vec![
                fk("campaign_participations", "campaign_id", "campaigns", Cascade),
                fk("campaign_participations", "customer_id", "customers", Cascade),
            ],
            vec![
                index("campaign_participations", &["campaign_id", "customer_id"]).unique().to_owned(),
                index("campaign_participations", &["customer_id"]),
            ],
        )
        .await?;

        let mut surveys = record_table("surveys");
        surveys.col(string_len("title", 200)).col(code("kind")).col(code("status")).col(json("questions"));
        create(manager, surveys, vec![], vec![]).await?;

        let mut responses = record_table("survey_responses");
        responses
            .col(uuid("survey_id"))
            .col(uuid("customer_id"))
            .col(uuid_null("ticket_id"))
            .col(json("answers"))
            .col(double_null("score"))
            .col(timestamp_with_time_zone("submitted_at"));
        create(
            manager,
            responses,
            vec![
                fk("survey_responses", "survey_id", "surveys", Cascade),
                fk("survey_responses", "customer_id", "customers", Cascade),
                fk("survey_responses", "ticket_id", "tickets", SetNull),
            ],
            vec![
                index("survey_responses", &["customer_id", "submitted_at"]),
                index("survey_responses", &["survey_id"]),
                index("survey_responses", &["ticket_id"]),
            ],
        )
        .await?;

        let mut tags = record_table("tags");
        tags.col(string_len("name", 100)).col(string_len("dimension", 64)).col(string_len_null("color", 16));
        create(manager, tags, vec![], vec![index("tags", &["dimension", "name"]).unique().to_owned()]).await?;

        let mut customer_tags = link_table("customer_tags");
        customer_tags.col(uuid("customer_id")).col(uuid("tag_id"));
        create(
            manager,
            customer_tags,
            vec![
                fk("customer_tags", "customer_id", "customers", Cascade),
                fk("customer_tags", "tag_id", "tags", Cascade),
            ],
            vec![
                index("customer_tags", &["customer_id", "tag_id"]).unique().to_owned(),
                index("customer_tags", &["tag_id", "customer_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["customer_tags", "tags", "survey_responses", "surveys", "campaign_participations", "campaigns"])
            .await
    }
}
