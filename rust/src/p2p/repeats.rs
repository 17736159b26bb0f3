//! Collapses repeated errors: a game that calls `Steam` every frame while
//! something is wrong (not initialized, a bad id) would otherwise print one
//! error per call. The first error of a kind is printed in full (it says
//! what to do); repeats print at most one line per window, with their count.
//! Time is passed in, so the rule is unit-tested without sleeping.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How often a repeated error is printed again, with its count.
pub const WINDOW: Duration = Duration::from_secs(5);
/// Distinct errors remembered; beyond it the oldest are forgotten (a game
/// that varies its bad arguments gets their errors printed again).
const REMEMBERED: usize = 256;

#[derive(Debug)]
struct Seen {
    /// When it was last printed.
    printed: Instant,
    /// Repeats since then, not printed.
    repeats: u64,
}

/// Decides which errors are printed.
#[derive(Debug, Default)]
pub struct RepeatFilter {
    seen: HashMap<(String, String), Seen>,
}

impl RepeatFilter {
    /// Returns the line to print for `message` from `call` at `now`, or
    /// `None` while it repeats within the window.
    pub fn line(&mut self, call: &str, message: &str, now: Instant) -> Option<String> {
        if let Some(seen) = self.seen.get_mut(&(call.to_owned(), message.to_owned())) {
            if now.duration_since(seen.printed) < WINDOW {
                seen.repeats += 1;
                return None;
            }
            let repeats = std::mem::take(&mut seen.repeats);
            seen.printed = now;
            return Some(if repeats == 0 {
                message.to_owned()
            } else {
                format!(
                    "{message} (repeated {} more times in the last {} s)",
                    repeats + 1,
                    WINDOW.as_secs()
                )
            });
        }
        if self.seen.len() >= REMEMBERED {
            self.seen.clear();
        }
        self.seen.insert(
            (call.to_owned(), message.to_owned()),
            Seen {
                printed: now,
                repeats: 0,
            },
        );
        Some(message.to_owned())
    }

    /// Forgets every error: after an init or a shutdown, the same mistake
    /// is news again.
    pub fn reset(&mut self) {
        self.seen.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_is_printed_then_one_line_per_window_with_the_count() {
        let t0 = Instant::now();
        let mut filter = RepeatFilter::default();
        assert_eq!(
            filter.line("f", "not initialized", t0).as_deref(),
            Some("not initialized")
        );
        for i in 1..=100 {
            assert_eq!(
                filter.line("f", "not initialized", t0 + Duration::from_millis(i)),
                None
            );
        }
        assert_eq!(
            filter.line("g", "not initialized", t0).as_deref(),
            Some("not initialized"),
            "another call has its own count"
        );
        assert_eq!(
            filter.line("f", "bad id 7", t0).as_deref(),
            Some("bad id 7"),
            "another error too"
        );
        assert_eq!(
            filter.line("f", "not initialized", t0 + WINDOW).as_deref(),
            Some("not initialized (repeated 101 more times in the last 5 s)")
        );
        assert_eq!(filter.line("f", "not initialized", t0 + WINDOW), None);
        assert_eq!(
            filter
                .line("f", "not initialized", t0 + WINDOW * 3)
                .as_deref(),
            Some("not initialized (repeated 2 more times in the last 5 s)")
        );
        assert_eq!(
            filter
                .line("f", "not initialized", t0 + WINDOW * 5)
                .as_deref(),
            Some("not initialized"),
            "quiet for a window: printed plainly"
        );
        filter.reset();
        assert!(
            filter
                .line("f", "not initialized", t0 + WINDOW * 5)
                .is_some()
        );
    }
}
