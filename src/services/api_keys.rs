//! API keys for integrations. An admin creates a key with a name and a role;
//! the key is shown once and only its SHA-256 and a short prefix are kept.
//! Each key acts as its own machine account with that role, so every rule
//! applies to it unchanged and every audit trail names it ("ATS sync (API
//! key)"). Revoking a key ends it at once: the next request with it is
//! refused, on every instance, since each request looks the key up.

use chrono::{NaiveDateTime, TimeDelta};
use serde_json::json;

use crate::auth::require_admin;
use crate::auth::session::KeyHash;
use crate::db::api_keys::{self, ApiKey, NewApiKey};
use crate::db::users::{self, NewUser, User, UserChanges};
use crate::db::{Db, DbConn, now};
use crate::domain::{OneLine, Role};
use crate::error::ServiceError;
use crate::services::org_audit::{self, OrgEventKind, Subject};

/// What every key starts with, so that a leaked one is recognisable.
pub use crate::auth::API_KEY_PREFIX as TOKEN_PREFIX;

/// The hash the database keeps of a presented key; `None` for anything that
/// is not a key this service makes.
pub fn hash_of(token: &str) -> Option<String> {
    let secret = token.strip_prefix(TOKEN_PREFIX)?;
    KeyHash::of(secret).map(|h| h.hex())
}

/// A key as the admin sees it (never the key itself).
#[derive(Debug, Clone)]
pub struct KeyView {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub prefix: String,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    /// Its machine account: who the audit trails name when it acts.
    pub user_id: i64,
}

fn views(c: &mut DbConn, keys: Vec<ApiKey>) -> Result<Vec<KeyView>, ServiceError> {
    let mut ids: Vec<i64> = keys
        .iter()
        .flat_map(|k| [k.user_id, k.created_by_id])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let people = users::find_many(c, &ids)?;
    let person = |id: i64| people.iter().find(|u| u.id == id);
    Ok(keys
        .into_iter()
        .map(|k| KeyView {
            role: person(k.user_id).map_or(Role::Member, |u| u.role),
            created_by: person(k.created_by_id).map_or_else(String::new, |u| u.name.clone()),
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
            user_id: k.user_id,
        })
        .collect())
}

/// A parsed `POST /api-keys`.
#[derive(Debug)]
pub struct NewKey {
    pub name: OneLine,
    pub role: Role,
}

/// Creates a key (admins): its view and the key itself, which is shown once.
pub async fn create(db: &Db, actor: &User, new: NewKey) -> Result<(KeyView, String), ServiceError> {
    require_admin(actor)?;
    let secret = crate::auth::random_hex(32);
    let token = format!("{TOKEN_PREFIX}{secret}");
    let hash = hash_of(&token)
        .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("a key that does not hash")))?;
    let prefix = format!("{TOKEN_PREFIX}{}", &secret[..8]);
    let actor = actor.clone();
    let view = db
        .write(move |c| {
            let at = now();
            let name = new.name.as_ref().to_owned();
            let account = users::insert(
                c,
                &NewUser {
                    email: &format!("key-{}@api-keys.invalid", &secret[..24]),
                    name: &format!("{name} (API key)"),
                    // Not a PHC string: no password ever matches it.
                    password_hash: "!api-key",
                    role: new.role.as_str(),
                    manager_id: None,
                    department: None,
                    bar_raiser: "none",
                    active: true,
                    token_version: 0,
                    created_at: at,
                    updated_at: at,
                },
            )?;
            users::mark_machine(c, account.id)?;
            let key = api_keys::insert(
                c,
                &NewApiKey {
                    user_id: account.id,
                    name: &name,
                    prefix: &prefix,
                    key_hash: &hash,
                    created_by_id: actor.id,
                    created_at: at,
                },
            )?;
            org_audit::record(
                c,
                Some(actor.id),
                OrgEventKind::ApiKeyCreated,
                Subject::User(account.id),
                &json!({"name": name, "role": new.role.as_str(), "prefix": prefix}),
            )?;
            views(c, vec![key])?
                .pop()
                .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("a key went missing")))
        })
        .await?;
    tracing::info!(key.id = view.id, "api key created");
    Ok((view, token))
}

/// Every key, newest first (admins).
pub async fn list(db: &Db, actor: &User) -> Result<Vec<KeyView>, ServiceError> {
    require_admin(actor)?;
    db.run(|c| {
        let keys = api_keys::list(c)?;
        views(c, keys)
    })
    .await
}

/// Revokes a key (admins): it stops working at once, and its account with
/// it. Revoking a revoked key changes nothing.
pub async fn revoke(db: &Db, actor: &User, id: i64) -> Result<KeyView, ServiceError> {
    require_admin(actor)?;
    let actor = actor.clone();
    db.write(move |c| {
        let key = api_keys::find(c, id)?.ok_or(ServiceError::NotFound)?;
        if key.revoked_at.is_none() {
            let at = now();
            api_keys::revoke(c, id, at)?;
            users::update(
                c,
                key.user_id,
                UserChanges {
                    active: Some(false),
                    updated_at: Some(at),
                    ..UserChanges::default()
                },
            )?;
            org_audit::record(
                c,
                Some(actor.id),
                OrgEventKind::ApiKeyRevoked,
                Subject::User(key.user_id),
                &json!({"name": key.name, "prefix": key.prefix}),
            )?;
        }
        let key = api_keys::find(c, id)?.ok_or(ServiceError::NotFound)?;
        views(c, vec![key])?.pop().ok_or(ServiceError::NotFound)
    })
    .await
}

/// How often a key's last use is written down.
pub const USE_RECORDED_EVERY: TimeDelta = TimeDelta::minutes(1);

/// Writes down that the key with this hash was used now (at most once a
/// minute; nothing for a revoked key).
pub async fn record_use(db: &Db, hash: String) -> Result<(), ServiceError> {
    db.write(move |c| {
        let at = now();
        api_keys::touch(c, &hash, at, at - USE_RECORDED_EVERY)?;
        Ok(())
    })
    .await
}

/// When this instance last wrote down each key's use, so that a busy key
/// costs one write a minute, not one a request.
#[derive(Debug, Default)]
pub struct Uses(std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>);

impl Uses {
    /// Whether the use of the key with this hash is to be written down now
    /// (and, if so, it counts as written).
    pub fn due(&self, hash: &str) -> bool {
        let Ok(mut seen) = self.0.lock() else {
            return true;
        };
        let now = std::time::Instant::now();
        let every = std::time::Duration::from_secs(USE_RECORDED_EVERY.num_seconds().unsigned_abs());
        match seen.get(hash) {
            Some(at) if now.duration_since(*at) < every => false,
            _ => {
                if seen.len() > 10_000 {
                    seen.clear();
                }
                seen.insert(hash.to_owned(), now);
                true
            }
        }
    }
}
