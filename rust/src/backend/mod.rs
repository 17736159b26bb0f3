//! The one seam between the GDScript API and a transport. Each backend
//! implements Steam's deprecated `ISteamNetworking` P2P semantics; the
//! arguments it gets have already been validated (see `crate::p2p`).

pub mod apps;
pub mod dry;
pub mod friends;
pub mod local;
pub mod matchmaking;
pub mod steam;
pub mod user;
pub mod utils;

use crate::p2p::{
    Channel, Event, InitFailure, InitStatus, Packet, SendType, SessionState, SteamId,
};

/// Whether a backend runs, in a form any thread may ask without the
/// backend itself: games ask `isSteamRunning` every frame, from any thread,
/// as Steam lets them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum Liveness {
    /// No backend.
    #[default]
    Stopped,
    /// Runs until it is shut down (the local backend).
    Running,
    /// Runs while the Steam client does.
    WhileSteamRuns,
}

impl Liveness {
    /// Whether it runs now.
    pub fn now(self) -> bool {
        match self {
            Self::Stopped => false,
            Self::Running => true,
            Self::WhileSteamRuns => steam::steam_runs(),
        }
    }

    /// The inverse of `as u8`; anything unknown reads as stopped.
    pub fn from_u8(raw: u8) -> Self {
        match raw {
            1 => Self::Running,
            2 => Self::WhileSteamRuns,
            _ => Self::Stopped,
        }
    }
}

/// A running Steam (or stand-in): the P2P transport here, the other
/// interfaces in their own traits. Dropping it shuts it down.
pub trait Backend:
    friends::Friends + user::User + apps::Apps + utils::Utils + matchmaking::Matchmaking
{
    /// The local user's SteamID64.
    fn local_id(&self) -> SteamId;

    /// How to tell whether the transport still runs (for Steam: while the
    /// client is up).
    fn liveness(&self) -> Liveness {
        Liveness::Running
    }

    /// Queues `data` for `to`; false if the transport refused it.
    fn send(&mut self, to: SteamId, data: &[u8], send_type: SendType, channel: Channel) -> bool;

    /// Size of the next packet waiting on `channel`, if any.
    fn available(&mut self, channel: Channel) -> Option<u32>;

    /// Takes the next packet on `channel`, truncated to `max_len` bytes.
    /// Called right after [`Backend::available`] reported that packet (its
    /// size sets `max_len`), so it need not look for new arrivals again.
    fn read(&mut self, max_len: usize, channel: Channel) -> Option<Packet>;

    /// Takes the next whole packet on `channel`. Batch reads call this after
    /// one [`Backend::available`], so a backend may skip looking for new
    /// arrivals here.
    fn read_queued(&mut self, channel: Channel) -> Option<Packet> {
        let size = self.available(channel)?;
        self.read(size as usize, channel)
    }

    /// Takes back the buffer of a packet that was read, once its bytes were
    /// copied out, for a backend that reuses large buffers.
    fn recycle(&mut self, _buffer: Vec<u8>) {}

    /// Whether [`Backend::lend_dry`] may ever lend, asked once at start:
    /// a backend that never does is not asked after every dry call.
    fn lends_dry(&self) -> bool {
        false
    }

    /// Right after [`Backend::available`] answered nothing: a promise that
    /// nothing waits on any channel until its bell moves, lent until
    /// [`Backend::return_dry`]. None: every call asks (Steam answers from
    /// its own memory anyway).
    fn lend_dry(&mut self) -> Option<dry::Dry> {
        None
    }

    /// Takes back a lent promise's `unused` answers; called before anything
    /// else enters the backend.
    fn return_dry(&mut self, _unused: u32) {}

    /// Accepts a session request from `remote`; false if refused.
    fn accept(&mut self, remote: SteamId) -> bool;

    /// Closes every channel with `remote`; false if there was no session.
    fn close_session(&mut self, remote: SteamId) -> bool;

    /// Closes one channel with `remote`; false if it was not open.
    fn close_channel(&mut self, remote: SteamId, channel: Channel) -> bool;

    /// A snapshot of the session with `remote`, if there is one.
    fn session_state(&mut self, remote: SteamId) -> Option<SessionState>;

    /// Allows or forbids relayed connections; true when the call was taken.
    fn allow_relay(&mut self, allow: bool) -> bool;

    /// Moves every pending callback into `events`, oldest first.
    fn poll(&mut self, events: &mut Vec<Event>);
}

/// Which backend `steamInit` starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BackendKind {
    /// The real Steam client, through `libsteam_api.so`.
    #[default]
    Steam,
    /// Several game instances on one machine, no Steam needed.
    Local,
}

impl BackendKind {
    /// Reads a backend name (`"steam"` or `"local"`, any case).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "steam" => Some(Self::Steam),
            "local" => Some(Self::Local),
            _ => None,
        }
    }
}

/// The environment variable that picks the backend.
pub const BACKEND_ENV: &str = "STEAM_NETWORKING_BACKEND";

/// Picks the backend: the environment variable wins over the project
/// setting; with neither, Steam. An empty value counts as unset.
pub fn choose(env: Option<&str>, setting: Option<&str>) -> Result<BackendKind, InitFailure> {
    let (source, name) = match (
        env.filter(|v| !v.trim().is_empty()),
        setting.filter(|v| !v.trim().is_empty()),
    ) {
        (Some(v), _) => (BACKEND_ENV, v),
        (None, Some(v)) => ("project setting steam_networking/backend", v),
        (None, None) => return Ok(BackendKind::Steam),
    };
    BackendKind::parse(name).ok_or_else(|| {
        InitFailure::new(
            InitStatus::FailedGeneric,
            format!("{source} is \"{name}\": expected \"steam\" or \"local\""),
        )
    })
}

/// What a backend is started with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartInfo {
    /// The app id init got (0: the one Steam launched with, or steam_appid.txt).
    pub app_id: u32,
    /// The project setting's app id, which the local backend reports when
    /// init got 0 (real Steam knows the app it runs).
    pub setting_app_id: u32,
    /// The player's locale as Godot reports it ("en_US"), for the local
    /// backend's languages and country.
    pub locale: String,
    /// The project setting's persona name for the local backend (the
    /// environment variable wins).
    pub local_name: Option<String>,
    /// The local backend's network simulation project settings
    /// (`steam_networking/local/...`) that the project has, as text (their
    /// environment variables win).
    pub local_conditions: Vec<(String, String)>,
}

/// The app id a local instance reports: init's, else the project
/// setting's, else `steam_appid.txt` in the working folder, else 0.
fn local_app_id(info: &StartInfo) -> u32 {
    [info.app_id, info.setting_app_id]
        .into_iter()
        .find(|id| *id != 0)
        .or_else(|| {
            std::fs::read_to_string("steam_appid.txt")
                .ok()
                .and_then(|text| text.trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Starts a backend of the given kind.
pub fn start(kind: BackendKind, info: &StartInfo) -> Result<Box<dyn Backend>, InitFailure> {
    match kind {
        BackendKind::Steam => {
            steam::SteamBackend::start(info.app_id).map(|b| Box::new(b) as Box<dyn Backend>)
        }
        BackendKind::Local => {
            let mut config = local::config::LocalConfig::from_env()?;
            if config.name.is_none() {
                config.name = info.local_name.clone();
            }
            config.conditions = local::netsim::env::conditions(
                |var| std::env::var(var).ok(),
                |name| {
                    info.local_conditions
                        .iter()
                        .find(|(setting, _)| setting == name)
                        .map(|(_, value)| value.clone())
                },
            )?;
            let mut backend = local::LocalBackend::start(config)?;
            backend.set_app(local_app_id(info), &info.locale);
            Ok(Box::new(backend))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_names() {
        assert_eq!(BackendKind::parse("steam"), Some(BackendKind::Steam));
        assert_eq!(BackendKind::parse(" Local "), Some(BackendKind::Local));
        assert_eq!(BackendKind::parse("lan"), None);
    }

    #[test]
    fn environment_wins_over_project_setting() {
        assert_eq!(choose(None, None), Ok(BackendKind::Steam));
        assert_eq!(choose(Some(""), Some("local")), Ok(BackendKind::Local));
        assert_eq!(choose(Some("steam"), Some("local")), Ok(BackendKind::Steam));
        assert_eq!(choose(Some("local"), None), Ok(BackendKind::Local));
        let err = choose(Some("lan"), None).unwrap_err();
        assert_eq!(err.status, InitStatus::FailedGeneric);
        assert!(
            err.verbal.contains("STEAM_NETWORKING_BACKEND is \"lan\""),
            "{}",
            err.verbal
        );
    }
}
