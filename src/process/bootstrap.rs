//! First start on an empty database: the first admin and the competency library.

use anyhow::Context;

use crate::auth::{hash_now, random_hex};
use crate::db::competencies::{self, NewCompetency};
use crate::db::users::{self, NewUser, UserChanges};
use crate::db::{Db, DbConn, now};
use crate::domain::{BarRaiserStatus, Email, NewPassword, Role};
use crate::process::config::Settings;
use crate::process::seed::LEADERSHIP_PRINCIPLES;

pub const DEFAULT_ADMIN_EMAIL: &str = "admin@barraiser.local";

pub fn run(db: &Db, conn: &mut DbConn, settings: &Settings) -> anyhow::Result<()> {
    let created_admin = db
        .transaction(conn, |c| {
            seed_competencies(c)?;
            if users::count(c)? > 0 {
                return Ok(None);
            }
            Ok(Some(create_first_admin(c, settings)?))
        })
        .context("bootstrap failed")?;
    if let Some((email, generated)) = created_admin {
        tracing::info!("created the first admin account");
        if let Some(password) = generated {
            // Printed once, on purpose, so a newcomer can sign in; never logged again.
            match settings.log_format {
                crate::process::config::LogFormat::Json => eprintln!(
                    "{}",
                    serde_json::json!({
                        "level": "WARN",
                        "message": "first admin created; change this password",
                        "email": email,
                        "password": password,
                    })
                ),
                crate::process::config::LogFormat::Text => eprintln!(
                    "\n  barraiser: first admin created\n    email:    {email}\n    password: {password}\n  \
                     Sign in at /login (or POST /api/v1/auth/login) and change it on the Account page (or POST /api/v1/me/password).\n"
                ),
            }
        }
    }
    Ok(())
}

/// The links of the installation whose database `conn` opens: its id (16
/// random hex digits) is created on first use and kept in the database.
pub fn links(conn: &mut DbConn, public_url: &str) -> diesel::QueryResult<crate::links::Links> {
    let id = crate::db::secrets::get_or_create(conn, "installation_id", || random_hex(8))?;
    Ok(crate::links::Links::new(public_url, &id))
}

/// Returns the admin's email and, when it was generated, the password.
fn create_first_admin(
    conn: &mut DbConn,
    settings: &Settings,
) -> Result<(String, Option<String>), crate::error::ServiceError> {
    let (email, password, generated) = match (&settings.admin_email, &settings.admin_password) {
        (Some(email), Some(password)) => (email.clone(), password.clone(), false),
        _ => (DEFAULT_ADMIN_EMAIL.to_owned(), random_hex(12), true),
    };
    let email = Email::parse("BARRAISER_ADMIN_EMAIL", &email)?;
    let password = NewPassword::parse("BARRAISER_ADMIN_PASSWORD", password)?;
    let hash = hash_now(password.expose())?;
    let at = now();
    let admin = users::insert(
        conn,
        &NewUser {
            email: email.as_ref(),
            name: "Administrator",
            password_hash: &hash,
            role: Role::Admin.as_str(),
            manager_id: None,
            department: None,
            bar_raiser: BarRaiserStatus::None.as_str(),
            active: true,
            token_version: 0,
            created_at: at,
            updated_at: at,
        },
    )?;
    crate::services::org_audit::record(
        conn,
        None,
        crate::services::org_audit::OrgEventKind::PersonAdded,
        crate::services::org_audit::Subject::User(admin.id),
        &serde_json::json!({
            "name": admin.name,
            "email": admin.email,
            "role": admin.role.as_str(),
            "first_admin": true,
        }),
    )?;
    if generated {
        users::update(
            conn,
            admin.id,
            UserChanges {
                must_change_password: Some(true),
                ..Default::default()
            },
        )?;
    }
    Ok((
        email.as_ref().to_owned(),
        generated.then(|| password.expose().to_owned()),
    ))
}

fn seed_competencies(conn: &mut DbConn) -> Result<(), crate::error::ServiceError> {
    if competencies::count(conn)? > 0 {
        return Ok(());
    }
    let at = now();
    for lp in LEADERSHIP_PRINCIPLES {
        let questions: Vec<String> = lp.questions.iter().map(|q| q.to_string()).collect();
        competencies::insert(
            conn,
            &NewCompetency {
                key: lp.key,
                name: lp.name,
                description: lp.description,
                anchor_1: lp.anchors[0],
                anchor_2: lp.anchors[1],
                anchor_3: lp.anchors[2],
                anchor_4: lp.anchors[3],
                questions: competencies::questions_json(&questions),
                active: true,
                created_at: at,
                updated_at: at,
            },
        )
        .context("cannot seed the competency library")?;
    }
    Ok(())
}
