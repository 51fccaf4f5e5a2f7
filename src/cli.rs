//! The command line. Configuration comes from `CLIENTELE_*` variables; flags only say
//! what to do.

use crate::config::Config;
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::startup::{Application, open, shutdown_signal};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

/// Clientele: a CRM backend with a GraphQL API.
#[derive(Parser, Debug)]
#[command(name = "clientele", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the API (applies pending migrations first unless CLIENTELE_MIGRATE=false).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the GraphQL schema (SDL).
    Schema,
    /// Print the field-level access policy (role × Type.field) as a Markdown table.
    Policy,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print a signed access token for a user (development and scripts).
    Token {
        /// The user's email.
        #[arg(long)]
        user: String,
        /// Lifetime, e.g. 15m, 1h, 7d.
        #[arg(long, default_value = "1h")]
        ttl: String,
    },
    /// Fill the database with data.
    #[command(group(clap::ArgGroup::new("set").required(true).args(["demo", "scale"])))]
    Seed {
        /// A realistic demo data set: a few hundred customers with their records, and a
        /// demo admin whose credentials are printed.
        #[arg(long)]
        demo: bool,
        /// Deterministic bulk data for benchmarks: N = 1 is 100,000 customers with 300,000
        /// contacts, 400,000 deals, 1,000,000 tickets …; N = 0.1 for quick runs.
        #[arg(long, value_name = "N")]
        scale: Option<f64>,
    },
    /// Recompute every customer's classification (lifecycle stage, value tier, need
    /// urgency, behaviours) by the stored rules (set-based), with a progress bar.
    Reclassify,
    /// Retention: apply the retention policies now.
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Data-subject rights: export or erase what is held about one customer (audited).
    Subject {
        #[command(subcommand)]
        command: SubjectCommand,
    },
}

#[derive(Subcommand, Debug)]
enum RetentionCommand {
    /// Apply every enabled retention policy (a progress bar, then what it did).
    Run {
        /// Only count what it would purge or anonymise.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
enum SubjectCommand {
    /// Print everything held about a customer as one JSON document (or write it to a file).
    Export {
        /// The customer's code, e.g. C20261129001.
        #[arg(long)]
        customer: String,
        /// Write the document here instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Irreversibly anonymise a customer's personal data and everything under it.
    Erase {
        /// The customer's code, e.g. C20261129001.
        #[arg(long)]
        customer: String,
        /// Why (logged), e.g. "request of 2026-12-01".
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a user; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Team name (created when missing).
        #[arg(long)]
        team: Option<String>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum RoleArg {
    Admin,
    Manager,
    Sales,
    Service,
    Marketing,
    Analyst,
    Partner,
}

impl From<RoleArg> for entity::enums::Role {
    fn from(r: RoleArg) -> Self {
        use entity::enums::Role;
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Manager => Role::Manager,
            RoleArg::Sales => Role::Sales,
            RoleArg::Service => Role::Service,
            RoleArg::Marketing => Role::Marketing,
            RoleArg::Analyst => Role::Analyst,
            RoleArg::Partner => Role::Partner,
        }
    }
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            return ExitCode::SUCCESS;
        }
        Command::Policy => {
            print!("{}", crate::auth::policy::markdown());
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("clientele: {e}");
            return ExitCode::from(2);
        }
    };
    crate::telemetry::init(config.log_format);
    match execute(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("clientele: {message}");
            ExitCode::FAILURE
        }
    }
}

fn describe(e: AppError) -> String {
    match e {
        AppError::Internal(detail) | AppError::Unavailable(detail) => detail,
        other => other.to_string(),
    }
}

async fn execute(command: Command, config: Config) -> Result<(), String> {
    match command {
        Command::Serve => {
            let app = Application::build(&config).await.map_err(|e| e.to_string())?;
            app.run_until(shutdown_signal()).await.map_err(|e| e.to_string())?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Migrate => {
            let config = Config { migrate: true, ..config };
            open(&config, &Metrics::new()).await.map_err(|e| e.to_string())?;
            println!("migrations applied");
            Ok(())
        }
        Command::Schema | Command::Policy => Ok(()),
        Command::User { command: UserCommand::Create { email, name, role, team } } => {
            let (db, _) = open(&config, &Metrics::new()).await.map_err(|e| e.to_string())?;
            let password = read_password()?;
            let team_id = match team {
                Some(t) => Some(crate::service::user::team_named(&db, &t).await.map_err(describe)?.id),
                None => None,
            };
            let user = crate::service::user::create(&db, &email, &name, role.into(), team_id, Some(password))
                .await
                .map_err(describe)?;
            println!("created user {} ({}) with role {}", user.email, user.id, user.role.as_str());
            Ok(())
        }
        Command::Token { user, ttl } => {
            let ttl =
                crate::auth::jwt::parse_ttl(&ttl).ok_or_else(|| format!("--ttl `{ttl}`: use e.g. 15m, 1h, 7d"))?;
            if ttl.num_seconds() > config.jwt_max_ttl_secs {
                return Err(format!(
                    "--ttl is longer than CLIENTELE_JWT_MAX_TTL_SECS ({} s); such a token would be refused",
                    config.jwt_max_ttl_secs
                ));
            }
            let (db, keys) = open(&config, &Metrics::new()).await.map_err(|e| e.to_string())?;
            let found = crate::service::user::find_by_email(&db, &user).await.map_err(describe)?;
            let found = found.filter(|u| u.active).ok_or_else(|| format!("no active user with email {user}"))?;
            println!("{}", keys.issue(found.id, found.role.as_str(), ttl).map_err(describe)?);
            Ok(())
        }
        Command::Seed { demo, scale } => {
            let (db, _) = open(&config, &Metrics::new()).await.map_err(|e| e.to_string())?;
            match (demo, scale) {
                (_, Some(n)) => crate::seed::scale(&db, n).await.map_err(describe),
                _ => crate::seed::demo(&db).await.map_err(describe),
            }
        }
        Command::Reclassify => {
            let (db, _) = open(&config, &Metrics::new()).await.map_err(|e| e.to_string())?;
            reclassify(&db).await
        }
        Command::Retention { command: RetentionCommand::Run { dry_run } } => {
            let (db, _) = open(&config, &Metrics::new()).await.map_err(|e| e.to_string())?;
            retention(&db, dry_run).await
        }
        Command::Subject { command } => {
            let (db, _) = open(&config, &Metrics::new()).await.map_err(|e| e.to_string())?;
            subject(&db, command).await
        }
    }
}

/// `clientele retention run [--dry-run]`: one step of the bar per enabled policy, then a
/// line per policy.
async fn retention(db: &sea_orm::DatabaseConnection, dry_run: bool) -> Result<(), String> {
    use crate::service::retention;
    let enabled = retention::policies(db).await.map_err(describe)?.into_iter().filter(|p| p.enabled).count();
    let bar = indicatif::ProgressBar::new(enabled as u64);
    let style = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} policies {msg} ({elapsed})");
    bar.set_style(style.map_err(|e| e.to_string())?);
    let report = retention::run(db, crate::service::now(), dry_run, |policy| {
        bar.set_message(policy.kind.as_str());
        bar.inc(1);
    })
    .await
    .map_err(describe)?
    .ok_or("another instance is running the retention policies now; try again later")?;
    bar.finish_and_clear();
    let verb = if dry_run { "would touch" } else { "touched" };
    if report.is_empty() {
        println!("no retention policy is enabled");
    }
    for line in report {
        let what = match &line.record_type {
            Some(t) => format!("{} {t}", line.kind.as_str()),
            None => line.kind.as_str().to_string(),
        };
        println!("{what}: {verb} {} records", line.count);
    }
    Ok(())
}

/// `clientele subject export|erase --customer CODE`.
async fn subject(db: &sea_orm::DatabaseConnection, command: SubjectCommand) -> Result<(), String> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let code = match &command {
        SubjectCommand::Export { customer, .. } | SubjectCommand::Erase { customer, .. } => customer.clone(),
    };
    let found = entity::customer::Entity::find()
        .filter(entity::customer::Column::Code.eq(code.trim()))
        .one(db)
        .await
        .map_err(|e| describe(e.into()))?
        .ok_or_else(|| format!("no customer with code {code}"))?;
    match command {
        SubjectCommand::Export { output, .. } => {
            let document = crate::service::subject::export(db, None, found.id)
                .await
                .map_err(describe)?
                .ok_or_else(|| format!("no customer with code {code}"))?;
            let text = serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?;
            match output {
                Some(path) => {
                    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                    eprintln!("wrote {}", path.display());
                }
                None => println!("{text}"),
            }
            Ok(())
        }
        SubjectCommand::Erase { reason, .. } => {
            match crate::service::subject::erase(db, None, found.id, &reason).await.map_err(describe)? {
                Ok(entry) => {
                    println!("erased {} ({}); logged as {}", entry.customer_code, found.id, entry.id);
                    Ok(())
                }
                Err(errors) => Err(errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")),
            }
        }
    }
}

/// `clientele reclassify`: one step of the bar per dimension, then what changed.
async fn reclassify(db: &sea_orm::DatabaseConnection) -> Result<(), String> {
    use crate::service::classification::{self, DIMENSIONS};
    let bar = indicatif::ProgressBar::new(DIMENSIONS.len() as u64);
    let style = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} dimensions {msg} ({elapsed})");
    bar.set_style(style.map_err(|e| e.to_string())?);
    let started = std::time::Instant::now();
    let changed = classification::reclassify_all(db, crate::service::now(), |dimension, _| {
        bar.set_message(dimension.to_string());
        bar.inc(1);
    })
    .await
    .map_err(describe)?;
    bar.finish_and_clear();
    println!(
        "reclassified in {:.1} s: lifecycle stage changed for {} customers, value tier for {}, need urgency for {}, \
         behaviours {} times",
        started.elapsed().as_secs_f64(),
        changed.lifecycle,
        changed.value,
        changed.need,
        changed.behaviours
    );
    Ok(())
}

/// The password: prompted for on a terminal, else the first line of standard input.
fn read_password() -> Result<String, String> {
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.is_empty() {
        return Err("a password is required on standard input".into());
    }
    Ok(password)
}
