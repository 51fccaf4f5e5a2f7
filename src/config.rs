//! Typed configuration, read once from `CLIENTELE_*` environment variables.
//!
//! Every variable is listed in the README; a bad value stops the start with a message
//! naming the variable.

use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// The server's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// `CLIENTELE_LISTEN`: address to bind.
    pub listen: SocketAddr,
    /// `CLIENTELE_TLS_CERT` and `CLIENTELE_TLS_KEY`: PEM files to serve HTTPS with (both or
    /// neither; plain HTTP without them, e.g. behind a proxy that terminates TLS).
    pub tls: Option<crate::http::tls::TlsFiles>,
    /// `CLIENTELE_DATABASE_URL`: `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// `CLIENTELE_DB_MAX_CONNECTIONS`: pool size.
    pub db_max_connections: u32,
    /// `CLIENTELE_MIGRATE`: apply pending migrations at start.
    pub migrate: bool,
    /// `CLIENTELE_JWT_SECRET`: HS256 secret (≥ 32 bytes); generated and stored when unset.
    pub jwt_secret: Option<String>,
    /// `CLIENTELE_JWT_ISSUER`: the `iss` tokens must carry.
    pub jwt_issuer: String,
    /// `CLIENTELE_JWT_AUDIENCE`: the `aud` tokens must carry.
    pub jwt_audience: String,
    /// `CLIENTELE_JWT_LEEWAY_SECS`: clock skew tolerated on `exp`, `nbf` and `iat`.
    pub jwt_leeway_secs: u64,
    /// `CLIENTELE_JWT_MAX_TTL_SECS`: longest lifetime (`exp` − `iat`) a token may have.
    pub jwt_max_ttl_secs: i64,
    /// `CLIENTELE_OIDC_ISSUER`: tokens with this `iss` come from an outside identity provider.
    pub oidc_issuer: Option<String>,
    /// `CLIENTELE_OIDC_AUDIENCE`: the `aud` the identity provider's tokens must carry.
    pub oidc_audience: Option<String>,
    /// `CLIENTELE_OIDC_JWKS`: where its keys are: `https://…` (or `http://` on loopback) or `file:///path`.
    pub oidc_jwks: Option<String>,
    /// `CLIENTELE_OIDC_PUBLIC_KEY_FILE`: a PEM public key instead of a JWKS.
    pub oidc_public_key_file: Option<String>,
    /// `CLIENTELE_OIDC_PUBLIC_KEY_ALG`: `RS256`, `ES256` or `EdDSA`, for the PEM key.
    pub oidc_public_key_alg: Option<String>,
    /// `CLIENTELE_OIDC_JWKS_MIN_REFRESH_SECS`: an unknown `kid` refetches the JWKS at most this often.
    pub oidc_jwks_min_refresh_secs: u64,
    /// `CLIENTELE_OIDC_PROVISION`: create a user on first sight of an unknown subject.
    pub oidc_provision: bool,
    /// `CLIENTELE_OIDC_DEFAULT_ROLE`: the role of provisioned users.
    pub oidc_default_role: String,
    /// `CLIENTELE_LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `CLIENTELE_GRAPHIQL`: serve GraphiQL to browsers on `GET /graphql`.
    pub graphiql: bool,
    /// `CLIENTELE_MAX_BODY_BYTES`: largest accepted request body.
    pub max_body_bytes: usize,
    /// `CLIENTELE_QUERY_DEPTH_LIMIT`: deepest accepted selection nesting.
    pub query_depth_limit: usize,
    /// `CLIENTELE_QUERY_COMPLEXITY_LIMIT`: largest accepted query complexity.
    pub query_complexity_limit: usize,
    /// `CLIENTELE_SHUTDOWN_GRACE_SECS`: how long in-flight requests may finish after a stop signal.
    pub shutdown_grace: Duration,
    /// Document limits: `CLIENTELE_MAX_QUERY_BYTES`, `CLIENTELE_MAX_QUERY_TOKENS`,
    /// `CLIENTELE_MAX_NESTING`, `CLIENTELE_MAX_VARIABLES_DEPTH`, `CLIENTELE_MAX_ROOT_FIELDS`,
    /// `CLIENTELE_MAX_DIRECTIVES_PER_FIELD`, `CLIENTELE_MAX_ALIASES`, `CLIENTELE_MAX_FIELDS`,
    /// `CLIENTELE_MAX_ERRORS` (see `graphql::limits`).
    pub limits: crate::graphql::limits::Limits,
    /// `CLIENTELE_DB_STATEMENT_TIMEOUT_MS`: longest a statement may run (PostgreSQL).
    pub db_statement_timeout: Duration,
    /// `CLIENTELE_DB_ACQUIRE_TIMEOUT_MS`: longest a request waits for a pooled connection.
    pub db_acquire_timeout: Duration,
    /// `CLIENTELE_REQUEST_TIMEOUT_SECS`: longest a GraphQL request may take.
    pub request_timeout: Duration,
    /// Cost budgets per minute: `CLIENTELE_RATE_LIMIT_ADMIN`, `…_MANAGER`, `…_STAFF`
    /// (sales, service, marketing), `…_ANALYST`, `…_PARTNER`, `…_ANONYMOUS` (0: no limit),
    /// shared by `CLIENTELE_INSTANCES` instances (see `http::budget`).
    pub budgets: crate::http::budget::Budgets,
    /// `CLIENTELE_FAST_PATHS`: the speed paths on (`all`, `off`, or a list; see `fast_paths`).
    pub fast_paths: crate::fast_paths::FastPaths,
    /// `CLIENTELE_CLASSIFY_EVERY_HOURS`: how often the in-server classification runs
    /// (default 24; 0: never, e.g. when a scheduler runs `clientele reclassify`).
    pub classify_every: Option<Duration>,
    /// `CLIENTELE_RETENTION_EVERY_HOURS`: how often the in-server retention run applies the
    /// retention policies (default 24; 0: never, e.g. when a scheduler runs `clientele
    /// retention run`).
    pub retention_every: Option<Duration>,
    /// `CLIENTELE_TIME_ZONE`: the IANA zone of business hours (default Asia/Shanghai).
    pub time_zone: chrono_tz::Tz,
    /// `CLIENTELE_SLA_SWEEP_SECS`: how often the service-level sweep runs (default 60;
    /// 0: never).
    pub sla_sweep_every: Option<Duration>,
}

/// A variable that is present but unusable.
#[derive(Debug, thiserror::Error)]
#[error("invalid {name}: {reason}")]
pub struct ConfigError {
    name: &'static str,
    reason: String,
}

/// The default database: a SQLite file beside the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://clientele.db?mode=rwc";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let config = Self {
            listen: parse(&get, "CLIENTELE_LISTEN", "127.0.0.1:8080")?,
            tls: match (get("CLIENTELE_TLS_CERT"), get("CLIENTELE_TLS_KEY")) {
                (Some(cert), Some(key)) => Some(crate::http::tls::TlsFiles { cert: cert.into(), key: key.into() }),
                (None, None) => None,
                (Some(_), None) => return Err(invalid("CLIENTELE_TLS_KEY", "set it with CLIENTELE_TLS_CERT".into())),
                (None, Some(_)) => return Err(invalid("CLIENTELE_TLS_CERT", "set it with CLIENTELE_TLS_KEY".into())),
            },
            database_url: get("CLIENTELE_DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            db_max_connections: parse(&get, "CLIENTELE_DB_MAX_CONNECTIONS", "10")?,
            migrate: parse_bool(&get, "CLIENTELE_MIGRATE", true)?,
            jwt_secret: get("CLIENTELE_JWT_SECRET"),
            jwt_issuer: get("CLIENTELE_JWT_ISSUER").unwrap_or_else(|| "clientele".into()),
            jwt_audience: get("CLIENTELE_JWT_AUDIENCE").unwrap_or_else(|| "clientele-api".into()),
            jwt_leeway_secs: parse(&get, "CLIENTELE_JWT_LEEWAY_SECS", "30")?,
            jwt_max_ttl_secs: parse(&get, "CLIENTELE_JWT_MAX_TTL_SECS", "86400")?,
            oidc_issuer: get("CLIENTELE_OIDC_ISSUER"),
            oidc_audience: get("CLIENTELE_OIDC_AUDIENCE"),
            oidc_jwks: get("CLIENTELE_OIDC_JWKS"),
            oidc_public_key_file: get("CLIENTELE_OIDC_PUBLIC_KEY_FILE"),
            oidc_public_key_alg: get("CLIENTELE_OIDC_PUBLIC_KEY_ALG"),
            oidc_jwks_min_refresh_secs: parse(&get, "CLIENTELE_OIDC_JWKS_MIN_REFRESH_SECS", "60")?,
            oidc_provision: parse_bool(&get, "CLIENTELE_OIDC_PROVISION", false)?,
            oidc_default_role: get("CLIENTELE_OIDC_DEFAULT_ROLE").unwrap_or_else(|| "ANALYST".into()).to_uppercase(),
            log_format: match get("CLIENTELE_LOG_FORMAT").as_deref() {
                None | Some("text") => LogFormat::Text,
                Some("json") => LogFormat::Json,
                Some(other) => {
                    return Err(invalid("CLIENTELE_LOG_FORMAT", format!("`{other}` is not `text` or `json`")));
                }
            },
            graphiql: parse_bool(&get, "CLIENTELE_GRAPHIQL", true)?,
            max_body_bytes: parse(&get, "CLIENTELE_MAX_BODY_BYTES", "1048576")?,
            query_depth_limit: parse(&get, "CLIENTELE_QUERY_DEPTH_LIMIT", "15")?,
            query_complexity_limit: parse(&get, "CLIENTELE_QUERY_COMPLEXITY_LIMIT", "20000")?,
            shutdown_grace: Duration::from_secs(parse(&get, "CLIENTELE_SHUTDOWN_GRACE_SECS", "30")?),
            limits: limits(&get)?,
            db_statement_timeout: Duration::from_millis(parse(&get, "CLIENTELE_DB_STATEMENT_TIMEOUT_MS", "5000")?),
            db_acquire_timeout: Duration::from_millis(parse(&get, "CLIENTELE_DB_ACQUIRE_TIMEOUT_MS", "3000")?),
            request_timeout: Duration::from_secs(parse(&get, "CLIENTELE_REQUEST_TIMEOUT_SECS", "10")?),
            budgets: budgets(&get)?,
            fast_paths: match get("CLIENTELE_FAST_PATHS") {
                Some(text) => {
                    crate::fast_paths::FastPaths::parse(&text).map_err(|e| invalid("CLIENTELE_FAST_PATHS", e))?
                }
                None => crate::fast_paths::FastPaths::ALL,
            },
            classify_every: match parse::<u64>(&get, "CLIENTELE_CLASSIFY_EVERY_HOURS", "24")? {
                0 => None,
                hours => Some(Duration::from_secs(hours.saturating_mul(3_600))),
            },
            retention_every: match parse::<u64>(&get, "CLIENTELE_RETENTION_EVERY_HOURS", "24")? {
                0 => None,
                hours => Some(Duration::from_secs(hours.saturating_mul(3_600))),
            },
            time_zone: parse(&get, "CLIENTELE_TIME_ZONE", "Asia/Shanghai")?,
            sla_sweep_every: match parse::<u64>(&get, "CLIENTELE_SLA_SWEEP_SECS", "60")? {
                0 => None,
                secs => Some(Duration::from_secs(secs)),
            },
        };
        config.check()?;
        Ok(config)
    }

    /// The rules between variables.
    fn check(&self) -> Result<(), ConfigError> {
        if let Some(secret) = &self.jwt_secret
            && secret.len() < 32
        {
            return Err(invalid("CLIENTELE_JWT_SECRET", "must be at least 32 bytes".into()));
        }
        if self.oidc_issuer.is_some() {
            if self.oidc_audience.is_none() {
                return Err(invalid("CLIENTELE_OIDC_AUDIENCE", "required with CLIENTELE_OIDC_ISSUER".into()));
            }
            if self.oidc_jwks.is_none() == self.oidc_public_key_file.is_none() {
                return Err(invalid(
                    "CLIENTELE_OIDC_JWKS",
                    "set exactly one of CLIENTELE_OIDC_JWKS and CLIENTELE_OIDC_PUBLIC_KEY_FILE".into(),
                ));
            }
        }
        if !matches!(self.oidc_default_role.as_str(), "MANAGER" | "SALES" | "SERVICE" | "MARKETING" | "ANALYST") {
            return Err(invalid(
                "CLIENTELE_OIDC_DEFAULT_ROLE",
                "one of MANAGER, SALES, SERVICE, MARKETING, ANALYST".into(),
            ));
        }
        if !(self.database_url.starts_with("sqlite:") || self.database_url.starts_with("postgres")) {
            return Err(invalid("CLIENTELE_DATABASE_URL", "must start with sqlite: or postgres://".into()));
        }
        Ok(())
    }
}

/// The document limits; each must be at least 1, and nesting stays under the parser's
/// hard ceiling.
fn limits(get: &impl Fn(&str) -> Option<String>) -> Result<crate::graphql::limits::Limits, ConfigError> {
    use crate::graphql::limits::{HARD_MAX_NESTING, Limits};
    let d = Limits::default();
    let n = |name: &'static str, default: usize| -> Result<usize, ConfigError> {
        let value: usize = parse(get, name, &default.to_string())?;
        if value == 0 {
            return Err(invalid(name, "must be at least 1".into()));
        }
        Ok(value)
    };
    let limits = Limits {
        query_bytes: n("CLIENTELE_MAX_QUERY_BYTES", d.query_bytes)?,
        tokens: n("CLIENTELE_MAX_QUERY_TOKENS", d.tokens)?,
        nesting: n("CLIENTELE_MAX_NESTING", d.nesting)?,
        variables_depth: n("CLIENTELE_MAX_VARIABLES_DEPTH", d.variables_depth)?,
        root_fields: n("CLIENTELE_MAX_ROOT_FIELDS", d.root_fields)?,
        directives_per_field: n("CLIENTELE_MAX_DIRECTIVES_PER_FIELD", d.directives_per_field)?,
        aliases: n("CLIENTELE_MAX_ALIASES", d.aliases)?,
        fields: n("CLIENTELE_MAX_FIELDS", d.fields)?,
        errors: n("CLIENTELE_MAX_ERRORS", d.errors)?,
    };
    if limits.nesting > HARD_MAX_NESTING || limits.variables_depth > HARD_MAX_NESTING {
        return Err(invalid("CLIENTELE_MAX_NESTING", format!("at most {HARD_MAX_NESTING} (the parser's stack)")));
    }
    Ok(limits)
}

/// The rate-limit budgets (see `http::budget`).
fn budgets(get: &impl Fn(&str) -> Option<String>) -> Result<crate::http::budget::Budgets, ConfigError> {
    let d = crate::http::budget::Budgets::default();
    let n = |name: &'static str, default: u64| parse::<u64>(get, name, &default.to_string());
    let budgets = crate::http::budget::Budgets {
        admin: n("CLIENTELE_RATE_LIMIT_ADMIN", d.admin)?,
        manager: n("CLIENTELE_RATE_LIMIT_MANAGER", d.manager)?,
        staff: n("CLIENTELE_RATE_LIMIT_STAFF", d.staff)?,
        analyst: n("CLIENTELE_RATE_LIMIT_ANALYST", d.analyst)?,
        partner: n("CLIENTELE_RATE_LIMIT_PARTNER", d.partner)?,
        anonymous: n("CLIENTELE_RATE_LIMIT_ANONYMOUS", d.anonymous)?,
        instances: n("CLIENTELE_INSTANCES", d.instances)?,
    };
    if budgets.instances == 0 {
        return Err(invalid("CLIENTELE_INSTANCES", "must be at least 1".into()));
    }
    Ok(budgets)
}

fn invalid(name: &'static str, reason: String) -> ConfigError {
    ConfigError { name, reason }
}

fn parse<T: FromStr>(get: &impl Fn(&str) -> Option<String>, name: &'static str, default: &str) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    let raw = get(name).unwrap_or_else(|| default.to_string());
    raw.trim().parse().map_err(|e: T::Err| invalid(name, format!("`{raw}`: {e}")))
}

fn parse_bool(get: &impl Fn(&str) -> Option<String>, name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match get(name).map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(invalid(name, format!("`{other}` is not a boolean"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_environment() {
        let config = Config::from_lookup(|_| None).unwrap();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
    }

    #[test]
    fn short_jwt_secret_is_refused() {
        let err = Config::from_lookup(|n| (n == "CLIENTELE_JWT_SECRET").then(|| "short".into())).unwrap_err();
        assert!(err.to_string().contains("CLIENTELE_JWT_SECRET"));
    }

    #[test]
    fn bad_listen_names_the_variable() {
        let err = Config::from_lookup(|n| (n == "CLIENTELE_LISTEN").then(|| "nowhere".into())).unwrap_err();
        assert!(err.to_string().contains("CLIENTELE_LISTEN"));
    }
}
