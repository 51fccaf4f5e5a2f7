//! Sign-in (login, refresh, logout), API keys, users and teams.

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::LoginThrottle;
use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::idempotency::idempotent;
use crate::graphql::input::auth::*;
use crate::graphql::relay::expect_id;
use crate::graphql::types::all::{Team, User};
use crate::graphql::types::auth::{ApiKey, SignedInUser, TokenPayload};
use crate::graphql::types::user_error::{UserError, user_errors};
use crate::http::answer::ClientAddr;
use crate::payload;
use crate::service::record::{self, Checked};
use crate::service::session::Tokens;
use crate::service::{api_key, session, user};
use async_graphql::{Context, Object, Result, SimpleObject};
use std::sync::Arc;

payload!(/// The result of `createUser`.
    CreateUserPayload { user: User });
payload!(/// The result of `updateUser`.
    UpdateUserPayload { user: User });
payload!(/// The result of `createTeam`.
    CreateTeamPayload { team: Team });

/// The result of `createApiKey`: the key and, this once, its secret.
#[derive(SimpleObject)]
pub struct CreateApiKeyPayload {
    pub api_key: Option<ApiKey>,
    /// Send as `Authorization: ApiKey <secret>`; it cannot be shown again.
    pub secret: Option<String>,
    pub user_errors: Vec<UserError>,
}

/// The result of `revokeApiKey`.
#[derive(SimpleObject)]
pub struct RevokeApiKeyPayload {
    pub api_key: Option<ApiKey>,
    pub user_errors: Vec<UserError>,
}

/// The result of `logout`.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// `true` when a session was ended.
    pub ok: bool,
}

fn keys<'a>(ctx: &Context<'a>) -> Result<&'a Arc<JwtKeys>> {
    Ok(ctx.data::<Arc<JwtKeys>>().map_err(|_| AppError::internal("JWT keys missing from request data"))?)
}

async fn token_payload(ctx: &Context<'_>, tokens: Tokens) -> Result<TokenPayload> {
    // The request is anonymous (it is signing in), so no loader applies: read directly.
    let subject = keys(ctx)?.verify(&tokens.access_token)?;
    let found = user::find_many(context::db(ctx)?, &[subject]).await?.into_iter().next();
    let found = found.ok_or(AppError::Unauthenticated)?;
    let user = SignedInUser {
        id: crate::graphql::relay::global_id("User", found.id),
        name: found.name,
        email: found.email,
        role: found.role.into(),
    };
    Ok(TokenPayload {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        expires_at: tokens.expires_at,
        user,
    })
}

fn require_admin(ctx: &Context<'_>) -> Result<()> {
    if context::viewer(ctx)?.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden("only admins manage users and teams".into()).into())
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs in with email and password: a short-lived access token and a refresh token.
    /// Wrong credentials are `UNAUTHENTICATED`; too many attempts `RATE_LIMITED`.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<TokenPayload> {
        let address = ctx.data_opt::<ClientAddr>().map(|a| a.0);
        if let Ok(throttle) = ctx.data::<Arc<LoginThrottle>>() {
            throttle.check(&input.email, address).map_err(AppError::RateLimited)?;
        }
        let tokens = session::login(context::db(ctx)?, keys(ctx)?, &input.email, &input.password).await?;
        let tokens = tokens.ok_or(AppError::Unauthenticated)?;
        token_payload(ctx, tokens).await
    }

    /// Exchanges a refresh token for a new pair; a token used twice ends its session.
    async fn refresh_token(&self, ctx: &Context<'_>, input: RefreshTokenInput) -> Result<TokenPayload> {
        let tokens = session::refresh(context::db(ctx)?, keys(ctx)?, &input.refresh_token).await?;
        token_payload(ctx, tokens).await
    }

    /// Ends the session of a refresh token; its access tokens stop working at once.
    async fn logout(&self, ctx: &Context<'_>, input: RefreshTokenInput) -> Result<LogoutPayload> {
        Ok(LogoutPayload { ok: session::logout(context::db(ctx)?, &input.refresh_token).await? })
    }

    /// Creates an API key for a PARTNER user (admins). The secret is in this payload only.
    async fn create_api_key(&self, ctx: &Context<'_>, input: CreateApiKeyInput) -> Result<CreateApiKeyPayload> {
        let viewer = context::viewer(ctx)?;
        let owner = expect_id(&input.owner_id, "User").unwrap_or_default();
        let result =
            api_key::create(context::db(ctx)?, viewer, &input.name, &input.scopes, input.expires_at, owner).await?;
        Ok(match result {
            Ok((key, secret)) => {
                CreateApiKeyPayload { api_key: Some(ApiKey(key)), secret: Some(secret), user_errors: vec![] }
            }
            Err(e) => CreateApiKeyPayload { api_key: None, secret: None, user_errors: user_errors(e) },
        })
    }

    /// Revokes an API key at once (admins).
    async fn revoke_api_key(&self, ctx: &Context<'_>, input: RevokeApiKeyInput) -> Result<RevokeApiKeyPayload> {
        let viewer = context::viewer(ctx)?;
        let id = expect_id(&input.id, "ApiKey")?;
        Ok(match api_key::revoke(context::db(ctx)?, viewer, id).await? {
            Ok(key) => RevokeApiKeyPayload { api_key: Some(ApiKey(key)), user_errors: vec![] },
            Err(e) => RevokeApiKeyPayload { api_key: None, user_errors: user_errors(e) },
        })
    }

    /// Creates a user (admins).
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<CreateUserPayload> {
        require_admin(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let team = input.team_id.as_ref().map(|t| expect_id(t, "Team").unwrap_or_default());
            let result = user::create_checked(
                context::db(ctx)?,
                &input.email,
                &input.name,
                input.role.into(),
                team,
                input.password.clone(),
            )
            .await?;
            Ok(from_checked(result, User, key.clone(), |user, errors, key| CreateUserPayload {
                user,
                user_errors: errors,
                client_mutation_id: key,
            }))
        })
        .await
    }

    /// Changes a user's name, role, team or active flag (admins).
    async fn update_user(&self, ctx: &Context<'_>, input: UpdateUserInput) -> Result<UpdateUserPayload> {
        require_admin(ctx)?;
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        let id = expect_id(&input.id, "User")?;
        idempotent(ctx, key.as_deref(), || async {
            let build = |user, errors, key| UpdateUserPayload { user, user_errors: errors, client_mutation_id: key };
            let current =
                match record::begin_update::<entity::user::Entity>(db, viewer, id, input.expected_version).await? {
                    Ok(current) => current,
                    Err(errors) => return Ok(from_checked(Err(errors), User, key.clone(), build)),
                };
            let patch = user::UserPatch {
                name: input.name.clone(),
                role: input.role.map(Into::into),
                team_id: match &input.team_id {
                    async_graphql::MaybeUndefined::Undefined => None,
                    async_graphql::MaybeUndefined::Null => Some(None),
                    async_graphql::MaybeUndefined::Value(t) => Some(Some(expect_id(t, "Team").unwrap_or_default())),
                },
                active: input.active,
                senior: input.senior,
            };
            let result = match user::change(db, &current, patch).await? {
                Ok((row, fields)) => {
                    record::write_versioned::<entity::user::Entity, _>(db, viewer, &current, row, "update", &fields)
                        .await?
                }
                Err(errors) => Err(errors),
            };
            Ok(from_checked(result, User, key.clone(), build))
        })
        .await
    }

    /// Creates a team (admins).
    async fn create_team(&self, ctx: &Context<'_>, input: CreateTeamInput) -> Result<CreateTeamPayload> {
        require_admin(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let result = user::create_team(context::db(ctx)?, &input.name, input.description.as_deref()).await?;
            Ok(from_checked(result, Team, key.clone(), |team, errors, key| CreateTeamPayload {
                team,
                user_errors: errors,
                client_mutation_id: key,
            }))
        })
        .await
    }
}

fn from_checked<M, N, P>(
    result: Checked<M>,
    wrap: impl Fn(M) -> N,
    key: Option<String>,
    build: impl Fn(Option<N>, Vec<UserError>, Option<String>) -> P,
) -> P {
    match result {
        Ok(m) => build(Some(wrap(m)), vec![], key),
        Err(errors) => build(None, user_errors(errors), key),
    }
}
