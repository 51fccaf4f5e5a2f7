//! `cargo bench --bench workload [-- --quick] [--database-url URL] [--scale N] [--json FILE]`
//!
//! Starts the release server against a PostgreSQL database (created, migrated and seeded
//! with `clientele seed --scale N` when needed), starts the one-SQL floor beside it, checks
//! that both give the same answers, then drives five record queries and four reports with `wrk` as an ADMIN and a
//! SALES rep at 1 and 8 connections. Reports requests/s, p50/p99, server and database CPU
//! per request, SQL statements per request and peak RSS, as a table and as JSON.

mod extras;
mod floor;
mod load;
mod procs;
mod queries;
mod report;
mod setup;

use clap::Parser;
use procs::Server;
use queries::{QUERIES, Query, Sample};
use serde_json::Value;
use setup::{BIN, SetupResult};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

#[derive(Parser)]
#[command(about = "Clientele's workload benchmark beside a one-SQL floor")]
struct Args {
    /// Tiny scale and one-second runs: proves the harness works (CI runs this).
    #[arg(long)]
    quick: bool,
    /// PostgreSQL database to use (created if missing); default
    /// `$CLIENTELE_BENCH_DATABASE_URL` or `postgres://postgres@127.0.0.1:5432/clientele_bench_<scale>_s2`.
    #[arg(long)]
    database_url: Option<String>,
    /// Scale of the seeded data (1 = 100,000 customers); default 1, or 0.01 with --quick.
    #[arg(long)]
    scale: Option<f64>,
    /// Seconds per measured run; default 10, or 1 with --quick.
    #[arg(long)]
    seconds: Option<u64>,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
    /// Internal: serve the floor on this port (the harness starts itself with it).
    #[arg(long, hide = true)]
    serve_floor: Option<u16>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // reqwest is built without a default TLS provider (as in the server); plain HTTP only here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("workload: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match args.serve_floor {
        Some(port) => runtime.block_on(floor::serve(args.database_url.as_deref().unwrap_or_default(), port)),
        None => runtime.block_on(run(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("workload: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A viewer the workload runs as: role, `Authorization` header, row scope.
struct Viewer {
    role: &'static str,
    authorization: String,
    owner: Option<uuid::Uuid>,
}

async fn run(args: Args) -> SetupResult<()> {
    let scale = args.scale.unwrap_or(if args.quick { 0.01 } else { 1.0 });
    let seconds = args.seconds.unwrap_or(if args.quick { 1 } else { 10 }).max(1);
    let url = args.database_url.clone().unwrap_or_else(|| {
        std::env::var("CLIENTELE_BENCH_DATABASE_URL").unwrap_or_else(|_| {
            // `_s2`: the seed with purchases and answered tickets (the reports need them).
            format!("postgres://postgres@127.0.0.1:5432/clientele_bench_{}_s2", scale.to_string().replace('.', "_"))
        })
    });
    if !url.starts_with("postgres") {
        return Err("the floor is written in PostgreSQL's SQL: give a postgres:// --database-url".into());
    }
    if !load::available() {
        return Err("wrk is not installed (apt-get install wrk)".into());
    }
    setup::ensure_database(&url).await?;
    let db = sea_orm::Database::connect(&url).await.map_err(|e| e.to_string())?;
    setup::seed(&db, &url, scale).await?;
    let token = |email: &str| setup::cli(&url, &["token", "--user", email, "--ttl", "2h"]);
    let admin_token = token("admin@scale.clientele.dev")?;
    let rep_token = token("rep0@scale.clientele.dev")?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;

    let port = procs::free_port()?;
    let log = std::fs::File::create(dir.path().join("server.log")).map_err(|e| e.to_string())?;
    let mut command = Command::new(BIN);
    command
        .arg("serve")
        .env("CLIENTELE_DATABASE_URL", &url)
        .env("CLIENTELE_LISTEN", format!("127.0.0.1:{port}"))
        // Budgets far above what wrk can spend: every request is still costed and charged
        // (that work is measured), none is refused.
        .env("CLIENTELE_RATE_LIMIT_ADMIN", "1000000000000")
        .env("CLIENTELE_RATE_LIMIT_STAFF", "1000000000000")
        .stdout(Stdio::null())
        .stderr(log);
    let server = Server::start("clientele", command, port, "/readyz").await?;
    let idle_rss_mib = procs::memory_mib(server.pid(), "VmRSS");

    let floor_port = procs::free_port()?;
    let mut command = Command::new(std::env::current_exe().map_err(|e| e.to_string())?);
    command.args(["--serve-floor", &floor_port.to_string(), "--database-url", &url]);
    let floor = Server::start("floor", command, floor_port, "/healthz").await?;

    let client = reqwest::Client::new();
    let graphql_url = format!("{}/graphql", server.base);
    let admin_auth = format!("Bearer {admin_token}");
    let world = setup::world(&db, |body| post(&client, graphql_url.clone(), admin_auth.clone(), body)).await?;
    let viewers = [
        Viewer { role: "ADMIN", authorization: admin_auth.clone(), owner: None },
        Viewer { role: "SALES", authorization: format!("Bearer {rep_token}"), owner: Some(world.rep) },
    ];

    let mut cells = Vec::new();
    for (index, query) in QUERIES.into_iter().enumerate() {
        for (v, viewer) in viewers.iter().enumerate() {
            let samples = queries::samples(query, &world, viewer.owner, 1000 + (index * 10 + v) as u64);
            check_same_answers(&client, &server, &floor, query, viewer, &samples).await?;
            let graphql: Vec<&str> = samples.iter().map(|s| s.graphql.as_str()).collect();
            let floor_bodies: Vec<&str> = samples.iter().map(|s| s.floor.as_str()).collect();
            let floor_url = format!("{}/{}", floor.base, query.name().to_lowercase());
            // Warm both (caches, connection pools), unmeasured.
            load::run(dir.path(), &graphql_url, &viewer.authorization, &graphql, 8, seconds.div_ceil(3))?;
            load::run(dir.path(), &floor_url, "", &floor_bodies, 8, seconds.div_ceil(3))?;
            for connections in [1, 8] {
                let runs = [
                    (&server, graphql_url.as_str(), viewer.authorization.as_str(), &graphql),
                    (&floor, floor_url.as_str(), "", &floor_bodies),
                ];
                for (target, url, authorization, bodies) in runs {
                    let run = Run { query, role: viewer.role, url, authorization, bodies, connections, seconds };
                    let cell = measure(&client, dir.path(), target, &run).await?;
                    eprintln!(
                        "{} {} {:>5} conn={} {:>8.0} req/s p50 {:>7.2} ms",
                        query.name(),
                        viewer.role,
                        cell.system,
                        connections,
                        cell.measured.rps(),
                        cell.measured.p50_us / 1000.0
                    );
                    cells.push(cell);
                }
            }
        }
    }
    let extras =
        extras::measure(&db, &url, |body| post(&client, graphql_url.clone(), admin_auth.clone(), body)).await?;
    let report = report::Report { scale, seconds, idle_rss_mib, extras, cells };
    println!("{}", report.table());
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report.json()).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// What one measured run sends, and where.
struct Run<'a> {
    query: Query,
    role: &'static str,
    url: &'a str,
    authorization: &'a str,
    bodies: &'a [&'a str],
    connections: u32,
    seconds: u64,
}

/// One measured `wrk` run against `target`, with its CPU, memory and statement readings.
async fn measure(
    client: &reqwest::Client,
    dir: &std::path::Path,
    target: &Server,
    run: &Run<'_>,
) -> SetupResult<report::Cell> {
    let statements_before = statements(client, target).await?;
    procs::reset_peak(target.pid());
    let (cpu_before, db_before) = (procs::cpu_ticks(target.pid()), procs::postgres_ticks());
    let measured = load::run(dir, run.url, run.authorization, run.bodies, run.connections, run.seconds)?;
    let (cpu_after, db_after) = (procs::cpu_ticks(target.pid()), procs::postgres_ticks());
    if measured.bad > 0 || measured.socket_errors > 0 || measured.requests == 0 {
        return Err(format!(
            "{} at {}: {} bad responses, {} socket errors of {} requests",
            target.name, run.url, measured.bad, measured.socket_errors, measured.requests
        ));
    }
    let per_request = |ticks: u64| ticks as f64 * 1000.0 / procs::clock_ticks() / measured.requests as f64;
    let statements = match statements_before {
        Some(before) => (statements(client, target).await?.unwrap_or(before) - before) / measured.requests as f64,
        None => 1.0,
    };
    Ok(report::Cell {
        system: target.name,
        query: run.query,
        role: run.role,
        connections: run.connections,
        measured,
        cpu_ms: per_request(cpu_after.saturating_sub(cpu_before)),
        db_cpu_ms: per_request(procs::postgres_ticks_since(&db_before, &db_after)),
        statements,
        peak_rss_mib: procs::memory_mib(target.pid(), "VmHWM"),
    })
}

/// `clientele_db_statements_total` from the server's `/metrics`; `None` for the floor.
async fn statements(client: &reqwest::Client, target: &Server) -> SetupResult<Option<f64>> {
    if target.name != "clientele" {
        return Ok(None);
    }
    let text = client
        .get(format!("{}/metrics", target.base))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    Ok(Some(
        text.lines()
            .filter(|l| l.starts_with("clientele_db_statements_total"))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum(),
    ))
}

/// POSTs a JSON body; the response's `data`, or an error naming its `errors`.
async fn post(client: &reqwest::Client, url: String, authorization: String, body: Value) -> SetupResult<Value> {
    let mut request = client.post(&url).header("Content-Type", "application/json").body(body.to_string());
    if !authorization.is_empty() {
        request = request.header("Authorization", authorization);
    }
    let text = request.send().await.map_err(|e| e.to_string())?.text().await.map_err(|e| e.to_string())?;
    let response: Value = serde_json::from_str(&text).map_err(|_| format!("{url}: {text:.2000}"))?;
    match response.get("errors") {
        Some(errors) => Err(format!("{url}: {errors}")),
        None => Ok(response["data"].clone()),
    }
}

/// The first samples of each list must get the same `data` from both servers.
async fn check_same_answers(
    client: &reqwest::Client,
    server: &Server,
    floor: &Server,
    query: Query,
    viewer: &Viewer,
    samples: &[Sample],
) -> SetupResult<()> {
    for sample in samples.iter().take(5) {
        let body = |text: &str| serde_json::from_str::<Value>(text).map_err(|e| e.to_string());
        let ours =
            post(client, format!("{}/graphql", server.base), viewer.authorization.clone(), body(&sample.graphql)?)
                .await?;
        let floor_url = format!("{}/{}", floor.base, query.name().to_lowercase());
        let theirs = post(client, floor_url, String::new(), body(&sample.floor)?).await?;
        let (ours, theirs) = (queries::comparable(query, ours), queries::comparable(query, theirs));
        if ours != theirs {
            return Err(format!(
                "{} as {}: Clientele and the floor disagree\nclientele: {:.2000}\nfloor:     {:.2000}",
                query.name(),
                viewer.role,
                ours.to_string(),
                theirs.to_string()
            ));
        }
    }
    Ok(())
}
