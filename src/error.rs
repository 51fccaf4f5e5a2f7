//! `AppError`: the one error type of the service layer, and its stable client codes.

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

/// Everything that can go wrong on a request path. Each variant maps to one code of the
/// GraphQL contract (shared/API.md); internal detail is logged, never sent.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// `UNAUTHENTICATED`: missing, expired, malformed or wrongly signed credentials.
    #[error("authentication required")]
    Unauthenticated,
    /// `FORBIDDEN`: the caller's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// `NOT_FOUND`: missing, or not visible to the caller (the two are indistinguishable).
    #[error("not found")]
    NotFound,
    /// `BAD_USER_INPUT`: an argument the schema types could not catch.
    #[error("{0}")]
    BadUserInput(String),
    /// `QUERY_TOO_COMPLEX`: a request limit (page size, depth, aliases) was exceeded.
    #[error("{0}")]
    QueryTooComplex(String),
    /// `RATE_LIMITED`: too many attempts; retry after this many seconds.
    #[error("too many attempts; retry in {0} s")]
    RateLimited(u64),
    /// `INTERNAL`, retryable: the database could not be reached or gave no connection in
    /// time. The payload goes to the log only.
    #[error("the database is busy or unreachable; try again shortly")]
    Unavailable(String),
    /// `INTERNAL`: anything else. The payload goes to the log only.
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// The stable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput(_) => "BAD_USER_INPUT",
            Self::QueryTooComplex(_) => "QUERY_TOO_COMPLEX",
            Self::RateLimited(_) => "RATE_LIMITED",
            Self::Internal(_) | Self::Unavailable(_) => "INTERNAL",
        }
    }

    /// An internal error from anything displayable; the detail is logged here, once.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::Internal(detail.to_string())
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        match err {
            DbErr::RecordNotFound(_) => Self::NotFound,
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => {
                tracing::warn!(error = %err, "database unavailable");
                Self::Unavailable(err.to_string())
            }
            other => Self::internal(other),
        }
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code());
            match self {
                Self::RateLimited(seconds) => ext.set("retryAfter", *seconds),
                Self::Unavailable(_) => ext.set("retryable", true),
                _ => {}
            }
        })
    }
}

// With async-graphql's `custom-error-conversion` feature there is no blanket
// `From<Display>`: a bare `?` on a `DbErr` in a resolver does not compile, and every
// `AppError` reaches the client with its code.
impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        err.extend()
    }
}

/// The result type of services and resolvers.
pub type AppResult<T> = Result<T, AppError>;
