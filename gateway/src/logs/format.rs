//! How a log line is written: the layout of `tracing-subscriber`'s default format, without
//! its cost.
//!
//! ```text
//! 2026-12-06T05:35:59.062434Z  INFO wegly_gateway::app: request request_id=17 method=POST path=/deals status=201 outcome=created latency_us=812
//! ```
//!
//! The default format spent about 7,500 instructions on the line of every request (5% of the
//! request): each field through a `format_args!` of its own, the time from a calendar
//! computed afresh. Here a text field is copied as it is, and the date and time to the
//! second are kept per thread and made again only when the second changes. The gateway
//! opens no spans, so none are shown.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// The gateway's line format (see the module).
pub(crate) struct Format;

impl<S, N> FormatEvent<S, N> for Format
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        write_now(&mut writer)?;
        let metadata = event.metadata();
        write!(writer, " {:>5} ", metadata.level().as_str())?;
        writer.write_str(metadata.target())?;
        writer.write_str(":")?;
        let mut fields = Fields {
            writer: &mut writer,
            result: Ok(()),
        };
        event.record(&mut fields);
        fields.result?;
        writer.write_char('\n')
    }
}

/// Writes each field as ` name=value`, the message as ` text`.
struct Fields<'w, 'a> {
    writer: &'w mut Writer<'a>,
    result: fmt::Result,
}

impl Fields<'_, '_> {
    fn name(&mut self, field: &Field) -> fmt::Result {
        self.writer.write_char(' ')?;
        if field.name() != "message" {
            self.writer.write_str(field.name())?;
            self.writer.write_char('=')?;
        }
        Ok(())
    }
}

impl Visit for Fields<'_, '_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if self.result.is_ok() {
            self.result = self.name(field).and_then(|()| self.writer.write_str(value));
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if self.result.is_ok() {
            self.result = self
                .name(field)
                .and_then(|()| write!(self.writer, "{value}"));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if self.result.is_ok() {
            self.result = self
                .name(field)
                .and_then(|()| write!(self.writer, "{value}"));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        // `%value` fields come here too, their `Debug` being their `Display`.
        if self.result.is_ok() {
            self.result = self
                .name(field)
                .and_then(|()| write!(self.writer, "{value:?}"));
        }
    }
}

thread_local! {
    /// The second last written on this thread, and its text up to the seconds.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

/// Writes the time as RFC 3339 in UTC with microseconds: `2026-12-06T05:35:59.062434Z`.
fn write_now(writer: &mut Writer<'_>) -> fmt::Result {
    // A clock before 1970 shows as 1970: a log line is no place to fail.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let second = now.as_secs();
    SECOND.with(|cached| {
        let mut cached = cached.borrow_mut();
        if cached.0 != second {
            cached.1.clear();
            let at = i64::try_from(second)
                .ok()
                .and_then(|second| jiff::Timestamp::from_second(second).ok())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
            write!(cached.1, "{}", at.strftime("%Y-%m-%dT%H:%M:%S"))?;
            cached.0 = second;
        }
        writer.write_str(&cached.1)
    })?;
    write!(writer, ".{:06}Z", now.subsec_micros())
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::fmt::MakeWriter;

    use super::*;

    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Sink {
        type Writer = Sink;

        fn make_writer(&'a self) -> Sink {
            self.clone()
        }
    }

    #[test]
    fn a_line_has_the_default_layout() {
        let sink = Sink::default();
        let subscriber = tracing_subscriber::fmt()
            .event_format(Format)
            .with_writer(sink.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let outcome = "created";
            tracing::info!(
                request_id = %"17",
                path = "/deals",
                status = 201_u64,
                outcome = %outcome,
                delta = -3_i64,
                debugged = ?Some(1),
                "request"
            );
            tracing::warn!("no fields");
        });
        let written = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), 2, "{written}");
        let (time, rest) = lines[0].split_once(' ').unwrap();
        // The time reads back as an RFC 3339 instant, to the microsecond.
        let at: jiff::Timestamp = time.parse().unwrap();
        assert!(time.ends_with('Z') && time.len() == "2026-12-06T05:35:59.062434Z".len());
        let now = jiff::Timestamp::now();
        assert!(at <= now && now.duration_since(at) < jiff::SignedDuration::from_secs(60));
        assert_eq!(
            rest,
            " INFO wegly_gateway::logs::format::tests: request request_id=17 path=/deals \
             status=201 outcome=created delta=-3 debugged=Some(1)"
        );
        assert!(lines[1].ends_with("  WARN wegly_gateway::logs::format::tests: no fields"));
    }
}
