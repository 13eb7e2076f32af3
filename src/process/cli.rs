//! The command line: `serve` (the default), `migrate`, `create-user`.

use std::io::BufRead;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::auth::{hash_now, random_hex};
use crate::domain::{Email, NewPassword, OneLine, PersonName, Role, UserId};
use crate::process::config::Settings;
use crate::process::startup::{Application, REMINDER_INTERVAL, mail_worker, prepare_database};
use crate::services::people::{self, NewAccount};

#[derive(Debug, Parser)]
#[command(
    name = "barraiser",
    version,
    about = "Hiring interview loops run the bar raiser way"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Run only the mail delivery worker (for deployments that run it apart).
    Worker,
    /// Seed a demo organisation (once), print how to sign in as each persona, then serve.
    Demo,
    /// Seed a synthetic data set for benchmarks (2,000 people, N loops over the past year), then exit.
    Dataset {
        #[arg(long, default_value_t = 1000)]
        loops: i64,
        /// Also give every hire a performance rating related to its vote
        /// score with a stated true correlation (0.3), for the validity report.
        #[arg(long)]
        outcomes: bool,
    },
    /// Apply pending database migrations, seed an empty database, and exit.
    Migrate,
    /// Create a user: with --invite, mail them a link to choose a password;
    /// otherwise print a generated password (or read one with --password-stdin).
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, recruiter or member.
        #[arg(long, default_value = "member")]
        role: String,
        #[arg(long)]
        manager_id: Option<i64>,
        #[arg(long)]
        department: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long, conflicts_with = "invite")]
        password_stdin: bool,
        /// Mail the person a single-use link to choose their password (72 h).
        #[arg(long)]
        invite: bool,
    },
}

pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(&settings)?;
            let port = app.port();
            let running = app.start()?;
            tracing::info!(port, "barraiser listening");
            running.wait().await?;
            tracing::info!("barraiser stopped");
            Ok(())
        }
        Command::Worker => {
            let db = prepare_database(&settings)?;
            let worker = mail_worker(&db, &settings)?;
            let links = crate::process::startup::links(&db, &settings)?;
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let mail = actix_web::rt::spawn(worker.run(stopped.clone()));
            // A worker serves no /metrics; its reminders are counted for nobody.
            let metrics = crate::metrics::Metrics::new("worker");
            let insights = settings.insights_refresh.map(|every| {
                actix_web::rt::spawn(crate::services::analytics::kept::run(
                    db.clone(),
                    settings.analytics,
                    every,
                    stopped.clone(),
                ))
            });
            let reminders = actix_web::rt::spawn(crate::services::feedback::reminders::run(
                db,
                links,
                metrics,
                REMINDER_INTERVAL,
                stopped,
            ));
            wait_for_signal().await;
            let _ = stop.send(true);
            let _ = mail.await;
            let _ = reminders.await;
            if let Some(insights) = insights {
                let _ = insights.await;
            }
            Ok(())
        }
        Command::Demo => {
            let db = prepare_database(&settings)?;
            match crate::process::demo::seed(&db, &settings.mail.public_url)
                .await
                .context("cannot seed the demo organisation")?
            {
                Some(seeded) => tracing::info!(loops = seeded.loops, "demo organisation seeded"),
                None => tracing::info!("demo organisation already present; nothing added"),
            }
            drop(db);
            let app = Application::build(&settings)?;
            let url = format!("http://127.0.0.1:{}", app.port());
            match settings.log_format {
                crate::process::config::LogFormat::Json => {
                    eprintln!("{}", crate::process::demo::personas_json(&url))
                }
                crate::process::config::LogFormat::Text => {
                    eprintln!("{}", crate::process::demo::personas(&url))
                }
            }
            let port = app.port();
            let running = app.start()?;
            tracing::info!(port, "barraiser listening");
            running.wait().await?;
            tracing::info!("barraiser stopped");
            Ok(())
        }
        Command::Dataset { loops, outcomes } => {
            if !(1..=1_000_000).contains(&loops) {
                anyhow::bail!("--loops must be from 1 to 1,000,000");
            }
            let db = prepare_database(&settings)?;
            match crate::process::dataset::seed(&db, loops).context("cannot seed the data set")? {
                Some(took) => println!(
                    "seeded {loops} loops in {:.1} s; every person signs in with {}",
                    took.as_secs_f64(),
                    crate::process::dataset::PASSWORD
                ),
                None => println!("the data set is already there"),
            }
            if outcomes {
                let rho = crate::process::dataset::PLANTED_CORRELATION;
                match crate::process::dataset::seed_outcomes(&db, rho)
                    .context("cannot seed the outcomes")?
                {
                    Some(n) => println!(
                        "gave {n} hires a performance rating, correlated {rho} with their vote score"
                    ),
                    None => println!("the outcomes are already there"),
                }
            }
            Ok(())
        }
        Command::Migrate => {
            prepare_database(&settings)?;
            println!("database is up to date");
            Ok(())
        }
        Command::CreateUser {
            email,
            name,
            role,
            manager_id,
            department,
            password_stdin,
            invite,
        } => {
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (random_hex(12), true)
            };
            let account = NewAccount {
                email: Email::parse("email", &email)?,
                name: PersonName::parse("name", &name)?,
                role: role.parse::<Role>()?,
                manager_id: manager_id.map(UserId),
                department: OneLine::parse_optional("department", department.as_deref(), 200)?,
            };
            let password = NewPassword::parse("password", password)?;
            let hash = hash_now(password.expose())?;
            let db = prepare_database(&settings)?;
            let links = crate::process::startup::links(&db, &settings)?;
            // `context` keeps the whole cause chain, which `main` prints.
            let mut conn = db.conn().context("cannot get a database connection")?;
            let user = db
                .transaction(&mut conn, |c| {
                    if invite {
                        people::create_invited_account(c, &account, &hash, &links, None)
                    } else {
                        people::create_account(c, &account, &hash, &links, None)
                    }
                })
                .context("cannot create the user")?;
            println!(
                "created user {} <{}> with id {}",
                user.name, user.email, user.id
            );
            if invite {
                println!(
                    "an invitation to choose a password is queued for {}",
                    user.email
                );
            } else if generated {
                println!("password: {}", password.expose());
            }
            Ok(())
        }
    }
}

/// SIGTERM or SIGINT.
async fn wait_for_signal() {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("install the SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = actix_web::rt::signal::ctrl_c() => {}
    }
}
