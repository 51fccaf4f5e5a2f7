//! `UserError`: an expected business outcome reported in a mutation payload.

use crate::service::validate::{ErrorCode, FieldError};
use async_graphql::{Enum, SimpleObject};

/// Why an input was refused.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, serde::Serialize, serde::Deserialize)]
#[graphql(remote = "ErrorCode")]
pub enum UserErrorCode {
    Required,
    Invalid,
    TooLong,
    InvalidPhone,
    InvalidEmail,
    StaleVersion,
    NotFound,
    DuplicateSuspected,
    Forbidden,
    AlreadyExists,
    IdempotencyKeyReused,
    InvalidState,
}

/// A refused input: which field, why, and a message for people.
#[derive(SimpleObject, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct UserError {
    /// Path to the input field, e.g. `["input", "phone"]`.
    pub field: Option<Vec<String>>,
    /// Stable code to switch on.
    pub code: UserErrorCode,
    /// Explanation for people.
    pub message: String,
}

impl From<FieldError> for UserError {
    fn from(e: FieldError) -> Self {
        Self { field: Some(e.field), code: e.code.into(), message: e.message }
    }
}

/// Converts service field errors.
pub fn user_errors(errors: Vec<FieldError>) -> Vec<UserError> {
    errors.into_iter().map(UserError::from).collect()
}
