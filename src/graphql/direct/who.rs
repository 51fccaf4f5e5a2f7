//! The credential check inside a direct read's statement: what authentication reads about a
//! bearer token's user (`auth::authenticate`), read as one more column of the answer, and
//! the comparison that lets the answer go out without a separate lookup.

use super::plan::Planner;
use crate::auth::Viewer;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, DbBackend};

impl Planner<'_> {
    /// What authentication would read about the credential's user, read in the answer's
    /// own statement (an uncorrelated subquery, evaluated once): `[role, team, active,
    /// live, session not revoked]` as text, or NULL without a credential. See
    /// [`confirms`].
    pub(super) fn who(&self) -> Expr {
        use entity::{refresh_token, user};
        let Some(credential) = self.credential else {
            return Func::cast_as(Expr::val(Option::<String>::None), "text").into();
        };
        let mut team = Expr::col((user::Entity, user::Column::TeamId));
        if self.backend == DbBackend::Sqlite {
            team = Func::cust("hex").arg(team).into();
        }
        let session_open = match credential.session {
            Some(family) => Expr::exists(
                sea_orm::sea_query::Query::select()
                    .expr(Expr::val(1))
                    .from(refresh_token::Entity)
                    .and_where(refresh_token::Column::FamilyId.eq(family))
                    .and_where(refresh_token::Column::RevokedAt.is_not_null())
                    .to_owned(),
            )
            .not(),
            None => Expr::val(true),
        };
        let record = self.array(vec![
            Expr::col((user::Entity, user::Column::Role)),
            team,
            Expr::col((user::Entity, user::Column::Active)),
            Expr::col((user::Entity, user::Column::DeletedAt)).is_null(),
            session_open,
        ]);
        let lookup = sea_orm::sea_query::Query::select()
            .expr(Func::cast_as(record, "text"))
            .from(user::Entity)
            .and_where(user::Column::Id.eq(credential.user_id))
            .to_owned();
        Expr::SubQuery(None, Box::new(lookup.into()))
    }
}

/// True when the `who` column of `row` (`[role, team, active, live, session open]`)
/// names `viewer` as authentication would: the user exists, is active and not deleted,
/// the session is open, and role and team are the viewer's.
pub(super) fn confirms(row: Option<&sea_orm::QueryResult>, viewer: &Viewer) -> bool {
    let Some(text) = row.and_then(|r| r.try_get_by_index::<Option<String>>(1).ok().flatten()) else {
        return false;
    };
    let Ok(serde_json::Value::Array(who)) = serde_json::from_str::<serde_json::Value>(&text) else { return false };
    let [role, team, active, live, session] = who.as_slice() else { return false };
    // SQLite answers booleans as 0/1 and the team as hex ('' for none).
    let yes = |v: &serde_json::Value| v.as_bool().unwrap_or(v.as_i64() == Some(1));
    let team = match team.as_str() {
        None | Some("") => None,
        Some(text) => match uuid::Uuid::parse_str(text) {
            Ok(id) => Some(id),
            Err(_) => return false,
        },
    };
    role.as_str() == Some(viewer.role.as_str())
        && team == viewer.team_id
        && yes(active)
        && yes(live)
        && yes(session)
        && viewer.scopes.is_none()
}
