//! Routes the `log` crate into Godot's output: errors and warnings always
//! (as `push_error` / `push_warning`), info and debug when asked for with
//! `STEAM_NETWORKING_LOG=info|debug|trace`.

use std::sync::atomic::{AtomicBool, Ordering};

use godot::global::{godot_error, godot_print, godot_warn};
use log::{Level, LevelFilter, Log, Metadata, Record};

/// False once Godot is unloading: messages then go to stderr, because the
/// engine's print functions may no longer be callable.
static ENGINE_UP: AtomicBool = AtomicBool::new(false);

struct GodotLogger;

impl Log for GodotLogger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let msg = record.args();
        if !ENGINE_UP.load(Ordering::Acquire) {
            eprintln!("steam_networking {}: {msg}", record.level());
            return;
        }
        // Godot's print and error functions are thread-safe, so worker
        // threads may log too.
        match record.level() {
            Level::Error => godot_error!("{msg}"),
            Level::Warn => godot_warn!("{msg}"),
            level => godot_print!("[steam_networking {level}] {msg}"),
        }
    }

    fn flush(&self) {}
}

/// The level named by `STEAM_NETWORKING_LOG`, or `warn`.
fn level_from_env() -> LevelFilter {
    std::env::var("STEAM_NETWORKING_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(LevelFilter::Warn)
}

/// Installs the logger (once per process; later calls only re-enable it).
pub fn install() {
    ENGINE_UP.store(true, Ordering::Release);
    static LOGGER: GodotLogger = GodotLogger;
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(level_from_env());
    }
}

/// Stops calling into Godot; later messages go to stderr.
pub fn engine_gone() {
    ENGINE_UP.store(false, Ordering::Release);
}
