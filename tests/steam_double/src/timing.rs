//! How long `IsP2PPacketAvailable` spends inside the double, for
//! `scripts/bench`: what a call from GDScript costs beyond that is the
//! binding's (and the engine's). Off unless `STEAM_DOUBLE_TIMING=1` at
//! init; then each `SteamAPI_ManualDispatch_RunFrame` writes `<id>.timing`
//! (lines `calls <n>`, `spent_ns <total>`, `leak_ns <per call>`).
//!
//! The clock reads cost time of their own, partly outside the window they
//! measure: `leak_ns` is that part, measured at init by timing nothing, so
//! the bench can charge it to the double rather than to the binding.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::time::Instant;

static ON: AtomicBool = AtomicBool::new(false);
static CALLS: AtomicU64 = AtomicU64::new(0);
static SPENT_NS: AtomicU64 = AtomicU64::new(0);
/// Picoseconds per timed call spent outside the timed window.
static LEAK_PS: AtomicU64 = AtomicU64::new(0);

/// Runs `f`, adding its time to the totals when timing is on.
#[inline(always)]
pub(crate) fn timed<R>(f: impl FnOnce() -> R) -> R {
    if !ON.load(Relaxed) {
        return f();
    }
    let start = Instant::now();
    let result = f();
    let spent = start.elapsed().as_nanos() as u64;
    SPENT_NS.fetch_add(spent, Relaxed);
    CALLS.fetch_add(1, Relaxed);
    result
}

/// Turns timing on or off (at init), measuring the clock's leak first.
pub(crate) fn start(on: bool) {
    ON.store(on, Relaxed);
    if on {
        // The least of several tries, as the bench keeps its best loop: a
        // slow spell of the machine during one try would overstate it.
        const TRIES: u64 = 20;
        const ROUNDS: u64 = 10_000;
        let mut least = u64::MAX;
        for _ in 0..TRIES {
            reset();
            let start = Instant::now();
            for i in 0..ROUNDS {
                timed(|| black_box(i));
            }
            let total_ns = start.elapsed().as_nanos() as u64;
            let inside_ns = SPENT_NS.load(Relaxed);
            least = least.min(total_ns.saturating_sub(inside_ns) * 1000 / ROUNDS);
        }
        LEAK_PS.store(least, Relaxed);
    }
    reset();
}

fn reset() {
    CALLS.store(0, Relaxed);
    SPENT_NS.store(0, Relaxed);
}

/// Writes the totals so far to `<id>.timing` in `dir` (when timing is on).
pub(crate) fn report(dir: &Path, me: u64) {
    if !ON.load(Relaxed) {
        return;
    }
    let text = format!(
        "calls {}\nspent_ns {}\nleak_ns {:.3}\n",
        CALLS.load(Relaxed),
        SPENT_NS.load(Relaxed),
        LEAK_PS.load(Relaxed) as f64 / 1000.0
    );
    let path = dir.join(format!("{me}.timing"));
    let temp = dir.join(format!("{me}.timing.tmp"));
    // Renamed into place: a reader never sees half of it.
    if std::fs::write(&temp, text).is_ok() {
        let _ = std::fs::rename(temp, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_calls_and_time_only_when_on() {
        let dir = std::env::temp_dir().join(format!("double-timing-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        start(false);
        timed(|| ());
        report(&dir, 7);
        assert!(!dir.join("7.timing").exists());
        start(true);
        for _ in 0..3 {
            timed(|| std::thread::sleep(std::time::Duration::from_millis(1)));
        }
        report(&dir, 7);
        let text = std::fs::read_to_string(dir.join("7.timing")).unwrap();
        let value = |key: &str| -> f64 {
            let line = text.lines().find(|l| l.starts_with(key)).unwrap();
            line.split(' ').nth(1).unwrap().parse().unwrap()
        };
        // Other tests' calls may land in the window too.
        assert!(value("calls") >= 3.0, "{text}");
        assert!(value("spent_ns") >= 3e6, "{text}");
        // A clock read costs well under a microsecond.
        assert!(value("leak_ns") < 1000.0, "{text}");
        start(false);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
