//! Mail: never sent inside a request. A change writes its messages to the
//! `outbox` table in its own transaction ([`enqueue`]); the [`worker`] delivers
//! them through a [`Mailer`] (SMTP, a folder of `.eml` files, or the log).

pub mod calendar;
mod settings;
pub mod templates;
pub mod worker;

use std::time::Duration;

use anyhow::Context;
use chrono::TimeDelta;
use lettre::message::header::{ContentType, MessageId};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::outbox::{self, ClaimedMessage, NewOutboxRow};
use crate::db::{DbConn, now};
use calendar::Invite;
pub use settings::{MailSettings, MailTransport};
use templates::Rendered;

/// Transient failures are retried until this long after the message was queued.
pub const GIVE_UP_AFTER: TimeDelta = TimeDelta::hours(48);

/// A message to queue.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub kind: &'static str,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub content: Rendered,
    pub invite: Option<Invite>,
}

/// Writes `message` to the outbox; call it inside the transaction of the change
/// that causes it, so the message exists if and only if the change committed.
pub fn enqueue(conn: &mut DbConn, message: &Outgoing) -> diesel::QueryResult<i64> {
    let at = now();
    let ics = message.invite.as_ref().map(Invite::to_ics);
    outbox::insert(conn, &outbox_row(message, ics.as_deref(), at))
}

/// [`enqueue`] for many messages at once (an import's invitations), in
/// multi-row statements.
pub fn enqueue_many(conn: &mut DbConn, messages: &[Outgoing]) -> diesel::QueryResult<()> {
    let at = now();
    let ics: Vec<Option<String>> = messages
        .iter()
        .map(|m| m.invite.as_ref().map(Invite::to_ics))
        .collect();
    let rows: Vec<NewOutboxRow<'_>> = messages
        .iter()
        .zip(&ics)
        .map(|(m, ics)| outbox_row(m, ics.as_deref(), at))
        .collect();
    outbox::insert_many(conn, &rows)
}

/// The outbox's row of `message`, due at `at`.
fn outbox_row<'a>(
    message: &'a Outgoing,
    ics: Option<&'a str>,
    at: chrono::NaiveDateTime,
) -> NewOutboxRow<'a> {
    let as_json = |v: &Vec<String>| serde_json::to_string(v).expect("strings serialise");
    NewOutboxRow {
        kind: message.kind,
        recipients: as_json(&message.to),
        cc: as_json(&message.cc),
        subject: &message.content.subject,
        body_text: &message.content.text,
        body_html: &message.content.html,
        calendar: ics,
        calendar_method: message.invite.as_ref().map(|i| i.method.as_str()),
        status: outbox::PENDING,
        attempts: 0,
        next_attempt_at: at,
        give_up_at: at + GIVE_UP_AFTER,
        created_at: at,
    }
}

/// Why a delivery failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// 5xx replies, invalid addresses: fail at once.
    Permanent(String),
    /// Connection refused, timeouts, 4xx replies: retry later.
    Transient(String),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Dir(AsyncFileTransport<Tokio1Executor>),
    Log,
}

/// Builds MIME messages and hands them to the configured transport.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// Where Message-IDs come from (the installation id and the public host).
    links: crate::links::Links,
}

/// The TLS mode `url` asks for (`smtps://` = TLS from the start,
/// `?tls=required|opportunistic` = STARTTLS), trusting `ca_file` beside the
/// public roots.
fn tls_with_extra_root(url: &str, ca_file: &std::path::Path) -> anyhow::Result<Tls> {
    let pem = std::fs::read(ca_file)
        .with_context(|| format!("cannot read SMTP_CA_FILE {}", ca_file.display()))?;
    let parsed = url::Url::parse(url).context("SMTP_URL is not a URL")?;
    let host = parsed
        .host_str()
        .context("SMTP_URL has no host")?
        .to_owned();
    let params = TlsParameters::builder(host)
        .add_root_certificate(
            Certificate::from_pem(&pem).context("SMTP_CA_FILE is not a PEM certificate")?,
        )
        .build_rustls()
        .context("cannot build the SMTP TLS settings")?;
    let mode = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    Ok(match (parsed.scheme(), mode.as_deref()) {
        ("smtps", _) => Tls::Wrapper(params),
        ("smtp", Some("required")) => Tls::Required(params),
        ("smtp", Some("opportunistic")) => Tls::Opportunistic(params),
        _ => {
            anyhow::bail!("SMTP_CA_FILE needs smtps:// or smtp://…?tls=required (or opportunistic)")
        }
    })
}

impl Mailer {
    /// `links` name this installation (its Message-IDs carry its id).
    pub fn new(settings: &MailSettings, links: crate::links::Links) -> anyhow::Result<Self> {
        let from: Mailbox = settings
            .from
            .parse()
            .with_context(|| format!("MAIL_FROM is not a valid address: {}", settings.from))?;
        let transport = match &settings.transport {
            MailTransport::Smtp(url) => {
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("SMTP_URL is not a valid smtp:// or smtps:// URL")?;
                if let Some(ca_file) = &settings.smtp_ca_file {
                    builder = builder.tls(tls_with_extra_root(url, ca_file)?);
                }
                Transport::Smtp(builder.timeout(Some(Duration::from_secs(20))).build())
            }
            MailTransport::Dir(dir) => {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create MAIL_DIR {}", dir.display()))?;
                Transport::Dir(AsyncFileTransport::<Tokio1Executor>::new(dir))
            }
            MailTransport::Log => Transport::Log,
        };
        Ok(Self {
            transport,
            from,
            links,
        })
    }

    fn build(&self, msg: &ClaimedMessage) -> Result<Message, SendError> {
        let parse_list = |json: &str| -> Result<Vec<Mailbox>, SendError> {
            let list: Vec<String> = serde_json::from_str(json)
                .map_err(|e| SendError::Permanent(format!("corrupt recipient list: {e}")))?;
            list.iter()
                .map(|a| {
                    a.parse::<Mailbox>()
                        .map_err(|e| SendError::Permanent(format!("invalid address: {e}")))
                })
                .collect()
        };
        let to = parse_list(&msg.recipients)?;
        if to.is_empty() {
            return Err(SendError::Permanent("no recipient".into()));
        }
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(msg.subject.clone())
            .header(MessageId::from(self.links.message_id(msg.id)));
        for mailbox in to {
            builder = builder.to(mailbox);
        }
        for mailbox in parse_list(&msg.cc)? {
            builder = builder.cc(mailbox);
        }
        let alternative =
            MultiPart::alternative_plain_html(msg.body_text.clone(), msg.body_html.clone());
        let body = match (&msg.calendar, &msg.calendar_method) {
            (Some(ics), Some(method)) => {
                let content_type =
                    ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                        .map_err(|e| SendError::Permanent(format!("bad calendar method: {e}")))?;
                MultiPart::mixed().multipart(alternative).singlepart(
                    Attachment::new("invite.ics".into()).body(ics.clone(), content_type),
                )
            }
            _ => alternative,
        };
        builder
            .multipart(body)
            .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
    }

    pub async fn send(&self, msg: &ClaimedMessage) -> Result<(), SendError> {
        let message = self.build(msg)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Transport::Dir(dir) => dir
                .send(message)
                .await
                .map(drop)
                .map_err(|e| SendError::Transient(e.to_string())),
            Transport::Log => {
                // Development transport: shows the message instead of sending
                // it, with every recipient's address and every link's token
                // masked (a token in a log is a password anyone with the log has).
                let recipients: Vec<String> = [&msg.recipients, &msg.cc]
                    .iter()
                    .filter_map(|json| serde_json::from_str::<Vec<String>>(json).ok())
                    .flatten()
                    .collect();
                let mask = |text: &str| {
                    let text = redact_link_tokens(text);
                    recipients.iter().fold(text, |t, address| {
                        t.replace(address.as_str(), "<recipient>")
                    })
                };
                tracing::info!(
                    outbox.id = msg.id,
                    kind = %msg.kind,
                    subject = %mask(&msg.subject),
                    body = %mask(&msg.body_text),
                    "mail (log transport)"
                );
                Ok(())
            }
        }
    }
}

/// `text` with the value of every `token=` parameter (the invitation and
/// reset links) replaced by `<redacted>`, for anything written to a log.
pub fn redact_link_tokens(text: &str) -> String {
    const KEY: &str = "token=";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY) {
        out.push_str(&rest[..at + KEY.len()]);
        rest = &rest[at + KEY.len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '%')))
            .unwrap_or(rest.len());
        if end > 0 {
            out.push_str("<redacted>");
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::{MailSettings, MailTransport};

    #[test]
    fn link_tokens_are_redacted_wherever_they_stand() {
        assert_eq!(
            redact_link_tokens(
                "Open http://x.test/password/set?token=0a1b2c3d4e5f6a7b and\nhttp://x.test/a?b=1&token=ff.\nno token= here"
            ),
            "Open http://x.test/password/set?token=<redacted> and\nhttp://x.test/a?b=1&token=<redacted>.\nno token= here"
        );
        assert_eq!(redact_link_tokens("nothing secret"), "nothing secret");
    }

    fn mailer() -> Mailer {
        Mailer::new(
            &MailSettings {
                transport: MailTransport::Log,
                smtp_ca_file: None,
                from: "barraiser <barraiser@example.com>".into(),
                public_url: "http://barraiser.test".into(),
                worker: false,
                poll_interval: Duration::from_secs(1),
                retry_base: Duration::from_secs(1),
                retry_max: Duration::from_secs(1),
            },
            crate::links::Links::new("http://barraiser.test", "feedc0de00000000"),
        )
        .unwrap()
    }

    /// Stored text from before the input rules (or any bug) cannot add a
    /// header: lettre encodes the subject as RFC 2047 words when it holds a
    /// line break, so the header stays one logical line.
    #[test]
    fn a_subject_with_a_line_break_cannot_add_a_header() {
        let message = ClaimedMessage {
            id: 1,
            kind: "interview_assigned".into(),
            recipients: r#"["dana@example.com"]"#.into(),
            cc: "[]".into(),
            subject: "Interview: Staff\r\nBcc: eve@example.com\r\n\r\nbody".into(),
            body_text: "text".into(),
            body_html: "<p>html</p>".into(),
            calendar: None,
            calendar_method: None,
            attempts: 1,
            give_up_at: now(),
        };
        let raw = String::from_utf8(mailer().build(&message).unwrap().formatted()).unwrap();
        let headers = &raw[..raw.find("\r\n\r\n").unwrap()];
        assert!(
            !headers
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{headers}"
        );
        assert_eq!(
            headers
                .lines()
                .filter(|l| l.starts_with("Subject:"))
                .count(),
            1
        );
    }
}
