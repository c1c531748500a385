//! The tagger's patterns, distinct (up to ASCII case when the tagger ignores it), their bytes
//! in one buffer: a gazetteer of hundreds of thousands of terms is not hundreds of thousands
//! of allocations, twice (a pattern and its key).

/// No pattern in a slot.
const EMPTY: u32 = u32::MAX;

/// Distinct patterns, numbered in the order they were first added.
#[derive(Clone, Debug, Default)]
pub(crate) struct PatternSet {
    text: String,
    /// `ends[i]` is where pattern `i` ends in `text` (it starts where `i - 1` ends).
    ends: Vec<u32>,
    /// Open addressing: pattern ids by hash, [`EMPTY`] where free. Dropped by
    /// [`PatternSet::freeze`].
    slots: Vec<u32>,
    ascii_ci: bool,
}

impl PatternSet {
    /// An empty set, for about `n` patterns; with `ascii_ci`, patterns equal up to ASCII case
    /// are one.
    pub(crate) fn new(n: usize, ascii_ci: bool) -> PatternSet {
        let cap = (n * 2).max(16).next_power_of_two();
        PatternSet {
            text: String::new(),
            ends: Vec::with_capacity(n),
            slots: vec![EMPTY; cap],
            ascii_ci,
        }
    }

    /// The number of patterns.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when there is no pattern.
    pub(crate) fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Pattern `i`.
    pub(crate) fn get(&self, i: usize) -> &str {
        let a = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[a..self.ends[i] as usize]
    }

    /// The patterns in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// A hash of `p`, 8 bytes at a time, of its ASCII lower case with `ascii_ci`.
    fn hash(&self, p: &str) -> u64 {
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        let fold = |x: u64| {
            if !self.ascii_ci {
                return x;
            }
            // Bit 5 set in the bytes from b'A' to b'Z' (no carry: 7-bit sums).
            let x7 = x & !HI;
            let upper = (x7 + LO * u64::from(0x80 - b'A')) & !(x7 + LO * u64::from(0x7F - b'Z'));
            x | ((upper & !x & HI) >> 2)
        };
        let mix =
            |h: u64, x: u64| (h.rotate_left(5) ^ fold(x)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        let mut h = p.len() as u64;
        let mut chunks = p.as_bytes().chunks_exact(8);
        for c in &mut chunks {
            h = mix(h, u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            h = mix(h, u64::from_le_bytes(b));
        }
        h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16
    }

    fn same(&self, a: &str, b: &str) -> bool {
        if self.ascii_ci {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }

    /// The slot of `p`: where it is, or the free one where it would go.
    fn slot(&self, p: &str) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.hash(p) as usize & mask;
        loop {
            let id = self.slots[i];
            if id == EMPTY || self.same(self.get(id as usize), p) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The id of `p`, if it is there.
    pub(crate) fn id(&self, p: &str) -> Option<usize> {
        if self.slots.is_empty() {
            return self.iter().position(|q| self.same(q, p));
        }
        let id = self.slots[self.slot(p)];
        (id != EMPTY).then_some(id as usize)
    }

    /// The id of `p`, added if it is not there; an error when the patterns would pass 4 GiB
    /// (their offsets are `u32`).
    pub(crate) fn insert(&mut self, p: &str) -> crate::error::Result<usize> {
        let i = self.slot(p);
        if self.slots[i] != EMPTY {
            return Ok(self.slots[i] as usize);
        }
        let id = self.ends.len();
        let end = u32::try_from(self.text.len() + p.len()).map_err(|_| {
            crate::error::Error::invalid(
                "the gazetteer's distinct patterns pass 4 GiB: more than a tagger can hold",
            )
        })?;
        self.text.push_str(p);
        self.ends.push(end);
        self.slots[i] = id as u32;
        if self.ends.len() * 2 > self.slots.len() {
            self.grow();
        }
        Ok(id)
    }

    fn grow(&mut self) {
        let cap = self.slots.len() * 2;
        self.slots = vec![EMPTY; cap];
        for id in 0..self.ends.len() {
            let i = self.slot(self.get(id));
            self.slots[i] = id as u32;
        }
    }

    /// Drops the hash table (lookups still work, slowly) and spare capacity: the set is
    /// complete.
    pub(crate) fn freeze(&mut self) {
        self.slots = Vec::new();
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

#[cfg(test)]
impl<S: AsRef<str>> FromIterator<S> for PatternSet {
    /// Case-sensitive patterns, in order (a repeated one keeps its first id); tests only.
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> PatternSet {
        let mut set = PatternSet::new(16, false);
        for p in iter {
            set.insert(p.as_ref()).expect("test patterns are small");
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_order_and_repeats_kept_once() {
        let mut s = PatternSet::new(1, true);
        let words = ["Mali", "UN", "mali", "Niger", "un", "N", ""];
        let ids: Vec<usize> = words.iter().map(|w| s.insert(w).unwrap()).collect();
        assert_eq!(ids, [0, 1, 0, 2, 1, 3, 4]);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            ["Mali", "UN", "Niger", "N", ""]
        );
        assert_eq!(s.id("MALI"), Some(0));
        assert_eq!(s.id("Ma"), None);
        s.freeze();
        assert_eq!(s.id("niger"), Some(2));
        let exact: PatternSet = ["a", "A", "a"].into_iter().collect();
        assert_eq!(exact.len(), 2);
        assert_eq!(exact.id("A"), Some(1));
    }

    #[test]
    fn case_insensitive_hashes_fold_every_ascii_letter_only() {
        let s = PatternSet::new(1, true);
        let all: String = (1..128u8).map(char::from).collect();
        assert_eq!(s.hash(&all), s.hash(&all.to_ascii_lowercase()));
        assert_eq!(
            s.hash(&all.to_ascii_uppercase()),
            s.hash(&all.to_ascii_lowercase())
        );
        assert_ne!(s.hash("@"), s.hash("`"));
        assert_ne!(s.hash("[_"), s.hash("{\u{7f}"));
    }

    #[test]
    fn many_patterns_survive_growing() {
        let mut s = PatternSet::new(4, false);
        for i in 0..10_000 {
            assert_eq!(s.insert(&format!("p{i}")).unwrap(), i);
        }
        for i in 0..10_000 {
            assert_eq!(s.id(&format!("p{i}")), Some(i));
        }
        assert_eq!(s.id("p10000"), None);
    }
}
