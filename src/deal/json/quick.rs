//! The quick reader: a `serde` deserializer over the document's text that reads the JSON the
//! payloads send and declines everything else.
//!
//! It serves the member readers exactly what `serde_json` serves them in the fast pass (the same
//! visitor calls with the same values), so a document it reads gives the same draft and the
//! same reports. It reads less: a number other than a plain non-negative integer goes to
//! `serde_json` alone, and anything unusual (a syntax error, a lone surrogate, deep nesting, a
//! reader's own error) makes it give up with [`Declined`]. The document is then read by
//! `serde_json` from the start, whose passes decide what is JSON and with which message: the
//! quick reader never decides that a document is not JSON.

use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The quick reader gave up; `serde_json` reads the document instead.
#[derive(Debug)]
pub(crate) struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for Declined {}

impl de::Error for Declined {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Declined
    }
}

/// The deepest nesting read here; `serde_json` has its own limit (128) for deeper documents.
const MAX_DEPTH: usize = 64;

/// The most digits of an integer read here: any 19 digits fit a `u64`.
const MAX_DIGITS: usize = 19;

/// Reads a document's text (already known to be UTF-8).
pub(crate) struct Quick<'de> {
    text: &'de str,
    pos: usize,
    depth: usize,
    /// Skipping a value: numbers are only checked, not read.
    skipping: bool,
    /// A string with escapes, decoded.
    scratch: String,
}

impl<'de> Quick<'de> {
    pub(crate) fn new(text: &'de str) -> Self {
        Quick {
            text,
            pos: 0,
            depth: 0,
            skipping: false,
            scratch: String::new(),
        }
    }

    /// The next byte after white space (JSON's four), not consumed.
    #[inline]
    fn next(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        let mut pos = self.pos;
        while let Some(&b) = bytes.get(pos) {
            if !is_space(b) {
                self.pos = pos;
                return Some(b);
            }
            pos += 1;
        }
        self.pos = pos;
        None
    }

    /// Checks that only white space follows the document.
    pub(crate) fn end(&mut self) -> Result<(), Declined> {
        match self.next() {
            None => Ok(()),
            Some(_) => Err(Declined),
        }
    }

    /// Consumes `expected` after white space.
    fn eat(&mut self, expected: u8) -> Result<(), Declined> {
        if self.next() == Some(expected) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Declined)
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), Declined> {
        let end = self.pos + word.len();
        if self.text.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(Declined)
        }
    }

    /// Reads a string whose opening quote was consumed: the text when it has no escape, `None`
    /// when it was decoded into `scratch`.
    #[inline]
    fn string(&mut self) -> Result<Option<&'de str>, Declined> {
        let text = self.text;
        let start = self.pos;
        let stop =
            start + special(text.as_bytes().get(start..).ok_or(Declined)?).ok_or(Declined)?;
        if text.as_bytes().get(stop) == Some(&b'"') {
            self.pos = stop + 1;
            return text.get(start..stop).map(Some).ok_or(Declined);
        }
        self.escaped(start, stop)?;
        Ok(None)
    }

    /// The rest of a string from its first backslash or control character at `stop`, decoded
    /// into `scratch` with the text from `start`.
    fn escaped(&mut self, start: usize, mut stop: usize) -> Result<(), Declined> {
        let text = self.text;
        self.scratch.clear();
        let mut from = start;
        loop {
            self.scratch.push_str(text.get(from..stop).ok_or(Declined)?);
            match text.as_bytes().get(stop) {
                Some(b'"') => {
                    self.pos = stop + 1;
                    return Ok(());
                }
                Some(b'\\') => from = self.escape(stop + 1)?,
                // `serde_json` rejects a raw control character in a string.
                _ => return Err(Declined),
            }
            stop = from + special(text.as_bytes().get(from..).ok_or(Declined)?).ok_or(Declined)?;
        }
    }

    /// Decodes the escape after a backslash at `at` into `scratch`; where the string goes on.
    fn escape(&mut self, at: usize) -> Result<usize, Declined> {
        let c = match self.text.as_bytes().get(at) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode(at + 1),
            _ => return Err(Declined),
        };
        self.scratch.push(c);
        Ok(at + 1)
    }

    /// Decodes `XXXX` (or a surrogate pair `XXXX\uXXXX`) at `at`; a lone surrogate is left to
    /// `serde_json`.
    fn unicode(&mut self, at: usize) -> Result<usize, Declined> {
        let first = self.hex(at)?;
        let (code, next) = match first {
            0xD800..=0xDBFF => {
                if self.text.get(at + 4..at + 6) != Some("\\u") {
                    return Err(Declined);
                }
                let second = self.hex(at + 6)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(Declined);
                }
                (
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00),
                    at + 10,
                )
            }
            0xDC00..=0xDFFF => return Err(Declined),
            _ => (first, at + 4),
        };
        self.scratch.push(char::from_u32(code).ok_or(Declined)?);
        Ok(next)
    }

    fn hex(&self, at: usize) -> Result<u32, Declined> {
        let digits = self.text.get(at..at + 4).ok_or(Declined)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Declined);
        }
        u32::from_str_radix(digits, 16).map_err(|_| Declined)
    }

    /// Reads a number: a plain non-negative integer here, any other as `serde_json` reads that
    /// text alone (the same value as in the document: a number ends where its characters do).
    fn number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Declined> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let len = bytes.get(start..).map_or(0, |rest| {
            rest.iter()
                .position(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                .unwrap_or(rest.len())
        });
        let text = self.text.get(start..start + len).ok_or(Declined)?;
        self.pos = start + len;
        let plain = len <= MAX_DIGITS
            && text.bytes().all(|b| b.is_ascii_digit())
            && (len == 1 || !text.starts_with('0'));
        if plain && let Ok(n) = text.parse::<u64>() {
            return visitor.visit_u64(n);
        }
        if self.skipping {
            // Only `IgnoredAny` reads while skipping, and takes anything.
            return if is_number(text.as_bytes()) {
                visitor.visit_unit()
            } else {
                Err(Declined)
            };
        }
        let mut alone = serde_json::Deserializer::from_str(text);
        let value = de::Deserializer::deserialize_any(&mut alone, visitor).map_err(|_| Declined)?;
        alone.end().map_err(|_| Declined)?;
        Ok(value)
    }

    /// Skips a value, checking that it is JSON as `serde_json` does when it skips one.
    fn skip(&mut self) -> Result<(), Declined> {
        let outer = std::mem::replace(&mut self.skipping, true);
        let skipped = de::Deserializer::deserialize_any(&mut *self, IgnoredAny);
        self.skipping = outer;
        skipped.map(|IgnoredAny| ())
    }

    fn enter(&mut self) -> Result<(), Declined> {
        self.pos += 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Declined);
        }
        Ok(())
    }
}

/// Whether `text` is a JSON number: `-`, an integer without leading zero, a fraction, an
/// exponent.
fn is_number(text: &[u8]) -> bool {
    let digits = |at: usize| {
        text.get(at..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    let mut at = usize::from(text.first() == Some(&b'-'));
    match (text.get(at), digits(at)) {
        (Some(b'0'), _) => at += 1,
        (Some(b'1'..=b'9'), count) => at += count,
        _ => return false,
    }
    if text.get(at) == Some(&b'.') {
        match digits(at + 1) {
            0 => return false,
            count => at += 1 + count,
        }
    }
    if matches!(text.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(text.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        match digits(at) {
            0 => return false,
            count => at += count,
        }
    }
    at == text.len()
}

/// JSON's white space.
#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

/// Where `text` has its first `"`, `\\` or control character: eight bytes at a time, each
/// word tested for the three at once (a byte is flagged where subtracting borrows, which can
/// flag a byte after the first match, never one before).
fn special(text: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let zero_in = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    let mut words = text.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut words {
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        let found = zero_in(word ^ (ONES * u64::from(b'"')))
            | zero_in(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGHS);
        if found != 0 {
            // `as` is exact: at most 63 / 8.
            #[allow(clippy::cast_possible_truncation)]
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|i| at + i)
}

impl<'de> de::Deserializer<'de> for &mut Quick<'de> {
    type Error = Declined;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        match self.next().ok_or(Declined)? {
            b'"' => {
                self.pos += 1;
                match self.string()? {
                    Some(text) => visitor.visit_borrowed_str(text),
                    None => visitor.visit_str(&self.scratch),
                }
            }
            b'{' => {
                self.enter()?;
                let value = visitor.visit_map(Entries {
                    de: &mut *self,
                    first: true,
                })?;
                self.depth -= 1;
                self.eat(b'}')?;
                Ok(value)
            }
            b'[' => {
                self.enter()?;
                let value = visitor.visit_seq(Elements {
                    de: &mut *self,
                    first: true,
                })?;
                self.depth -= 1;
                self.eat(b']')?;
                Ok(value)
            }
            b't' => {
                self.literal("true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal("false")?;
                visitor.visit_bool(false)
            }
            b'n' => {
                self.literal("null")?;
                visitor.visit_unit()
            }
            b'-' | b'0'..=b'9' => self.number(visitor),
            _ => Err(Declined),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Declined> {
        self.skip()?;
        visitor.visit_unit()
    }

    /// The only newtype the readers ask for is `serde_json`'s `RawValue`: the value's text,
    /// handed over as `serde_json` hands it (a map of one entry keyed by the type's name).
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Declined> {
        self.next();
        let start = self.pos;
        self.skip()?;
        let raw = self.text.get(start..self.pos).ok_or(Declined)?;
        visitor.visit_map(Raw {
            name,
            raw: Some(raw),
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map struct enum identifier
    }
}

/// The members of an object, after its `{`.
struct Entries<'a, 'de> {
    de: &'a mut Quick<'de>,
    first: bool,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Declined> {
        match self.de.next() {
            Some(b'}') => return Ok(None),
            Some(b',') if !self.first => {
                self.de.pos += 1;
                if self.de.next() != Some(b'"') {
                    return Err(Declined);
                }
            }
            Some(b'"') if self.first => {}
            _ => return Err(Declined),
        }
        self.first = false;
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Declined> {
        self.de.eat(b':')?;
        seed.deserialize(&mut *self.de)
    }
}

/// The items of an array, after its `[`.
struct Elements<'a, 'de> {
    de: &'a mut Quick<'de>,
    first: bool,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Declined;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Declined> {
        match self.de.next() {
            Some(b']') => return Ok(None),
            Some(b',') if !self.first => {
                self.de.pos += 1;
                if matches!(self.de.next(), Some(b']') | None) {
                    return Err(Declined);
                }
            }
            Some(_) if self.first => {}
            _ => return Err(Declined),
        }
        self.first = false;
        seed.deserialize(&mut *self.de).map(Some)
    }
}

/// A raw value as `serde_json` hands it to `RawValue`: one entry, the type's name then the text.
struct Raw<'de> {
    name: &'static str,
    raw: Option<&'de str>,
}

impl<'de> MapAccess<'de> for Raw<'de> {
    type Error = Declined;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Declined> {
        if self.raw.is_none() {
            return Ok(None);
        }
        seed.deserialize(BorrowedStrDeserializer::new(self.name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Declined> {
        let raw = self.raw.take().ok_or(Declined)?;
        seed.deserialize(BorrowedStrDeserializer::new(raw))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde::de::IgnoredAny;
    use serde_json::Value;
    use serde_json::value::RawValue;

    use super::{Declined, Quick};

    fn quick<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, Declined> {
        let mut quick = Quick::new(text);
        let value = T::deserialize(&mut quick)?;
        quick.end()?;
        Ok(value)
    }

    /// What the quick reader reads, it reads as `serde_json` does: the same value, numbers of
    /// the same kind (`-0` is a float there, a 20-digit integer a `u64` or a float).
    #[test]
    fn it_reads_what_serde_json_reads() {
        let documents = [
            r#"{"title": "T", "tags": ["a", "b"], "n": null, "t": true, "f": false}"#,
            "  {\n  \"a\" :\t[ 1 , 2 ]\r\n}  ",
            r#"{"esc": "a\"b\\c\/d\be\ff\ng\rh\ti\u00e7\u2013\ud83d\ude00", "k\u0065y": 1}"#,
            r#"[0, -0, 7, -7, 1.5, -1.5e3, 1E2, 4.0, 18446744073709551615, 18446744073709551616]"#,
            r#"[-9223372036854775808, -9223372036854775809, 12345678901234567890123]"#,
            r#"{"deep": [[[{"x": [{}]}]]], "empty": {}, "none": [], "": ""}"#,
            r#""only a string""#,
            "3",
            "\"ç é ü 漢字 \u{7f}\"",
        ];
        for text in documents {
            let expected: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
            let found: Value = quick(text).unwrap_or_else(|_| panic!("declined {text}"));
            assert_eq!(found, expected, "{text}");
            assert_eq!(found.to_string(), expected.to_string(), "{text}");
        }
    }

    /// A raw value is the same text as `serde_json`'s: from the value's first byte to its
    /// last, white space around left out.
    #[test]
    fn raw_values_are_serde_json_s() {
        let text = r#"{"a": [1, {"b": "c d"}] , "e":  "f\u00e7", "g":-1.25e2 }"#;
        let expected: BTreeMap<String, &RawValue> =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        let found: BTreeMap<String, &RawValue> = quick(text).unwrap_or_else(|_| panic!("declined"));
        let texts = |map: &BTreeMap<String, &RawValue>| {
            map.iter()
                .map(|(k, v)| (k.clone(), v.get().to_owned()))
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&found), texts(&expected));
        assert_eq!(texts(&found)[0].1, r#"[1, {"b": "c d"}]"#);
    }

    /// A skipped number is only checked, as `serde_json` checks it when it skips one: `1e400`
    /// passes (its member's rule judges it), a malformed number does not.
    #[test]
    fn skipped_numbers_are_checked_not_read() {
        for text in ["1e400", "-0", "0.5e-7", "12345678901234567890123", "-1E+2"] {
            assert!(serde_json::from_str::<IgnoredAny>(text).is_ok(), "{text}");
            assert!(quick::<IgnoredAny>(text).is_ok(), "{text}");
            assert!(
                quick::<Vec<IgnoredAny>>(&format!("[{text}]")).is_ok(),
                "{text}"
            );
        }
        for text in ["01", "1.", "-", "1e", "1e+", "-.5", "1.5.2", "1-2", "+1"] {
            assert!(quick::<IgnoredAny>(text).is_err(), "{text}");
        }
    }

    /// What is not JSON, a number `serde_json` refuses, a lone surrogate and deep nesting are
    /// left to `serde_json`.
    #[test]
    fn it_declines_the_unusual() {
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        let documents = [
            "",
            " ",
            "{",
            "[1,]",
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            r#"{a: 1}"#,
            "[1 2]",
            "01",
            "1.",
            "-",
            "1e400",
            "tru",
            "nul",
            "{} x",
            "\"a\u{1}b\"",
            r#""\ud800""#,
            r#""\udc00x""#,
            r#""\x""#,
            r#""\u12"#,
            "\"open",
            deep.as_str(),
        ];
        for text in documents {
            assert!(quick::<Value>(text).is_err(), "read {text:?}");
        }
    }
}
