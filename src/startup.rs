//! Builds the application (pool, migrations, keys, schema, router), binds, serves and
//! shuts down gracefully.

use crate::auth::jwt::JwtKeys;
use crate::config::Config;
use crate::graphql::build_schema;
use crate::http::{AppState, router};
use crate::metrics::Metrics;
use base64::Engine;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The settings key of the generated JWT secret.
const JWT_SECRET_KEY: &str = "jwt_secret";

/// A built, bound application that has not started serving yet.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
    grace: std::time::Duration,
    /// HTTPS: the files and the loaded certificate (reloaded while serving).
    tls: Option<(crate::http::tls::TlsFiles, axum_server::tls_rustls::RustlsConfig)>,
}

/// A start-up failure, with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("{0}")]
    Setup(String),
}

/// Opens the database (migrating when configured) and builds the JWT keys.
pub async fn open(config: &Config, metrics: &Metrics) -> Result<(sea_orm::DatabaseConnection, JwtKeys), StartupError> {
    let db = crate::db::connect(config, metrics).await?;
    let secret = match &config.jwt_secret {
        Some(secret) => {
            // Nothing else needs the database to start: serve (`/readyz` answers 503) and
            // keep trying in the background.
            if !prepare_database(&db, config).await? {
                tokio::spawn(keep_preparing(db.clone(), config.clone()));
            }
            secret.clone()
        }
        None => {
            // The signing secret is kept in the database: wait for it before serving.
            while !prepare_database(&db, config).await? {
                tokio::time::sleep(RETRY_EVERY).await;
            }
            stored_secret(&db).await?
        }
    };
    let keys = JwtKeys::hs256_with(
        secret.as_bytes(),
        &config.jwt_issuer,
        &config.jwt_audience,
        config.jwt_leeway_secs,
        config.jwt_max_ttl_secs,
    )
    .map_err(|e| StartupError::Setup(format!("invalid JWT key: {e:?}")))?
    .remembering(config.fast_paths.tokens);
    keys.self_test().map_err(|e| StartupError::Setup(format!("JWT self-test failed: {e}")))?;
    Ok((db, keys))
}

/// How often an unreachable database is tried again at start.
const RETRY_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Migrates (when configured) if the database answers: `Ok(false)` when it does not
/// (logged; try again later). A database that answers but fails a migration stops the
/// start: waiting would not mend it.
async fn prepare_database(db: &sea_orm::DatabaseConnection, config: &Config) -> Result<bool, StartupError> {
    if let Err(error) = db.ping().await {
        tracing::warn!(%error, "the database is unreachable; trying again");
        return Ok(false);
    }
    if config.migrate {
        crate::db::migrate(&config.database_url).await?;
    }
    // Customers written before the duplicate-matching keys existed get them now.
    let filled = crate::service::duplicate::backfill(db)
        .await
        .map_err(|e| StartupError::Setup(format!("cannot fill the duplicate-matching keys: {e:?}")))?;
    if filled > 0 {
        tracing::info!(filled, "filled the duplicate-matching keys of existing customers");
    }
    Ok(true)
}

/// Retries [`prepare_database`] until it succeeds; a failed migration is logged and the
/// server stays not ready.
async fn keep_preparing(db: sea_orm::DatabaseConnection, config: Config) {
    loop {
        tokio::time::sleep(RETRY_EVERY).await;
        match prepare_database(&db, &config).await {
            Ok(true) => {
                tracing::info!("the database is reachable and migrated: ready");
                return;
            }
            Ok(false) => {}
            Err(error) => {
                tracing::error!(%error, "migrating failed; the server stays not ready");
                return;
            }
        }
    }
}

/// The secret kept in the database, generated on first use so a first run needs no setup.
async fn stored_secret(db: &sea_orm::DatabaseConnection) -> Result<String, StartupError> {
    let setup = |e: crate::error::AppError| StartupError::Setup(format!("cannot read the stored JWT secret: {e:?}"));
    if let Some(secret) = crate::db::setting(db, JWT_SECRET_KEY).await.map_err(setup)? {
        return Ok(secret);
    }
    let mut bytes = [0u8; 48];
    getrandom::fill(&mut bytes).map_err(|e| StartupError::Setup(format!("no randomness for the JWT secret: {e}")))?;
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    tracing::warn!(
        "CLIENTELE_JWT_SECRET is not set: generated a secret and stored it in the database; \
         set CLIENTELE_JWT_SECRET in production"
    );
    crate::db::setting_or_insert(db, JWT_SECRET_KEY, secret).await.map_err(setup)
}

impl Application {
    /// Builds everything and binds the listener (port 0 picks a free port).
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        // One TLS backend for the process (ring, as the database driver uses).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let metrics = Metrics::new();
        let external =
            crate::auth::external::ExternalKeys::from_config(config).map_err(StartupError::Setup)?.map(Arc::new);
        let (db, keys) = open(config, &metrics).await?;
        crate::service::sla::set_time_zone(config.time_zone);
        if let Some(every) = config.sla_sweep_every {
            tokio::spawn(crate::service::sla::job::run_forever(db.clone(), every, crate::service::now));
        }
        if let Some(every) = config.classify_every {
            let check = every.min(std::time::Duration::from_secs(3_600));
            tokio::spawn(crate::service::classification::job::run_forever(
                db.clone(),
                every,
                check,
                crate::service::now,
            ));
        }
        if let Some(every) = config.retention_every {
            let check = every.min(std::time::Duration::from_secs(3_600));
            tokio::spawn(crate::service::retention::run_forever(db.clone(), every, check, crate::service::now));
        }
        let schema = build_schema(Some(db.clone()), config);
        let access = crate::service::access_log::AccessLog::start(db.clone());
        let state = AppState {
            db,
            schema,
            jwt: Arc::new(keys),
            metrics,
            graphiql: config.graphiql,
            external,
            throttle: Arc::new(crate::auth::throttle::LoginThrottle::default()),
            hints: Arc::default(),
            direct: Arc::new(crate::graphql::direct::Settings::new(
                config.limits,
                config.fast_paths.plans,
                config.fast_paths.summaries,
            )),
            budget: Arc::new(crate::http::budget::Budget::new(config.budgets)),
            request_timeout: config.request_timeout,
            verdicts: Arc::new(crate::graphql::verdicts::Verdicts::new(
                config.query_depth_limit,
                config.query_complexity_limit,
                config.fast_paths.verdicts,
            )),
            documents: Arc::new(crate::engine::documents::Documents::new(config.fast_paths.documents)),
            fast: config.fast_paths,
            access,
        };
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| StartupError::Bind { addr: config.listen, source })?;
        let mut router = router(state.clone(), config.max_body_bytes);
        let tls = match &config.tls {
            Some(files) => {
                let loaded = crate::http::tls::load(files).await.map_err(StartupError::Setup)?;
                router = router.layer(axum::middleware::map_response(crate::http::tls::hsts));
                Some((files.clone(), loaded))
            }
            None => None,
        };
        Ok(Self { listener, router, state, grace: config.shutdown_grace, tls })
    }

    /// The bound address.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The shared state (tests use its database pool).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests
    /// finish — for at most the configured grace period.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let access = self.state.access.clone();
        let served = self.serve(shutdown).await;
        // Every access event of the requests served is written before the process ends.
        if tokio::time::timeout(std::time::Duration::from_secs(30), access.flush()).await.is_err() {
            tracing::error!("the personal-data access log could not be written within 30 s of stopping");
        }
        served
    }

    async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        tracing::info!(addr = %self.listener.local_addr()?, tls = self.tls.is_some(), fast_paths = %self.state.fast, "serving");
        if let Some((files, config)) = self.tls {
            return serve_tls(self.listener, self.router, files, config, self.grace, shutdown).await;
        }
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            let _ = stopping_tx.send(());
        };
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let serve = axum::serve(self.listener, service).with_graceful_shutdown(signal);
        let grace = self.grace;
        let deadline = async move {
            if stopping_rx.await.is_err() {
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            result = serve => result,
            () = deadline => {
                tracing::warn!(grace_secs = grace.as_secs(), "in-flight requests still running after the grace period; stopping");
                Ok(())
            }
        }
    }
}

/// Serves HTTPS until `shutdown` resolves, then stops accepting and lets in-flight
/// requests finish for at most `grace`; the certificate is reloaded meanwhile.
async fn serve_tls(
    listener: TcpListener,
    router: axum::Router,
    files: crate::http::tls::TlsFiles,
    config: axum_server::tls_rustls::RustlsConfig,
    grace: std::time::Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let watcher = tokio::spawn(crate::http::tls::watch(files, config.clone()));
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(grace));
    });
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let result =
        axum_server::tls_rustls::from_tcp_rustls(listener.into_std()?, config)?.handle(handle).serve(service).await;
    watcher.abort();
    result
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("stop signal received: finishing in-flight requests");
}
