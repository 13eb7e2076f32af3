//! Password hashing: argon2id with the OWASP parameters, on a few dedicated
//! threads that each keep their 19 MiB of argon2 memory for the life of the
//! process.
//!
//! Hashing on the shared blocking pool allocated and freed 19 MiB per check
//! on whichever thread ran it; glibc kept those in per-thread arenas, and a
//! sign-in storm took the service from 128 MB to 2.4 GB resident. Here the
//! memory is `threads × 19 MiB`, allocated once, whatever the load.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use anyhow::{Context, anyhow};
use argon2::password_hash::generate_salt;
use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
use tokio::sync::oneshot;

use crate::error::ServiceError;

/// The OWASP parameters: m = 19456 KiB, t = 2, p = 1.
fn params() -> Params {
    Params::new(19_456, 2, 1, None).expect("the OWASP parameters are valid")
}

/// What a hashing thread is asked to do.
enum Job {
    Hash {
        password: String,
        reply: oneshot::Sender<anyhow::Result<String>>,
    },
    Verify {
        password: String,
        stored: String,
        reply: oneshot::Sender<bool>,
    },
}

/// Hashes and verifies passwords on `threads` dedicated threads: a flood of
/// sign-ins queues here instead of taking memory and cores from everything
/// else.
#[derive(Clone)]
pub struct Passwords {
    jobs: SyncSender<Job>,
    /// Verified against when the email is unknown, so that answer takes as long as a wrong password.
    dummy_hash: Arc<str>,
}

impl Passwords {
    pub fn new(threads: usize) -> anyhow::Result<Self> {
        let dummy = hash_now(&super::random_hex(16))?;
        // Requests beyond the queue wait (asynchronously) for room in it.
        let (jobs, queue) = sync_channel::<Job>(1024);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&queue))
                .context("cannot start a password hashing thread")?;
        }
        Ok(Self {
            jobs,
            dummy_hash: dummy.into(),
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, ServiceError> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Hash { password, reply }).await?;
        Ok(answer.await.context("password hashing thread stopped")??)
    }

    /// Checks `password` against `stored`; with no stored hash it burns the same
    /// time on a dummy hash and answers `false`.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, ServiceError> {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy_hash.to_string());
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Verify {
            password,
            stored,
            reply,
        })
        .await?;
        let ok = answer.await.context("password hashing thread stopped")?;
        Ok(ok && known)
    }

    async fn submit(&self, job: Job) -> Result<(), ServiceError> {
        let stopped = || anyhow!("password hashing threads stopped");
        match self.jobs.try_send(job) {
            Ok(()) => Ok(()),
            // 1,024 checks are queued already: wait for room off the event loop.
            Err(TrySendError::Full(job)) => {
                let jobs = self.jobs.clone();
                actix_web::web::block(move || jobs.send(job))
                    .await?
                    .map_err(|_| stopped())?;
                Ok(())
            }
            Err(TrySendError::Disconnected(_)) => Err(stopped().into()),
        }
    }
}

/// A hashing thread: takes jobs until every sender is gone, reusing one
/// argon2 memory.
fn work(queue: &Mutex<Receiver<Job>>) {
    let mut memory = Vec::new();
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(Job::Hash { password, reply }) => {
                let _ = reply.send(hash_with(&mut memory, &password));
            }
            Ok(Job::Verify {
                password,
                stored,
                reply,
            }) => {
                let _ = reply.send(verify_with(&mut memory, &password, &stored));
            }
            Err(_) => return,
        }
    }
}

/// The argon2 output of `password` with `salt` and the given settings, computed
/// in `memory` (grown if the settings need more).
fn output(
    memory: &mut Vec<Block>,
    password: &[u8],
    salt: &[u8],
    algorithm: Algorithm,
    version: Version,
    params: Params,
) -> Result<Output, argon2::Error> {
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let mut buffer = [0u8; Output::MAX_LENGTH];
    let out = buffer.get_mut(..len).ok_or(argon2::Error::OutputTooLong)?;
    Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password,
        salt,
        &mut *out,
        &mut memory[..blocks],
    )?;
    Output::new(out).map_err(|_| argon2::Error::OutputTooLong)
}

fn hash_with(memory: &mut Vec<Block>, password: &str) -> anyhow::Result<String> {
    let params = params();
    let salt = generate_salt();
    let out = output(
        memory,
        password.as_bytes(),
        &salt,
        Algorithm::Argon2id,
        Version::V0x13,
        params.clone(),
    )
    .map_err(|e| anyhow!("argon2 hashing failed: {e}"))?;
    let phc = |e: &dyn std::fmt::Display| anyhow!("argon2 hash encoding failed: {e}");
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| phc(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| phc(&e))?),
        hash: Some(out),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `stored` (compared in constant
/// time); a string that is not an argon2 hash never matches.
fn verify_with(memory: &mut Vec<Block>, password: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
        return false;
    };
    let settings = (
        Algorithm::try_from(hash.algorithm.as_str()),
        hash.version
            .map_or(Ok(Version::default()), Version::try_from),
        Params::try_from(&hash),
    );
    let (Ok(algorithm), Ok(version), Ok(params)) = settings else {
        return false;
    };
    output(
        memory,
        password.as_bytes(),
        salt,
        algorithm,
        version,
        params,
    )
    .is_ok_and(|computed| &computed == expected)
}

/// Hashes synchronously (start-up, CLI). Request handlers use [`Passwords::hash`].
pub fn hash_now(password: &str) -> anyhow::Result<String> {
    hash_with(&mut Vec::new(), password)
}

#[cfg(test)]
mod tests {
    use argon2::PasswordVerifier;

    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash_now("correct horse battery staple").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        // The argon2 crate's own verifier agrees with the hash...
        let reference = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            reference
                .verify_password(b"correct horse battery staple", &parsed)
                .is_ok()
        );
        // ...and ours, with one memory reused, with the argon2 crate's hashes.
        let mut memory = Vec::new();
        assert!(verify_with(
            &mut memory,
            "correct horse battery staple",
            &hash
        ));
        assert!(!verify_with(
            &mut memory,
            "wrong horse battery staple",
            &hash
        ));
        let theirs = argon2::PasswordHasher::hash_password(&reference, b"hunter42")
            .unwrap()
            .to_string();
        assert!(verify_with(&mut memory, "hunter42", &theirs));
        assert!(!verify_with(&mut memory, "hunter43", &theirs));
    }

    #[test]
    fn hashes_of_other_settings_verify_and_garbage_never_does() {
        // A hash made with smaller settings (say, before an upgrade) still verifies.
        let small = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(1024, 1, 1, None).unwrap(),
        );
        let old = argon2::PasswordHasher::hash_password(&small, b"old password")
            .unwrap()
            .to_string();
        let mut memory = Vec::new();
        assert!(verify_with(&mut memory, "old password", &old));
        assert!(!verify_with(&mut memory, "old passwore", &old));
        for garbage in [
            "",
            "plain text",
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "$md5$x$y",
        ] {
            assert!(!verify_with(&mut memory, "", garbage), "{garbage}");
        }
    }

    #[test]
    fn the_threads_answer_hashes_and_checks() {
        let passwords = Passwords::new(2).unwrap();
        actix_web::rt::System::new().block_on(async {
            let hash = passwords.hash("a long passphrase".into()).await.unwrap();
            let right = passwords.verify("a long passphrase".into(), Some(hash.clone()));
            let wrong = passwords.verify("a long passphrase!".into(), Some(hash));
            let unknown = passwords.verify("a long passphrase".into(), None);
            assert!(right.await.unwrap());
            assert!(!wrong.await.unwrap());
            assert!(!unknown.await.unwrap());
        });
    }
}
