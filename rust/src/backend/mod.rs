//! The one seam between the GDScript API and a transport. Each backend
//! implements Steam's deprecated `ISteamNetworking` P2P semantics; the
//! arguments it gets have already been validated (see `crate::p2p`).

pub mod local;
pub mod steam;

use crate::p2p::{
    Channel, Event, InitFailure, InitStatus, Packet, SendType, SessionState, SteamId,
};

/// A running P2P transport. Dropping it shuts it down.
pub trait Backend {
    /// The local user's SteamID64.
    fn local_id(&self) -> SteamId;

    /// Whether the transport still runs (for Steam: the client is up).
    fn is_running(&self) -> bool {
        true
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// The real Steam client, through `libsteam_api.so`.
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

/// Starts a backend of the given kind.
pub fn start(kind: BackendKind, app_id: u32) -> Result<Box<dyn Backend>, InitFailure> {
    match kind {
        BackendKind::Steam => {
            steam::SteamBackend::start(app_id).map(|b| Box::new(b) as Box<dyn Backend>)
        }
        BackendKind::Local => {
            let config = local::config::LocalConfig::from_env()?;
            local::LocalBackend::start(config).map(|b| Box::new(b) as Box<dyn Backend>)
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
