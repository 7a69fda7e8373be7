//! A fast hash for tables keyed by text the program itself chose or that it builds and drops
//! in one call.

/// A hash of text eight bytes at a step (as rustc's FxHash mixes): the archive's
/// shared-string table hashes every text cell, FNV's byte at a time was a third of putting
/// one, and SipHash's protection against crafted keys buys nothing for a table built and
/// dropped in one call, or keyed by the form's own labels. Only the tables' speed depends
/// on it, not the order of anything written.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx;

pub(crate) struct FxHasher(u64);

impl std::hash::BuildHasher for Fx {
    type Hasher = FxHasher;
    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

impl FxHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.mix(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.mix(u64::from(b));
    }
    fn finish(&self) -> u64 {
        // The table picks buckets by the low bits: fold the well-mixed high ones in.
        self.0 ^ (self.0 >> 29)
    }
}
