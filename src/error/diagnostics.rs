//! The private report sink: [`Diagnostics`] collects errors and warnings while a validator
//! walks a document.

use std::fmt;

#[cfg(test)]
use super::DEFAULT_MAX_REPORTS;
use super::report::{Key, Message, Pointer, Repair};
use super::{ErrorCode, ValidationError, Warning, WarningCode};

/// Collects errors and warnings while a validator walks a document, tracking the JSON Pointer
/// of the member under inspection.
///
/// - The path is a stack of steps: a member name the reader knows is a `'static` string, an
///   index is a number, and only other keys are copied (into one buffer, cut back in place).
///   It is written as a JSON Pointer only when something is reported.
/// - Messages are `Display` values rendered only when kept: past the limit (`docs/rules.md`
///   §3.1, 100 by default) a report is only counted, so a hostile payload of a million bad items
///   costs no string per item, and a final `too_many_errors` / `too_many_warnings` gives the
///   count.
/// - Every report carries the tick of the clock when it was made. A reader that learns that a
///   JSON member it already read is repeated (the last occurrence wins, `docs/rules.md` §3.1)
///   retracts every report made while it read the earlier one ([`Diagnostics::retract`]).
#[derive(Debug)]
pub(crate) struct Diagnostics {
    errors: Reports<ValidationError>,
    warnings: Reports<Warning>,
    /// The current path, step by step.
    path: Vec<Step>,
    /// The text of the `Step::Copied` keys.
    copied: String,
    /// A last token not written into `path`: [`at_leaf`](Self::at_leaf) costs nothing until
    /// something is reported.
    leaf: Option<&'static str>,
    clock: u32,
    /// The tick of the last report, kept or only counted (0: none yet).
    last_report: u32,
}

/// Reports of one kind, bounded.
#[derive(Debug)]
struct Reports<T> {
    kept: Vec<T>,
    /// The tick of each kept report, as runs: `(tick, first)` says that the reports from
    /// `kept[first]` on were made at `tick` (or later, up to the next run). Ticks only grow, so
    /// the reports of one tick are together. A report made at tick 0 before any run needs no
    /// run: most documents never tick (a URL alone), and keep no list of runs.
    runs: Vec<(u32, usize)>,
    max: usize,
    /// Reports past `max`, as runs of (tick, count).
    dropped: Vec<(u32, usize)>,
}

impl<T> Reports<T> {
    fn new(max: usize) -> Self {
        Reports {
            kept: Vec::new(),
            runs: Vec::new(),
            max,
            dropped: Vec::new(),
        }
    }

    fn is_full(&self) -> bool {
        self.kept.len() >= self.max
    }

    #[inline]
    fn push(&mut self, tick: u32, report: T) {
        let last = self.runs.last().map_or(0, |&(last, _)| last);
        if last != tick {
            self.runs.push((tick, self.kept.len()));
        }
        if self.kept.capacity() == 0 {
            // A URL with one repair usually has several: one allocation for the first eight,
            // made directly rather than through the growth path of `reserve`.
            self.kept = Vec::with_capacity(8);
        }
        self.kept.push(report);
    }

    fn count_dropped(&mut self, tick: u32) {
        match self.dropped.last_mut() {
            Some((last, count)) if *last == tick => *count += 1,
            _ => self.dropped.push((tick, 1)),
        }
    }

    /// The tick of each kept report, in order.
    fn ticks(&self) -> impl Iterator<Item = u32> + '_ {
        let mut runs = self.runs.iter().peekable();
        let mut tick = 0;
        (0..self.kept.len()).map(move |i| {
            while let Some(&&(next, first)) = runs.peek() {
                if first > i {
                    break;
                }
                tick = next;
                runs.next();
            }
            tick
        })
    }

    fn retract(&mut self, ticks: &std::ops::Range<u32>) {
        let keep: Vec<u32> = self.ticks().collect();
        let mut kept = Vec::with_capacity(self.kept.len());
        let mut runs: Vec<(u32, usize)> = Vec::new();
        for (report, tick) in std::mem::take(&mut self.kept).into_iter().zip(keep) {
            if ticks.contains(&tick) {
                continue;
            }
            if runs.last().map_or(0, |&(last, _)| last) != tick {
                runs.push((tick, kept.len()));
            }
            kept.push(report);
        }
        self.kept = kept;
        self.runs = runs;
        self.dropped.retain(|(tick, _)| !ticks.contains(tick));
    }

    fn dropped(&self) -> usize {
        self.dropped.iter().map(|(_, count)| count).sum()
    }

    fn len(&self) -> usize {
        self.kept.len()
    }
}

/// A JSON Pointer reference token: an object member name or an array index.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token<'a> {
    /// A key of any lifetime: copied onto the path.
    Key(&'a str),
    /// A member name the reader knows: kept as a reference.
    Name(&'static str),
    Index(usize),
}

/// One step of the path.
#[derive(Debug, Clone, Copy)]
enum Step {
    Name(&'static str),
    Index(usize),
    /// A key copied into `Diagnostics::copied`, at this byte range.
    Copied(usize, usize),
}

/// Where the path was before [`Diagnostics::enter`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    steps: usize,
    copied: usize,
}

impl<'a> From<&'a str> for Token<'a> {
    fn from(key: &'a str) -> Self {
        Token::Key(key)
    }
}

impl From<usize> for Token<'_> {
    fn from(index: usize) -> Self {
        Token::Index(index)
    }
}

impl Diagnostics {
    #[cfg(test)]
    pub(crate) fn new() -> Self {
        Self::with_limits(DEFAULT_MAX_REPORTS, DEFAULT_MAX_REPORTS)
    }

    pub(crate) fn with_limits(max_errors: usize, max_warnings: usize) -> Self {
        Diagnostics {
            errors: Reports::new(max_errors),
            warnings: Reports::new(max_warnings),
            path: Vec::new(),
            copied: String::new(),
            leaf: None,
            clock: 0,
            last_report: 0,
        }
    }

    /// Runs `f` with the path extended by one object member or array index.
    #[inline]
    pub(crate) fn at<'t, R>(
        &mut self,
        token: impl Into<Token<'t>>,
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        let mark = self.enter(token);
        let result = f(self);
        self.leave(mark);
        result
    }

    /// Runs `f` with the path extended by a member name the code knows: referred to, not
    /// copied, unlike a key read from the input ([`at`](Self::at)).
    #[inline]
    pub(crate) fn at_name<R>(&mut self, name: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.at(Token::Name(name), f)
    }

    /// Runs `f` with the path extended by a fixed member name, written only if `f` reports
    /// something. `f` must not extend the path further.
    #[inline]
    pub(crate) fn at_leaf<R>(&mut self, name: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        debug_assert!(!name.contains(['~', '/']), "{name}");
        let outer = self.leaf.replace(name);
        let result = f(self);
        self.leaf = outer;
        result
    }

    /// Extends the path by one token; [`leave`](Self::leave) with the mark cuts it back.
    #[inline]
    pub(crate) fn enter<'t>(&mut self, token: impl Into<Token<'t>>) -> Mark {
        debug_assert!(self.leaf.is_none(), "no path below a leaf");
        let mark = Mark {
            steps: self.path.len(),
            copied: self.copied.len(),
        };
        let step = match token.into() {
            Token::Name(name) => {
                debug_assert!(!name.contains(['~', '/']), "{name}");
                Step::Name(name)
            }
            Token::Index(index) => Step::Index(index),
            Token::Key(key) => {
                self.copied.push_str(key);
                Step::Copied(mark.copied, self.copied.len())
            }
        };
        self.path.push(step);
        mark
    }

    /// Cuts the path back to a mark of [`enter`](Self::enter).
    #[inline]
    pub(crate) fn leave(&mut self, mark: Mark) {
        self.path.truncate(mark.steps);
        self.copied.truncate(mark.copied);
    }

    /// An empty sink with the same limits.
    pub(crate) fn fresh(&self) -> Self {
        Self::with_limits(self.errors.max, self.warnings.max)
    }

    /// Advances the clock: reports made from now on can be told from earlier ones.
    #[inline]
    pub(crate) fn tick(&mut self) -> u32 {
        self.clock = self.clock.wrapping_add(1);
        self.clock
    }

    /// Whether a report was made (kept or only counted) since the clock read `tick`: most
    /// members report nothing, and their reader then need not remember when they were read.
    /// (After a retraction it may say yes for a report retracted since: harmless, there is then
    /// nothing to retract.)
    #[inline]
    pub(crate) fn reported_since(&self, tick: u32) -> bool {
        self.last_report >= tick
    }

    /// Forgets every report made during `ticks` (an earlier occurrence of a repeated member).
    #[cold]
    pub(crate) fn retract(&mut self, ticks: std::ops::Range<u32>) {
        self.errors.retract(&ticks);
        self.warnings.retract(&ticks);
    }

    /// The current path as a JSON Pointer. A path of one fixed name is kept as that name, and
    /// costs no allocation: the warnings of a URL alone are all at `/url_conversion`.
    #[inline]
    fn pointer(&self) -> Pointer {
        match (self.path.as_slice(), self.leaf) {
            ([], None) => Pointer::ROOT,
            ([], Some(name)) | (&[Step::Name(name)], None) => Pointer::name(name),
            _ => self.write_pointer(),
        }
    }

    /// The current path written out, `~` and `/` escaped (RFC 6901 section 3).
    #[cold]
    fn write_pointer(&self) -> Pointer {
        let mut pointer = String::with_capacity(32);
        let key = |pointer: &mut String, key: &str| {
            pointer.push('/');
            if !key.bytes().any(|b| b == b'~' || b == b'/') {
                return pointer.push_str(key);
            }
            for c in key.chars() {
                match c {
                    '~' => pointer.push_str("~0"),
                    '/' => pointer.push_str("~1"),
                    c => pointer.push(c),
                }
            }
        };
        // A fixed name holds no `~` nor `/` (checked where it enters the path): no escaping.
        let name = |pointer: &mut String, name: &str| {
            pointer.push('/');
            pointer.push_str(name);
        };
        for step in &self.path {
            match *step {
                Step::Name(fixed) => name(&mut pointer, fixed),
                Step::Copied(start, end) => {
                    key(
                        &mut pointer,
                        self.copied.get(start..end).unwrap_or_default(),
                    );
                }
                Step::Index(index) => {
                    use fmt::Write;
                    // Writing into a `String` cannot fail.
                    let _ = write!(pointer, "/{index}");
                }
            }
        }
        if let Some(leaf) = self.leaf {
            name(&mut pointer, leaf);
        }
        Pointer::text(pointer)
    }

    /// Reports an error at the current path; `message` is rendered only if it is kept.
    #[cold]
    pub(crate) fn error(&mut self, code: ErrorCode, message: impl fmt::Display) {
        self.last_report = self.clock;
        if self.errors.is_full() {
            return self.errors.count_dropped(self.clock);
        }
        let error = ValidationError::new(self.pointer(), code, Message::render(message));
        self.errors.push(self.clock, error);
    }

    /// Reports a warning at the current path; `message` is rendered only if it is kept.
    #[cold]
    pub(crate) fn warn(&mut self, code: WarningCode, message: impl fmt::Display) {
        self.warn_at_path(code, message, None);
    }

    /// Reports a warning at another path than the current one.
    #[cold]
    pub(crate) fn warn_at(&mut self, path: &str, code: WarningCode, message: impl fmt::Display) {
        self.warn_at_path(code, message, Some(path));
    }

    fn warn_at_path(&mut self, code: WarningCode, message: impl fmt::Display, path: Option<&str>) {
        self.last_report = self.clock;
        if self.warnings.is_full() {
            return self.warnings.count_dropped(self.clock);
        }
        let path = path.map_or_else(|| self.pointer(), |path| Pointer::text(path.to_owned()));
        let warning = Warning::new(path, code, Message::render(message));
        self.warnings.push(self.clock, warning);
    }

    /// Reports a wrong JSON type at the current path.
    #[cold]
    pub(crate) fn invalid_type(&mut self, expected: &str, found: &str) {
        self.error(
            ErrorCode::InvalidType,
            format_args!("expected {expected}, found {found}"),
        );
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors.len() > 0 || !self.errors.dropped.is_empty()
    }

    /// The warnings, with `too_many_warnings` last when some were dropped.
    pub(crate) fn into_warnings(mut self) -> Vec<Warning> {
        self.take_warnings()
    }

    /// [`into_warnings`](Self::into_warnings) by reference: the sink (a few hundred bytes)
    /// is not moved, and is dropped where it lies.
    #[inline]
    pub(crate) fn take_warnings(&mut self) -> Vec<Warning> {
        if self.warnings.dropped.is_empty() {
            // The usual case, without the sorting and counting of `finish`; most often empty.
            return std::mem::take(&mut self.warnings.kept);
        }
        std::mem::replace(self, self.fresh()).finish(|_| 0).1
    }

    /// The errors and warnings, each list with its `too_many_*` report last when some were
    /// dropped. Errors are put in a stable order by `rank` (of the path), then as reported.
    pub(crate) fn finish<K: Ord>(
        self,
        rank: impl Fn(&str) -> K,
    ) -> (Vec<ValidationError>, Vec<Warning>) {
        let dropped = self.errors.dropped();
        let mut errors = self.errors.kept;
        errors.sort_by_cached_key(|e| rank(&e.path().to_string()));
        if dropped > 0 {
            errors.push(ValidationError::new(
                Pointer::ROOT,
                ErrorCode::TooManyErrors,
                Message::text(format!("{dropped} more errors were found and not reported")),
            ));
        }
        let dropped = self.warnings.dropped();
        let mut warnings = self.warnings.kept;
        if dropped > 0 {
            warnings.push(Warning::new(
                Pointer::ROOT,
                WarningCode::TooManyWarnings,
                Message::text(format!(
                    "{dropped} more warnings were found and not reported"
                )),
            ));
        }
        (errors, warnings)
    }
}

/// Where the rules of a URL (`docs/rules.md` §2.2-2.4) report: the only reports they make are
/// warnings, at `url_conversion`. [`Diagnostics`] keeps them; [`DropWarnings`] is for a caller
/// that returns none ([`Marketing::from_url`]), so that they are not even made, nor a
/// [`Diagnostics`] with them.
///
/// [`Marketing::from_url`]: crate::Marketing::from_url
pub(crate) trait WarningSink {
    /// Runs `f` at the member `name` of the current object.
    fn at_leaf<R>(&mut self, name: &'static str, f: impl FnOnce(&mut Self) -> R) -> R;
    /// A warning at the current path; `message` is rendered only if it is kept.
    fn warn(&mut self, code: WarningCode, message: impl fmt::Display);
    /// The repair of the URL parameter `key` at the current path.
    fn warn_repair(&mut self, code: WarningCode, repair: Repair, key: Key);
}

impl WarningSink for Diagnostics {
    #[inline]
    fn at_leaf<R>(&mut self, name: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        Diagnostics::at_leaf(self, name, f)
    }

    #[inline]
    fn warn(&mut self, code: WarningCode, message: impl fmt::Display) {
        Diagnostics::warn(self, code, message);
    }

    /// Its message is written only when read, for the warnings a URL may repeat on every
    /// parameter (a hash router's `param_in_fragment`).
    #[inline]
    fn warn_repair(&mut self, code: WarningCode, repair: Repair, key: Key) {
        self.last_report = self.clock;
        if self.warnings.is_full() {
            return self.warnings.count_dropped(self.clock);
        }
        let warning = Warning::new(self.pointer(), code, Message::repair(repair, key));
        self.warnings.push(self.clock, warning);
    }
}

/// A [`WarningSink`] that drops every warning unmade.
pub(crate) struct DropWarnings;

impl WarningSink for DropWarnings {
    #[inline]
    fn at_leaf<R>(&mut self, _: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        f(self)
    }

    #[inline]
    fn warn(&mut self, _: WarningCode, _: impl fmt::Display) {}

    #[inline]
    fn warn_repair(&mut self, _: WarningCode, _: Repair, _: Key) {}
}
