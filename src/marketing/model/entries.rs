//! The entries of a [`Marketing`](super::Marketing): inline while they are few, on the heap
//! past that.
//!
//! A conversion URL gives a handful of keys and their twins, and the object is made for every
//! URL of a batch: keeping them inline spares an allocation and its free per URL, which cost as
//! much as the rules themselves on a short URL.

use std::ops::{Deref, DerefMut};

use super::{Bits, Entry, Key, Span};

/// The entries kept inline: the six `utm_` keys of an ad with a click id, their twins,
/// `utm_search_term` and `url_conversion` make 14. 320 bytes.
const INLINE: usize = 16;

/// An unused inline slot.
const EMPTY_ENTRY: Entry = Entry {
    key: Key::Common(0),
    value: Span::EMPTY,
};

/// A list of entries, inline up to [`INLINE`].
// The inline variant is large on purpose: boxing it would bring back the allocation it saves.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(super) enum Entries {
    Inline { len: u8, items: [Entry; INLINE] },
    Heap(Vec<Entry>),
}

impl Entries {
    /// The empty list, as a constant.
    pub(super) const EMPTY: Entries = Entries::Inline {
        len: 0,
        items: [EMPTY_ENTRY; INLINE],
    };

    /// The common keys of `set`, valued from `values`, in index order (which is key order).
    #[inline]
    pub(super) fn of_common(set: u32, values: &[Span; super::COMMON_KEYS]) -> Entries {
        let mut entries = Entries::EMPTY;
        entries.extend(Entries::common(set, values));
        entries
    }

    /// The entries of the common keys of `set`, valued from `values`, in index order.
    #[inline]
    pub(super) fn common(
        set: u32,
        values: &[Span; super::COMMON_KEYS],
    ) -> impl ExactSizeIterator<Item = Entry> + '_ {
        Bits(set).map(|index| Entry {
            key: Key::Common(index),
            // A set of common keys holds indices of `values` only.
            value: values
                .get(usize::from(index))
                .copied()
                .unwrap_or(Span::EMPTY),
        })
    }

    /// Appends an entry; the first one past [`INLINE`] moves the list to the heap.
    #[inline]
    pub(super) fn push(&mut self, entry: Entry) {
        match self {
            Entries::Inline { len, items } => {
                if let Some(slot) = items.get_mut(usize::from(*len)) {
                    *slot = entry;
                    *len += 1;
                    return;
                }
                let mut heap = Vec::with_capacity(2 * INLINE);
                heap.extend_from_slice(items);
                heap.push(entry);
                *self = Entries::Heap(heap);
            }
            Entries::Heap(heap) => heap.push(entry),
        }
    }

    /// Appends the entries of `more`, whose length is exact: a list that had none and takes
    /// them inline has them written one after the other, with no check of room per entry.
    #[inline]
    pub(super) fn extend(&mut self, more: impl ExactSizeIterator<Item = Entry>) {
        if let Entries::Inline { len, items } = self
            && *len == 0
            && more.len() <= INLINE
        {
            let mut count = 0;
            for (slot, entry) in items.iter_mut().zip(more) {
                *slot = entry;
                count += 1;
            }
            *len = count;
            return;
        }
        self.reserve_exact(more.len());
        for entry in more {
            self.push(entry);
        }
    }

    /// Empties the list, keeping its allocation if it has one (a batch reuses it).
    pub(super) fn clear(&mut self) {
        match self {
            Entries::Inline { len, .. } => *len = 0,
            Entries::Heap(heap) => heap.clear(),
        }
    }

    /// Makes room for `additional` more entries, exactly when they do not fit inline
    /// (`docs/rules.md` §3.1 bounds memory: a large object does not grow by doubling).
    pub(super) fn reserve_exact(&mut self, additional: usize) {
        match self {
            Entries::Inline { len, items } => {
                let len = usize::from(*len);
                if len + additional > INLINE {
                    let mut heap = Vec::with_capacity(len + additional);
                    heap.extend_from_slice(items.get(..len).unwrap_or_default());
                    *self = Entries::Heap(heap);
                }
            }
            Entries::Heap(heap) => heap.reserve_exact(additional),
        }
    }

    /// Keeps the entries for which `keep` is true, in order.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Entry) -> bool) {
        let entries = self.deref_mut();
        let mut kept = 0;
        for i in 0..entries.len() {
            if let Some(&entry) = entries.get(i)
                && keep(&entry)
            {
                if let Some(slot) = entries.get_mut(kept) {
                    *slot = entry;
                }
                kept += 1;
            }
        }
        self.truncate(kept);
    }

    fn truncate(&mut self, new_len: usize) {
        match self {
            Entries::Inline { len, .. } => {
                if let Ok(new_len) = u8::try_from(new_len)
                    && new_len < *len
                {
                    *len = new_len;
                }
            }
            Entries::Heap(heap) => heap.truncate(new_len),
        }
    }
}

impl Default for Entries {
    fn default() -> Self {
        Entries::EMPTY
    }
}

impl Deref for Entries {
    type Target = [Entry];

    #[inline]
    fn deref(&self) -> &[Entry] {
        match self {
            // `min` lets the compiler see the range in bounds: no check, no branch.
            Entries::Inline { len, items } => items
                .get(..usize::from(*len).min(INLINE))
                .unwrap_or_default(),
            Entries::Heap(heap) => heap,
        }
    }
}

impl DerefMut for Entries {
    #[inline]
    fn deref_mut(&mut self) -> &mut [Entry] {
        match self {
            Entries::Inline { len, items } => items
                .get_mut(..usize::from(*len).min(INLINE))
                .unwrap_or_default(),
            Entries::Heap(heap) => heap,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(index: u8) -> Entry {
        Entry {
            key: Key::Common(index),
            value: Span::EMPTY,
        }
    }

    fn indices(entries: &Entries) -> Vec<u8> {
        entries
            .iter()
            .map(|entry| match entry.key {
                Key::Common(index) => index,
                Key::Text(_) => u8::MAX,
            })
            .collect()
    }

    /// Past `INLINE` the list moves to the heap and keeps every entry, in order; `retain` and
    /// `clear` work on both forms.
    #[test]
    fn the_list_spills_to_the_heap_and_keeps_its_order() {
        let mut entries = Entries::EMPTY;
        for index in 0..20 {
            entries.push(entry(index));
            assert_eq!(
                matches!(entries, Entries::Heap(_)),
                usize::from(index) >= INLINE
            );
        }
        assert_eq!(indices(&entries), (0..20).collect::<Vec<_>>());
        entries.retain(|entry| matches!(entry.key, Key::Common(i) if i % 2 == 0));
        assert_eq!(indices(&entries), (0..20).step_by(2).collect::<Vec<_>>());
        entries.clear();
        assert!(entries.is_empty());

        let mut inline = Entries::EMPTY;
        for index in 0..5 {
            inline.push(entry(index));
        }
        inline.retain(|entry| matches!(entry.key, Key::Common(i) if i != 2));
        assert_eq!(indices(&inline), [0, 1, 3, 4]);
        inline.reserve_exact(12);
        assert!(matches!(inline, Entries::Inline { .. }), "16 fit inline");
        inline.reserve_exact(13);
        assert!(matches!(inline, Entries::Heap(ref heap) if heap.capacity() == 17));
        assert_eq!(indices(&inline), [0, 1, 3, 4]);
    }
}
