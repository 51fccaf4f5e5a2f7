//! A satisfaction survey: its questionnaire is a JSON list of questions.

use crate::enums::{SurveyKind, SurveyStatus};
use sea_orm::entity::prelude::*;

/// A row of `surveys`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "surveys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub kind: SurveyKind,
    pub status: SurveyStatus,
    /// `[{key, kind, text, options, min, max, required}]`.
    pub questions: Json,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
