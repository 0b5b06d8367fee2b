//! Iterating over a set of common keys ([`common_bit`](super::common_bit)): one bit per key,
//! so that a set is a `u32` and its members come out in key order.

/// The members of a set of common keys, in ascending order.
pub(in crate::marketing) struct Bits(pub(in crate::marketing) u32);

impl Iterator for Bits {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        if self.0 == 0 {
            return None;
        }
        let index = self.0.trailing_zeros();
        self.0 &= self.0.wrapping_sub(1);
        // Below 32: it fits.
        u8::try_from(index).ok()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.0.count_ones() as usize;
        (len, Some(len))
    }
}

impl ExactSizeIterator for Bits {}
