//! Hash chains, the tamper-evidence of every audit log: each event stores
//! `hash = SHA-256(prev_hash ‖ content)`, so changing, removing or reordering
//! an event breaks every hash after it. A loop has its chain; the organisation
//! has one more. [`Verifier`] recomputes a chain an event at a time, so a long
//! one is checked in batches.

use serde::Serialize;

/// The `prev_hash` of a chain's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of an event: its predecessor's hash and its content, one field
/// per line.
pub fn link(prev_hash: &str, fields: &[&str]) -> String {
    let mut content = String::with_capacity(prev_hash.len() + 128);
    content.push_str(prev_hash);
    for f in fields {
        content.push('\n');
        content.push_str(f);
    }
    crate::auth::sha256_hex(&content)
}

/// An event's time as it is hashed (microseconds, UTC).
pub fn hashed_time(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The acting user as it is hashed (`system` for the service itself).
pub fn hashed_actor(actor_id: Option<i64>) -> String {
    actor_id.map_or_else(|| "system".to_owned(), |a| a.to_string())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Verification {
    pub ok: bool,
    pub events: usize,
    /// The first event whose stored hashes do not match the recomputed chain.
    pub first_mismatch: Option<Mismatch>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Mismatch {
    pub event_id: i64,
    pub seq: i64,
    pub reason: &'static str,
}

/// Walks a chain in sequence order and stops at the first broken link.
pub struct Verifier {
    prev: String,
    events: usize,
    mismatch: Option<Mismatch>,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            prev: GENESIS.to_owned(),
            events: 0,
            mismatch: None,
        }
    }
}

impl Verifier {
    /// Checks the next event; `recomputed` is its hash from its stored content
    /// and the stored `prev_hash`. Returns false once a link is broken.
    pub fn check(
        &mut self,
        id: i64,
        seq: i64,
        prev_hash: &str,
        hash: &str,
        recomputed: impl FnOnce() -> String,
    ) -> bool {
        if self.mismatch.is_some() {
            return false;
        }
        self.events += 1;
        let reason = if seq != self.events as i64 {
            Some("sequence_gap")
        } else if prev_hash != self.prev {
            Some("previous_hash_mismatch")
        } else if recomputed() != hash {
            Some("content_hash_mismatch")
        } else {
            None
        };
        match reason {
            Some(reason) => {
                self.mismatch = Some(Mismatch {
                    event_id: id,
                    seq,
                    reason,
                });
                false
            }
            None => {
                hash.clone_into(&mut self.prev);
                true
            }
        }
    }

    /// The outcome, counting `total` events in the chain.
    pub fn finish(self, total: usize) -> Verification {
        Verification {
            ok: self.mismatch.is_none(),
            events: total.max(self.events),
            first_mismatch: self.mismatch,
        }
    }
}
