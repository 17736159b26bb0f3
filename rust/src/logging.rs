//! Routes the `log` crate into Godot's output: errors as `push_error`,
//! warnings as `push_warning`, info and debug as `print` when the level asks
//! for them (`STEAM_NETWORKING_LOG` or the project setting
//! `steam_networking/log_level`).

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

/// The level to log at: `STEAM_NETWORKING_LOG` if set, else the project
/// setting `steam_networking/log_level`, else `warn`. Unknown names count as unset.
pub fn choose_level(env: Option<&str>, setting: Option<&str>) -> LevelFilter {
    [env, setting]
        .into_iter()
        .flatten()
        .find_map(|name| name.trim().parse().ok())
        .unwrap_or(LevelFilter::Warn)
}

/// Installs the logger (once per process; later calls only re-enable it)
/// at the level [`choose_level`] picks from the project setting `setting`.
pub fn install(setting: Option<&str>) {
    ENGINE_UP.store(true, Ordering::Release);
    static LOGGER: GodotLogger = GodotLogger;
    let _ = log::set_logger(&LOGGER);
    let env = std::env::var("STEAM_NETWORKING_LOG").ok();
    log::set_max_level(choose_level(env.as_deref(), setting));
}

/// Stops calling into Godot; later messages go to stderr.
pub fn engine_gone() {
    ENGINE_UP.store(false, Ordering::Release);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_wins_then_setting_then_warn() {
        assert_eq!(choose_level(None, None), LevelFilter::Warn);
        assert_eq!(choose_level(None, Some("info")), LevelFilter::Info);
        assert_eq!(
            choose_level(Some("debug"), Some("info")),
            LevelFilter::Debug
        );
        assert_eq!(
            choose_level(Some("loud"), Some("error")),
            LevelFilter::Error
        );
        assert_eq!(choose_level(Some("loud"), None), LevelFilter::Warn);
    }
}
