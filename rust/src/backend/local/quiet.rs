//! When `getAvailableP2PPacketSize` may answer "nothing" without looking
//! at the sockets: after a look that found nothing, while this instance's
//! bell (`super::bell`) has not rung since.
//!
//! A ring can come a little before its data: on a loaded machine the
//! kernel may finish a loopback delivery after the sender's write returned
//! (and rang). So a ring is trusted to be over only `GRACE` after it: until
//! then every dry call looks, as without bells.

use std::time::{Duration, Instant};

/// How long after the bell last moved the sockets are still read.
pub const GRACE: Duration = Duration::from_millis(5);
/// Quiet answers in a row before one real look anyway, for a peer that
/// does not ring: in a busy loop that is every ~30 µs, at 0.5 ns a call.
pub const LOOK_EVERY: u32 = 1024;

/// What the last looks said.
#[derive(Debug)]
pub struct Quiet {
    /// The bell as the last look began.
    seen: u64,
    /// When the bell last moved (`None`: not yet seen moving).
    moved: Option<Instant>,
    /// The last look found nothing, after the grace: nothing new until the
    /// bell rings.
    trusted: bool,
    /// Quiet answers since the last look.
    answered: u32,
    /// [`LOOK_EVERY`], but in tests that the bell alone must pass.
    look_every: u32,
}

impl Default for Quiet {
    fn default() -> Self {
        Self {
            seen: 0,
            moved: None,
            trusted: false,
            answered: 0,
            look_every: LOOK_EVERY,
        }
    }
}

impl Quiet {
    /// Whether a dry call may answer "nothing new" without looking, `bell`
    /// reading the bell. Needs no clock: this is the call that must be as
    /// cheap as a call can be. The bell is read only when trusted: while
    /// packets flow, its line moves between the cores at every ring.
    #[inline]
    pub fn nothing_new(&mut self, bell: impl FnOnce() -> u64) -> bool {
        if !self.trusted || self.answered >= self.look_every || bell() != self.seen {
            return false;
        }
        self.answered += 1;
        true
    }

    /// A look at the sockets begins, the bell reading `bell`.
    pub fn looking(&mut self, bell: u64, now: Instant) {
        if bell != self.seen {
            self.seen = bell;
            self.moved = Some(now);
        }
        self.answered = 0;
    }

    /// That look ended; `found`: it handed something over. `may_trust`:
    /// nothing but the sockets can bring news (no simulated delays held).
    pub fn looked(&mut self, found: bool, may_trust: bool, now: Instant) {
        let settled = self
            .moved
            .is_none_or(|moved| now.duration_since(moved) >= GRACE);
        self.trusted = !found && may_trust && settled;
    }

    /// Lends the quiet answers left before the next look (for
    /// `backend::dry`), with the bell reading they hold for; None unless a
    /// dry call would be answered without a look now. They count as spent
    /// until [`Quiet::give_back`].
    pub fn lend(&mut self) -> Option<(u64, u32)> {
        if !self.trusted || self.answered >= self.look_every {
            return None;
        }
        let left = self.look_every - self.answered;
        self.answered = self.look_every;
        Some((self.seen, left))
    }

    /// Takes back `unused` lent answers.
    pub fn give_back(&mut self, unused: u32) {
        self.answered = self.answered.saturating_sub(unused);
    }

    /// Never looks but when the bell rings: for tests of the bell.
    #[cfg(test)]
    pub fn without_fallback() -> Self {
        Self {
            look_every: u32::MAX,
            ..Self::default()
        }
    }

    /// Whether the next dry call would be answered without a look.
    #[cfg(test)]
    pub fn is_trusted(&self) -> bool {
        self.trusted
    }

    /// Something besides the sockets may have made packets deliverable
    /// (budget given back to a held stream): look at the next dry call.
    pub fn distrust(&mut self) {
        self.trusted = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet_at(t0: Instant) -> Quiet {
        let mut q = Quiet::default();
        q.looking(0, t0);
        q.looked(false, true, t0);
        q
    }

    #[test]
    fn lent_answers_are_spent_until_given_back() {
        let t0 = Instant::now();
        let mut q = quiet_at(t0);
        assert!(q.nothing_new(|| 0));
        assert_eq!(q.lend(), Some((0, LOOK_EVERY - 1)));
        assert!(!q.nothing_new(|| 0), "the lender does not answer twice");
        assert_eq!(q.lend(), None);
        q.give_back(10);
        for _ in 0..10 {
            assert!(q.nothing_new(|| 0));
        }
        assert!(!q.nothing_new(|| 0), "then it looks, as without lending");
        q.distrust();
        q.give_back(0);
        assert_eq!(q.lend(), None, "nothing to lend before a trusted look");
    }

    #[test]
    fn an_empty_look_with_a_still_bell_makes_dry_calls_free() {
        let t0 = Instant::now();
        let mut q = quiet_at(t0);
        assert!(q.nothing_new(|| 0));
        assert!(!q.nothing_new(|| 1), "a ring means a look");
    }

    #[test]
    fn a_ring_is_followed_by_looks_for_the_grace_period() {
        let t0 = Instant::now();
        let mut q = quiet_at(t0);
        q.looking(1, t0);
        q.looked(false, true, t0 + GRACE / 2);
        assert!(!q.nothing_new(|| 1), "its data may still be on its way");
        q.looking(1, t0 + GRACE);
        q.looked(false, true, t0 + GRACE);
        assert!(q.nothing_new(|| 1));
    }

    #[test]
    fn a_look_that_found_something_or_held_packets_is_not_trusted() {
        let t0 = Instant::now();
        let mut q = quiet_at(t0);
        q.looking(0, t0);
        q.looked(true, true, t0);
        assert!(!q.nothing_new(|| 0));
        q.looking(0, t0);
        q.looked(false, false, t0);
        assert!(!q.nothing_new(|| 0), "simulated delays hold packets");
        q.looking(0, t0);
        q.looked(false, true, t0);
        q.distrust();
        assert!(!q.nothing_new(|| 0));
    }

    #[test]
    fn every_so_often_a_dry_call_looks_anyway() {
        let t0 = Instant::now();
        let mut q = quiet_at(t0);
        let quiet = (0..LOOK_EVERY * 2)
            .take_while(|_| q.nothing_new(|| 0))
            .count();
        assert_eq!(quiet, LOOK_EVERY as usize);
        q.looking(0, t0);
        q.looked(false, true, t0);
        assert!(q.nothing_new(|| 0), "trusted again after that look");
    }
}
