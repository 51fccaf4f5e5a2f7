//! Native TLS (rustls): HTTPS with HTTP/1.1 and HTTP/2 by ALPN when `CLIENTELE_TLS_CERT` and
//! `CLIENTELE_TLS_KEY` name PEM files; the certificate is reloaded without dropping
//! connections when either file changes (checked every few seconds) or on SIGHUP. TLS
//! responses carry HSTS. Without the files the server speaks plain HTTP (for a proxy that
//! terminates TLS in front of it).

use axum::http::{HeaderValue, header};
use axum_server::tls_rustls::RustlsConfig;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// The certificate chain and private key files (PEM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// HSTS on every TLS response: a year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// How often the files are checked for a change.
const WATCH_EVERY: Duration = Duration::from_secs(5);

/// Loads the files (an unreadable or invalid pair is a start-up error naming them).
pub async fn load(files: &TlsFiles) -> Result<RustlsConfig, String> {
    RustlsConfig::from_pem_file(&files.cert, &files.key).await.map_err(|e| {
        format!("CLIENTELE_TLS_CERT / CLIENTELE_TLS_KEY ({} / {}): {e}", files.cert.display(), files.key.display())
    })
}

/// Adds HSTS to a response.
pub async fn hsts(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    response
}

/// The files' modification times, to notice a change.
fn stamp(files: &TlsFiles) -> Option<(SystemTime, SystemTime)> {
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    Some((modified(&files.cert)?, modified(&files.key)?))
}

/// Reloads the certificate when the files change or on SIGHUP, for as long as the server
/// runs; a pair that fails to load is logged and the one in use kept. New connections get
/// the new certificate; open ones keep theirs.
pub async fn watch(files: TlsFiles, config: RustlsConfig) {
    #[cfg(unix)]
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    let mut last = stamp(&files);
    let mut ticks = tokio::time::interval(WATCH_EVERY);
    loop {
        #[cfg(unix)]
        let signalled = async {
            match hangup.as_mut() {
                Some(signal) => signal.recv().await.is_some(),
                None => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let signalled = std::future::pending::<bool>();
        let forced = tokio::select! {
            _ = ticks.tick() => false,
            got = signalled => got,
        };
        let now = stamp(&files);
        if !forced && now == last {
            continue;
        }
        last = now;
        match config.reload_from_pem_file(&files.cert, &files.key).await {
            Ok(()) => tracing::info!(cert = %files.cert.display(), "TLS certificate reloaded"),
            Err(error) => tracing::warn!(%error, "TLS certificate not reloaded; keeping the one in use"),
        }
    }
}
