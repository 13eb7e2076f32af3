//! Single sign-on with an OpenID Provider (`OIDC_ISSUER`): the authorization
//! code flow with PKCE (S256), `state` and `nonce`, scopes `openid email`.
//! The ID token's signature, issuer, audience, expiry and nonce are checked by
//! the `openidconnect` crate; its email must be verified and belong to an
//! active person. Nobody signs themselves up. It ends in the same session as
//! a password sign-in.
//!
//! What a trip to the provider needs to come back (the PKCE verifier, the
//! nonce, where to go next) is kept in the database, keyed by the state's
//! hash and bound to the browser that set out by a cookie's key; the callback
//! takes it (deletes it), so a state, and the code it came with, is good once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use tokio::sync::Mutex;

use super::{random_hex, session, sha256_hex};
use crate::db::sso_logins::{self, PendingLogin};
use crate::db::users::{self, User};
use crate::db::{Db, now};
use crate::domain::Email;
use crate::error::ServiceError;

/// How long a trip to the provider may take.
pub const TRIP: TimeDelta = TimeDelta::minutes(10);
/// How long the provider's metadata and keys are kept before asking again
/// (and at once after a signature does not verify, for a rotated key).
const METADATA_KEPT: Duration = Duration::from_secs(3600);

/// `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`.
#[derive(Clone)]
pub struct SsoSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for SsoSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Why a sign-in through the provider was refused. Each has a code, and a
/// sentence for the person at the sign-in page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No sign-in was begun with this state here (forged, or used already).
    UnknownState,
    /// The trip took longer than ten minutes.
    Expired,
    /// Begun in another browser.
    OtherBrowser,
    /// The provider answered with an error, or refused the code.
    ProviderRefused,
    /// The provider could not be reached, or answered nonsense.
    ProviderUnavailable,
    IdTokenExpired,
    NonceMismatch,
    SignatureInvalid,
    /// Another check of the ID token failed (issuer, audience, …).
    IdTokenInvalid,
    EmailUnverified,
    /// No active person has this email.
    UnknownPerson,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownState => "sso_state_unknown",
            Self::Expired => "sso_expired",
            Self::OtherBrowser => "sso_other_browser",
            Self::ProviderRefused => "sso_provider_refused",
            Self::ProviderUnavailable => "sso_provider_unavailable",
            Self::IdTokenExpired => "sso_id_token_expired",
            Self::NonceMismatch => "sso_nonce_mismatch",
            Self::SignatureInvalid => "sso_signature_invalid",
            Self::IdTokenInvalid => "sso_id_token_invalid",
            Self::EmailUnverified => "sso_email_unverified",
            Self::UnknownPerson => "sso_unknown_person",
        }
    }

    pub fn sentence(self) -> &'static str {
        match self {
            Self::UnknownState | Self::OtherBrowser => {
                "This sign-in was not begun here, or was used already. Start again."
            }
            Self::Expired => "The sign-in took too long. Start again.",
            Self::ProviderRefused => "The sign-in service refused the sign-in. Start again.",
            Self::ProviderUnavailable => {
                "The sign-in service could not be reached. Try again in a moment, or ask an admin."
            }
            Self::IdTokenExpired
            | Self::NonceMismatch
            | Self::SignatureInvalid
            | Self::IdTokenInvalid => {
                "The sign-in service's answer did not pass our checks, so you are not signed in. Start again, or ask an admin."
            }
            Self::EmailUnverified => {
                "The sign-in service has not verified your email address, so it cannot sign you in here. Verify it there, or ask an admin."
            }
            Self::UnknownPerson => {
                "There is no active account here for your email address. Nobody signs themselves up: ask an admin to add you."
            }
        }
    }
}

/// Single sign-on, configured: the settings, the HTTP client and the
/// provider's metadata once discovered.
pub struct Sso {
    settings: SsoSettings,
    redirect: RedirectUrl,
    http: reqwest::Client,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

/// A trip to the provider, begun.
pub struct Begun {
    /// Where the browser goes now.
    pub authorize_url: String,
    /// The cookie that binds the trip to this browser.
    pub browser_key: String,
}

impl Sso {
    /// `public_url` gives the redirect URI, `{public_url}/login/oidc/callback`.
    pub fn new(settings: SsoSettings, public_url: &str) -> anyhow::Result<Arc<Self>> {
        IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| anyhow::anyhow!("OIDC_ISSUER is not a URL: {e}"))?;
        let redirect =
            RedirectUrl::new(format!("{public_url}{}", crate::urls::LOGIN_OIDC_CALLBACK))
                .map_err(|e| anyhow::anyhow!("PUBLIC_URL does not make a redirect URI: {e}"))?;
        let http = reqwest::Client::builder()
            // Following redirects would open the client to request forgery.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Arc::new(Self {
            settings,
            redirect,
            http,
            metadata: Mutex::new(None),
        }))
    }

    async fn metadata(&self, fresh: bool) -> Result<CoreProviderMetadata, Refusal> {
        let mut kept = self.metadata.lock().await;
        if !fresh
            && let Some((at, metadata)) = kept.as_ref()
            && at.elapsed() < METADATA_KEPT
        {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|_| Refusal::ProviderUnavailable)?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "OpenID Provider discovery failed");
                Refusal::ProviderUnavailable
            })?;
        *kept = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    fn client(
        &self,
        metadata: CoreProviderMetadata,
    ) -> openidconnect::core::CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect.clone())
    }

    /// Begins a sign-in that goes on to `next` (already checked to be a path of ours).
    pub async fn begin(&self, db: &Db, next: String) -> Result<Begun, ServiceError> {
        let metadata = self.metadata(false).await.map_err(refused)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = self
            .client(metadata)
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .set_pkce_challenge(challenge)
            .url();
        let browser_key = random_hex(32);
        let pending = PendingLogin {
            state_hash: sha256_hex(state.secret()),
            browser_hash: sha256_hex(&browser_key),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next,
            created_at: now(),
        };
        db.write(move |c| Ok(sso_logins::insert(c, &pending, now() - TRIP)?))
            .await?;
        Ok(Begun {
            authorize_url: url.to_string(),
            browser_key,
        })
    }

    /// Finishes a sign-in: the person and a new browser session, and where
    /// to go next. `code` is `None` when the provider answered with an error.
    pub async fn finish(
        &self,
        db: &Db,
        state: &str,
        code: Option<&str>,
        browser_key: Option<&str>,
    ) -> Result<(User, session::SessionKey, String), ServiceError> {
        let state_hash = sha256_hex(state);
        let pending = db
            .write(move |c| Ok(sso_logins::take(c, &state_hash)?))
            .await?
            .ok_or(refused(Refusal::UnknownState))?;
        if browser_key.map(sha256_hex).as_deref() != Some(pending.browser_hash.as_str()) {
            return Err(refused(Refusal::OtherBrowser));
        }
        if now() - pending.created_at > TRIP {
            return Err(refused(Refusal::Expired));
        }
        let code = code.ok_or(refused(Refusal::ProviderRefused))?;
        let email = self.verified_email(&pending, code).await.map_err(refused)?;
        let signed_in = db
            .write(move |c| {
                let user = users::active_person_by_email(c, &email)?
                    .ok_or(refused(Refusal::UnknownPerson))?;
                let key = session::start(c, user.id, session::SessionKind::Browser, now())?;
                Ok((user, key))
            })
            .await?;
        tracing::info!(user.id = signed_in.0.id, "signed in through single sign-on");
        Ok((signed_in.0, signed_in.1, pending.next))
    }

    /// Exchanges the code and checks the ID token: its verified email.
    async fn verified_email(&self, pending: &PendingLogin, code: &str) -> Result<String, Refusal> {
        let client = self.client(self.metadata(false).await?);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|_| Refusal::ProviderUnavailable)?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "the OpenID Provider refused the code");
                Refusal::ProviderRefused
            })?;
        let id_token = tokens.id_token().ok_or(Refusal::IdTokenInvalid)?;
        let nonce = Nonce::new(pending.nonce.clone());
        match id_token.claims(&client.id_token_verifier(), &nonce) {
            Ok(claims) => {
                if claims.email_verified() != Some(true) {
                    return Err(Refusal::EmailUnverified);
                }
                let email = claims.email().ok_or(Refusal::UnknownPerson)?;
                Email::normalize_for_lookup(email.as_str()).ok_or(Refusal::UnknownPerson)
            }
            Err(ClaimsVerificationError::Expired(_)) => Err(Refusal::IdTokenExpired),
            Err(ClaimsVerificationError::InvalidNonce(_)) => Err(Refusal::NonceMismatch),
            Err(ClaimsVerificationError::SignatureVerification(e)) => {
                tracing::warn!(error = %e, "an ID token's signature did not verify");
                // The provider may have rotated its keys: fetch them again for
                // the next sign-in. This token stays refused.
                let _ = self.metadata(true).await;
                Err(Refusal::SignatureInvalid)
            }
            Err(e) => {
                tracing::warn!(error = %e, "an ID token failed a check");
                Err(Refusal::IdTokenInvalid)
            }
        }
    }
}

fn refused(r: Refusal) -> ServiceError {
    ServiceError::Forbidden {
        code: r.code(),
        detail: r.sentence().to_owned(),
    }
}
