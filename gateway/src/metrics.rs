//! `GET /metrics`: the service's counters in Prometheus text format.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::outbox::{Counts, State};

/// A request's outcome label.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct OutcomeLabel {
    /// `created`, `queued`, `refused_by_api`, `invalid`, `upstream_unavailable`, ... (see
    /// `app::Outcome`).
    pub(crate) outcome: &'static str,
}

/// An API call's label: which path made it, and what it said of the deal.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct CallLabel {
    /// `request` (a browser is waiting) or `outbox` (the deliverer).
    pub(crate) path: &'static str,
    /// `created`, `refused`, `auth_failed`, `not_created`, `unknown`.
    pub(crate) result: &'static str,
}

/// An outbox state's label.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct StateLabel {
    pub(crate) state: &'static str,
}

/// Every metric the service keeps.
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<OutcomeLabel, Counter>,
    api_calls: Family<CallLabel, Counter>,
    api_seconds: Family<CallLabel, Histogram>,
    outbox: Family<StateLabel, Gauge>,
    connections: Gauge,
    /// The series a request usually touches, made at start. A family's lookup hashes its
    /// labels under a lock, about 500 instructions; these are a few comparisons away, and
    /// share their values with the family's. Other labels go through the family.
    hot_requests: Vec<(&'static str, Counter)>,
    hot_calls: Vec<(&'static str, Counter, Histogram)>,
}

/// The outcomes of [`Metrics::hot_requests`]: those of `POST /deals` (see `app::Outcome`).
const HOT_OUTCOMES: [&str; 7] = [
    "created",
    "invalid",
    "queued",
    "refused_by_api",
    "upstream_unavailable",
    "upstream_outcome_unknown",
    "upstream_auth_failed",
];

/// The results of [`Metrics::hot_calls`], on the request path.
const HOT_RESULTS: [&str; 5] = [
    "created",
    "refused",
    "not_created",
    "unknown",
    "auth_failed",
];

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Registry::with_prefix("wegly_gateway");
        let requests = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "requests",
            "Requests answered, by outcome",
            requests.clone(),
        );
        let api_calls = Family::<CallLabel, Counter>::default();
        registry.register(
            "api_calls",
            "Calls to the Wegly API (each up to the client's attempts), by result",
            api_calls.clone(),
        );
        // 5 ms to about 20 s.
        let api_seconds = Family::<CallLabel, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.005, 2.0, 13))
        });
        registry.register(
            "api_call_seconds",
            "Time of a call to the Wegly API, retries included",
            api_seconds.clone(),
        );
        let outbox = Family::<StateLabel, Gauge>::default();
        registry.register("outbox_entries", "Outbox entries, by state", outbox.clone());
        let connections = Gauge::default();
        registry.register(
            "connections_open",
            "Client connections open",
            connections.clone(),
        );
        let hot_requests = HOT_OUTCOMES
            .into_iter()
            .map(|outcome| {
                let counter = requests.get_or_create(&OutcomeLabel { outcome }).clone();
                (outcome, counter)
            })
            .collect();
        let hot_calls = HOT_RESULTS
            .into_iter()
            .map(|result| {
                let label = CallLabel {
                    path: "request",
                    result,
                };
                let counter = api_calls.get_or_create(&label).clone();
                let histogram = api_seconds.get_or_create(&label).clone();
                (result, counter, histogram)
            })
            .collect();
        Metrics {
            registry,
            requests,
            api_calls,
            api_seconds,
            outbox,
            connections,
            hot_requests,
            hot_calls,
        }
    }

    /// A request answered with this outcome.
    pub(crate) fn request(&self, outcome: &'static str) {
        match self.hot_requests.iter().find(|(hot, _)| *hot == outcome) {
            Some((_, counter)) => _ = counter.inc(),
            None => _ = self.requests.get_or_create(&OutcomeLabel { outcome }).inc(),
        }
    }

    /// An API call that ended with `result` after `took`.
    pub(crate) fn api_call(&self, path: &'static str, result: &'static str, took: Duration) {
        let hot = (path == "request")
            .then(|| self.hot_calls.iter().find(|(hot, ..)| *hot == result))
            .flatten();
        if let Some((_, counter, histogram)) = hot {
            counter.inc();
            histogram.observe(took.as_secs_f64());
            return;
        }
        let label = CallLabel { path, result };
        self.api_calls.get_or_create(&label).inc();
        self.api_seconds
            .get_or_create(&label)
            .observe(took.as_secs_f64());
    }

    /// The connections gauge.
    pub(crate) fn connections(&self) -> &Gauge {
        &self.connections
    }

    /// The text exposition, with the outbox's counts as of now.
    pub(crate) fn render(&self, outbox: Option<Counts>) -> String {
        if let Some(counts) = outbox {
            for (state, count) in State::ALL.into_iter().zip(counts) {
                self.outbox
                    .get_or_create(&StateLabel {
                        state: state.as_str(),
                    })
                    .set(i64::try_from(count).unwrap_or(i64::MAX));
            }
        }
        let mut text = String::new();
        // OK to ignore: writing into a `String` cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_names_every_family() {
        let metrics = Metrics::new();
        metrics.request("created");
        metrics.request("overloaded");
        metrics.api_call("request", "created", Duration::from_millis(12));
        metrics.api_call("outbox", "created", Duration::from_millis(12));
        metrics.api_call("outbox", "created", Duration::from_millis(12));
        metrics.connections().inc();
        let text = metrics.render(Some([1, 0, 2, 0, 0]));
        for line in [
            // The series made at start count in the family: one value each.
            "wegly_gateway_requests_total{outcome=\"created\"} 1",
            "wegly_gateway_requests_total{outcome=\"queued\"} 0",
            "wegly_gateway_requests_total{outcome=\"overloaded\"} 1",
            "wegly_gateway_api_calls_total{path=\"request\",result=\"created\"} 1",
            "wegly_gateway_api_calls_total{path=\"outbox\",result=\"created\"} 2",
            "wegly_gateway_api_call_seconds_count{path=\"request\",result=\"created\"} 1",
            "wegly_gateway_outbox_entries{state=\"queued\"} 1",
            "wegly_gateway_outbox_entries{state=\"delivered\"} 2",
            "wegly_gateway_connections_open 1",
        ] {
            assert!(text.contains(line), "{line} in\n{text}");
        }
    }
}
