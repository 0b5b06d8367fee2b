//! Word-at-a-time ("SWAR") byte tests: a value's bytes, eight at a time in a `u64`, tested all
//! at once with a few integer operations.
//!
//! The values the channel rules read are short (a source, a medium, a campaign: mostly under
//! 32 bytes), too short for SIMD searchers to pay off, and long enough that a byte loop costs
//! several instructions a byte.

/// `byte` in each of the eight bytes of a word.
pub(super) const fn splat(byte: u8) -> u64 {
    0x0101_0101_0101_0101 * byte as u64
}

/// The bytes of `bytes`, eight at a time as little-endian words, each with the offset of its
/// first byte; the last few bytes as the low bytes of one more word, padded with zero bytes.
/// The callers' tests never take a zero byte for what they look for.
pub(super) fn words(bytes: &[u8]) -> Words<'_> {
    Words {
        all: bytes,
        rest: bytes,
        start: 0,
    }
}

/// The iterator of [`words`].
#[derive(Debug, Clone)]
pub(super) struct Words<'a> {
    all: &'a [u8],
    rest: &'a [u8],
    start: usize,
}

impl Iterator for Words<'_> {
    type Item = (usize, u64);

    #[inline]
    fn next(&mut self) -> Option<(usize, u64)> {
        let word = if let Some((word, rest)) = self.rest.split_first_chunk::<8>() {
            self.rest = rest;
            u64::from_le_bytes(*word)
        } else if self.rest.is_empty() {
            return None;
        } else {
            let tail = self.rest.len();
            self.rest = &[];
            match self.all.last_chunk::<8>() {
                // The last eight bytes, shifted down past those already read.
                Some(last) => u64::from_le_bytes(*last) >> ((8 - tail) * 8),
                None => self
                    .all
                    .iter()
                    .rev()
                    .fold(0, |word, &b| word << 8 | u64::from(b)),
            }
        };
        let start = self.start;
        self.start += 8;
        Some((start, word))
    }
}

/// The zero bytes of `x`, as their high bits. Exact for the lowest one; above it, a byte
/// holding 1 may be marked too, as the borrow of the subtraction spills. Callers either only
/// ask whether any byte is zero, which is exact, or compare each marked place, which rejects
/// the false ones.
pub(super) const fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(splat(1)) & !x & splat(0x80)
}

/// The bytes of `word` equal to `byte`, as their high bits (see [`zero_bytes`]).
pub(super) const fn bytes_equal(word: u64, byte: u8) -> u64 {
    zero_bytes(word ^ splat(byte))
}

/// The bytes of `word` that are ASCII upper case, as their high bits. Exact: the sums are
/// taken on the low seven bits, so no carry crosses a byte, and bytes of 0x80 and above are
/// masked out.
pub(super) const fn upper_bytes(word: u64) -> u64 {
    let low = word & splat(0x7f);
    // A byte reaches 0x80 when it is at least `A`, and when it is at least `[` (past `Z`).
    let at_least_a = low + splat(0x80 - b'A');
    let past_z = low + splat(0x80 - b'[');
    at_least_a & !past_z & !word & splat(0x80)
}

/// The offsets of the marked bytes of `marks` (high bits, as the functions above give them),
/// in a word starting at `start`, lowest first.
pub(super) fn marked(start: usize, mut marks: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if marks == 0 {
            return None;
        }
        let at = start + (marks.trailing_zeros() / 8) as usize;
        marks &= marks - 1;
        Some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::{bytes_equal, marked, upper_bytes, words};

    #[test]
    fn words_cover_every_byte_once() {
        for len in 0..40 {
            let bytes: Vec<u8> = (1..=len).map(|b| b as u8).collect();
            let mut seen = Vec::new();
            for (start, word) in words(&bytes) {
                for (offset, byte) in word.to_le_bytes().into_iter().enumerate() {
                    if byte != 0 {
                        seen.push((start + offset, byte));
                    }
                }
            }
            let expected: Vec<(usize, u8)> = bytes.iter().copied().enumerate().collect();
            assert_eq!(seen, expected, "length {len}");
        }
    }

    #[test]
    fn upper_case_is_exact_on_every_byte() {
        for byte in 0..=255u8 {
            for place in 0..8 {
                let mut word = [b'a'; 8];
                if let Some(slot) = word.get_mut(place) {
                    *slot = byte;
                }
                let marks = upper_bytes(u64::from_le_bytes(word));
                let found: Vec<usize> = marked(0, marks).collect();
                let expected = if byte.is_ascii_uppercase() {
                    vec![place]
                } else {
                    vec![]
                };
                assert_eq!(found, expected, "byte {byte:#x} at {place}");
            }
        }
    }

    #[test]
    fn equal_bytes_are_found_first_exactly_and_never_missed() {
        let text = b"a.b..c.d.e\n.";
        for (start, word) in words(text) {
            let found: Vec<usize> = marked(start, bytes_equal(word, b'.')).collect();
            for at in (start..start + 8).filter(|&at| text.get(at) == Some(&b'.')) {
                assert!(found.contains(&at), "{at} missed");
            }
            if let Some(&first) = found.first() {
                assert_eq!(text.get(first), Some(&b'.'));
            }
        }
    }
}
