//! Prometheus metrics (`GET /metrics`, OpenMetrics text) with the
//! `prometheus-client` crate: requests and their latency by route pattern and
//! status, outbox depth by state, reminders sent, the database pool, and build
//! information. Gauges that describe the database are read at scrape time.

use std::sync::Arc;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::db::{Db, outbox};
use crate::error::ServiceError;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    /// The route pattern (`/api/v1/loops/{id}`), never the raw path.
    pub route: String,
    pub status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BuildLabels {
    version: String,
    backend: String,
}

/// Every metric of the process, registered once.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    reminders: Counter,
    outbox: Family<StatusLabels, Gauge>,
    pool: Family<PoolLabels, Gauge>,
}

impl Metrics {
    pub fn new(backend: &str) -> Arc<Self> {
        let mut registry = Registry::with_prefix("barraiser");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            // 1 ms … about 4 s.
            Histogram::new(exponential_buckets(0.001, 2.0, 13))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests, by method and route pattern",
            latency.clone(),
        );
        let reminders = Counter::default();
        registry.register(
            "feedback_reminders_sent",
            "Overdue-feedback reminders queued by this process",
            reminders.clone(),
        );
        let outbox = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "outbox_messages",
            "Messages in the mail outbox, by status",
            outbox.clone(),
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database connections of this process's pool, in use or idle",
            pool.clone(),
        );
        let build = Family::<BuildLabels, Gauge>::default();
        build
            .get_or_create(&BuildLabels {
                version: env!("CARGO_PKG_VERSION").into(),
                backend: backend.into(),
            })
            .set(1);
        registry.register(
            "build_info",
            "The running version and database backend",
            build,
        );
        Arc::new(Self {
            registry,
            requests,
            latency,
            reminders,
            outbox,
            pool,
        })
    }

    /// One answered request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.into(),
                route: route.into(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.into(),
                route: route.into(),
            })
            .observe(seconds);
    }

    pub fn reminders_sent(&self, n: usize) {
        self.reminders.inc_by(n as u64);
    }

    /// The exposition, with the database gauges read now.
    pub async fn scrape(&self, db: &Db) -> Result<String, ServiceError> {
        let counts = db.run(|c| Ok(outbox::counts(c)?)).await?;
        for status in [outbox::PENDING, outbox::SENT, outbox::FAILED] {
            let n = counts.get(status).copied().unwrap_or(0);
            self.outbox
                .get_or_create(&StatusLabels {
                    status: status.into(),
                })
                .set(n);
        }
        let (in_use, idle) = db.pool_state();
        for (state, n) in [("in_use", in_use), ("idle", idle)] {
            self.pool
                .get_or_create(&PoolLabels {
                    state: state.into(),
                })
                .set(i64::from(n));
        }
        let mut out = String::new();
        encode(&mut out, &self.registry)
            .map_err(|e| ServiceError::Internal(anyhow::anyhow!("encoding metrics: {e}")))?;
        Ok(out)
    }
}
