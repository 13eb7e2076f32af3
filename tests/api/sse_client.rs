//! A server-sent events client for tests: a real HTTP connection read line by
//! line on a thread of its own, each event handed over as it arrives.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::helpers::TestApp;

/// One event as it came over the wire.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: Option<String>,
    pub name: String,
    pub data: String,
}

impl Event {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or(Value::Null)
    }
    pub fn seq(&self) -> i64 {
        self.id.as_deref().and_then(|i| i.parse().ok()).unwrap_or(0)
    }
}

/// An open stream, or the answer that refused to open one.
pub enum Opened {
    Stream(Stream),
    Refused { status: u16, body: Value },
}

pub struct Stream {
    pub content_type: String,
    events: mpsc::Receiver<Event>,
}

impl Opened {
    #[track_caller]
    pub fn stream(self) -> Stream {
        match self {
            Opened::Stream(s) => s,
            Opened::Refused { status, body } => panic!("the stream was refused: {status} {body}"),
        }
    }

    #[track_caller]
    pub fn refused(self) -> (u16, Value) {
        match self {
            Opened::Refused { status, body } => (status, body),
            Opened::Stream(_) => panic!("the stream opened"),
        }
    }
}

/// Opens `path` with `headers` (a Bearer token, a cookie, `Last-Event-ID`).
pub fn open(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Opened {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut req = agent.get(app.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut res = req.call().expect("the stream request completes");
    let status = res.status().as_u16();
    if status != 200 {
        let text = res.body_mut().read_to_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        return Opened::Refused { status, body };
    }
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let (tx, rx) = mpsc::channel();
    let reader = BufReader::new(res.into_body().into_reader());
    std::thread::spawn(move || {
        let (mut id, mut name, mut data) = (None, String::new(), Vec::<String>::new());
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if line.is_empty() {
                if !data.is_empty() || !name.is_empty() {
                    let event = Event {
                        id: id.take(),
                        name: std::mem::take(&mut name),
                        data: data.join("\n"),
                    };
                    data.clear();
                    if tx.send(event).is_err() {
                        return;
                    }
                }
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
            let value = value.strip_prefix(' ').unwrap_or(value).to_owned();
            match field {
                "id" => id = Some(value),
                "event" => name = value,
                "data" => data.push(value),
                _ => {}
            }
        }
    });
    Opened::Stream(Stream {
        content_type,
        events: rx,
    })
}

impl Stream {
    /// The next event, waiting up to 10 s.
    #[track_caller]
    pub fn next(&self) -> Event {
        self.events
            .recv_timeout(Duration::from_secs(10))
            .expect("an event within 10 s")
    }

    /// The next `n` events.
    #[track_caller]
    pub fn take(&self, n: usize) -> Vec<Event> {
        (0..n).map(|_| self.next()).collect()
    }

    /// Whether the server ended the stream within `wait` (events before the end are skipped).
    pub fn ends_within(&self, wait: Duration) -> bool {
        let deadline = std::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.events.recv_timeout(left) {
                Ok(_) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => return true,
                Err(mpsc::RecvTimeoutError::Timeout) => return false,
            }
        }
    }

    /// Whether nothing more arrives within `wait`.
    pub fn quiet_for(&self, wait: Duration) -> Result<(), Event> {
        match self.events.recv_timeout(wait) {
            Ok(e) => Err(e),
            Err(_) => Ok(()),
        }
    }
}
