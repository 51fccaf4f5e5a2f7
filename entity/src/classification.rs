//! Classification tables: the versioned rules, each customer's current class per
//! dimension, and the history of changes. Written by the classification service in
//! set-based statements; rows here are read, never built one by one.

/// A version of the classification rules (`rules` is their JSON); the highest version holds.
pub mod rules {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "classification_rules")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub version: i32,
        pub rules: String,
        pub created_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A customer's class on one dimension, since when, and the facts it was decided on.
pub mod current {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
    #[sea_orm(table_name = "customer_classifications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub customer_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub dimension: String,
        /// `None`: the customer has no class on it (a behaviour that stopped holding).
        pub value: Option<String>,
        pub since: DateTimeUtc,
        /// Whole units of the base currency (value: the window's spend).
        pub amount: Option<i64>,
        /// 0–1 (value: the customer's rank by spend, 0 the top).
        pub share: Option<f64>,
        /// The date the class rests on (last interaction, first purchase, expected date …).
        pub at: Option<Date>,
        /// A count the class rests on (interactions in the window …).
        pub count: Option<i32>,
        pub rules_version: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One change of a customer's class on one dimension.
pub mod history {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
    #[sea_orm(table_name = "classification_history")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub customer_id: Uuid,
        pub dimension: String,
        pub from_value: Option<String>,
        pub to_value: Option<String>,
        pub changed_at: DateTimeUtc,
        pub amount: Option<i64>,
        pub share: Option<f64>,
        pub at: Option<Date>,
        pub count: Option<i32>,
        pub rules_version: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
