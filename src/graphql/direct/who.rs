//! The credential check inside a direct read's statement: whether the bearer token's
//! credential stands and names the guessed viewer ([`Credential::names`], the predicate
//! authentication and the gate use too), read as one more column of the answer, so the
//! answer can go out without a separate lookup.

use super::plan::Planner;
use crate::auth::gate::Credential;
use sea_orm::sea_query::{Expr, Func};

impl Planner<'_> {
    /// The column `who`: whether the credential names the viewer (an uncorrelated
    /// subquery, evaluated once), or NULL without a credential. See [`confirms`].
    pub(super) fn who(&self) -> Expr {
        match self.credential {
            Some(credential) => Credential::names(credential, self.viewer),
            None => Func::cast_as(Expr::val(Option::<bool>::None), "boolean").into(),
        }
    }
}

/// True when the `who` column of `row` says the credential names the viewer the answer
/// was computed for (SQLite answers the boolean as 0/1).
pub(super) fn confirms(row: Option<&sea_orm::QueryResult>) -> bool {
    row.and_then(|r| r.try_get_by_index::<Option<bool>>(1).ok().flatten()).unwrap_or(false)
}
