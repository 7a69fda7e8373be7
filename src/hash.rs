//! A fast hash for tables keyed by text the program itself chose or that it builds and drops
//! in one call.

/// foldhash's fixed-seed hasher: sixteen bytes a step with a folded multiply. The archive's
/// shared-string table hashes every text cell (rustc's FxHash, eight bytes a step with a
/// dependent multiply, was most of putting one), and SipHash's protection against crafted
/// keys buys nothing for a table built and dropped in one call, or keyed by the form's own
/// labels. Only the tables' speed depends on it, not the order of anything written.
pub(crate) type FastHash = foldhash::fast::FixedState;
