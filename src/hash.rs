//! The hasher of the tables keyed by terms and label names.

use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hash (FxHash's mixing) for the tables keyed by gazetteer terms
/// (SipHash was a tenth of a 300k-term build). Unlike std's default, it is not seeded at
/// random: a build executes the same instructions every time, which the instruction-count
/// gate (`benches/gate.rs`) relies on.
pub(crate) type FastHash = BuildHasherDefault<FxHasher>;

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
