//! A backend's promise that no channel holds a packet and that nothing can
//! arrive until a bell moves: `getAvailableP2PPacketSize` with nothing
//! new is the call games make most, and with this promise it is answered
//! before the API is entered at all (`crate::steam::client`), which was
//! most of what such a call cost beyond the engine's own dispatch.
//!
//! The promise is lent, not copied: while the caller holds it, the backend
//! counts its quiet answers as spent, and the caller hands back what it did
//! not use before any other call enters the backend. So the backend's own
//! rule for how many answers go without a real look holds across both.

use std::sync::atomic::{AtomicU64, Ordering};

/// Up to `left` calls may answer "nothing waiting" while `bell` reads
/// `seen`.
#[derive(Clone, Copy, Debug)]
pub struct Dry {
    bell: &'static AtomicU64,
    seen: u64,
    left: u32,
}

/// The bell of [`Dry::NONE`]: never rung, never read.
static NEVER: AtomicU64 = AtomicU64::new(0);

impl Dry {
    /// No promise: answers nothing. For holders that keep one in place
    /// (an `Option` around it cost a stall per call in the hot path).
    pub const NONE: Self = Self {
        bell: &NEVER,
        seen: 0,
        left: 0,
    };

    /// The promise of a backend whose news rings `bell`, which read `seen`
    /// at its last empty look, for `left` answers.
    pub fn new(bell: &'static AtomicU64, seen: u64, left: u32) -> Self {
        Self { bell, seen, left }
    }

    /// Whether this call may answer "nothing waiting"; spends one answer.
    #[inline]
    pub fn answer(&mut self) -> bool {
        // Acquire, as the bell's own read: a ring seen here means a look.
        if self.left == 0 || self.bell.load(Ordering::Acquire) != self.seen {
            return false;
        }
        self.left -= 1;
        true
    }

    /// The answers not spent, to hand back; 0 for [`Dry::NONE`].
    pub fn left(&self) -> u32 {
        self.left
    }

    /// Whether it may still answer something (not spent, not `NONE`).
    pub fn is_held(&self) -> bool {
        self.left > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_answers_until_the_bell_moves_or_the_answers_run_out() {
        static BELL: AtomicU64 = AtomicU64::new(7);
        let mut dry = Dry::new(&BELL, 7, 2);
        assert!(dry.answer());
        assert_eq!(dry.left(), 1);
        BELL.fetch_add(1, Ordering::Release);
        assert!(!dry.answer(), "a ring ends it");
        assert_eq!(dry.left(), 1, "and spends nothing");
        let mut dry = Dry::new(&BELL, 8, 1);
        assert!(dry.answer());
        assert!(!dry.answer(), "one answer, then a look");
        assert!(!dry.is_held() && !Dry::NONE.is_held());
        let mut none = Dry::NONE;
        assert!(!none.answer());
    }
}
