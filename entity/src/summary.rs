//! Dashboard summaries: running totals of deals and purchases, kept current in the
//! transaction of every write that moves them (`service::report::summary`). "No owner" is
//! [`uuid::Uuid::nil`]. Amounts are split sums (see [`crate::money::from_parts`]).

/// Rows of `deal_totals`: deals per customer owner × deal owner × stage × currency.
pub mod deal_total {
    use crate::enums::DealStage;
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "deal_totals")]
    pub struct Model {
        /// The owner of the deal's customer (row scope follows the customer).
        #[sea_orm(primary_key, auto_increment = false)]
        pub scope_owner_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub owner_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub stage: DealStage,
        #[sea_orm(primary_key, auto_increment = false)]
        pub currency: String,
        pub count: i64,
        pub high: i64,
        pub low: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Rows of `sales_totals`: purchases per customer owner × month × currency.
pub mod sales_total {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sales_totals")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub owner_id: Uuid,
        /// The month's first day.
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: Date,
        #[sea_orm(primary_key, auto_increment = false)]
        pub currency: String,
        pub count: i64,
        pub high: i64,
        pub low: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
