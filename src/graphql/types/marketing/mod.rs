//! `Campaign`, `CampaignParticipation`, `Survey`, `SurveyResponse` and `Tag`, one
//! declaration (`record!`) each.

mod campaign;
mod survey;
mod tag;

pub use campaign::*;
pub use survey::*;
pub use tag::*;
