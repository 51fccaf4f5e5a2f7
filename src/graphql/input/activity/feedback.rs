//! Inputs of feedback.

use crate::graphql::types::enums::{FeedbackKind, Sentiment};
use crate::service::feedback::{FeedbackPatch, NewFeedback};
use crate::{enum_filter, lifecycle_inputs};

enum_filter!(FeedbackKindFilter, FeedbackKind, entity::enums::FeedbackKind);
enum_filter!(SentimentFilter, Sentiment, entity::enums::Sentiment);

pub use crate::graphql::types::activity::{FeedbackFilter, FeedbackOrder, FeedbackOrderField};

lifecycle_inputs!(DeleteFeedbackInput, RestoreFeedbackInput);

crate::service::feedback::feedback_inputs!();
